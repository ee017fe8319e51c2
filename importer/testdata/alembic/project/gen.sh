#!/bin/sh
# Regenerates the offline SQL the importer tests convert, with real Alembic.
set -e
cd "$(dirname "$0")"
python=${PYTHON:-/usr/bin/python3}
$python -m alembic upgrade base:heads --sql > ../upgrade.sql
$python -m alembic downgrade heads:base --sql > ../downgrade.sql
