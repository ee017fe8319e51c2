#!/usr/bin/env bash
# Autogenerate on a large model (issue 4's benchmark): `migrate diff` against
# a database that already matches the model (nothing changed) and after 10
# of its tables changed, with a cold and a warm normalised-model cache; side
# by side with Alembic 1.8 (`revision --autogenerate`) on the same schema
# (../../../shared/bench/gen_w1.py), on PostgreSQL; and migrate alone on
# SQLite (same shape in SQLite types).
# Usage: bench/autogen/run.sh [N]     (default 1000; needs hyperfine, psql,
#        GNU time, and for Alembic: apt-get install python3-alembic python3-psycopg2)
# Env:   WORK (default /tmp/migrate-bench-autogen), RUNS (default 3), ALEMBIC=0 to skip it
set -euo pipefail
N=${1:-1000}
WORK=${WORK:-/tmp/migrate-bench-autogen}
RUNS=${RUNS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SHARED=${SHARED:-$(cd "$ROOT/../shared" && pwd)}
rm -rf "$WORK"; mkdir -p "$WORK/results"
RES="$WORK/results"
M="$WORK/migrate"
(cd "$ROOT" && go build -o "$M" ./cmd/migrate)
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGSSLMODE=disable
P="psql -X -q -v ON_ERROR_STOP=1"
DB=bench_autogen_$N
rss() { /usr/bin/time -f '%M' -o "$WORK/rss" "$@" >/dev/null 2>&1 || true; echo "$(( $(tail -n1 "$WORK/rss") / 1024 )) MiB"; }

python3 "$SHARED/bench/gen_w1.py" "$N" "$WORK/w1" >/dev/null
# The changed model: a new column on the first 10 tables (SQL and SQLAlchemy).
python3 - "$WORK/w1" <<'PY'
import re, sys
d = sys.argv[1]
s = open(f"{d}/schema.sql").read()
for i in range(1, 11):
    s = s.replace(f"CREATE TABLE t_{i:05d} (\n", f"CREATE TABLE t_{i:05d} (\n  extra integer,\n", 1)
open(f"{d}/schema_changed.sql", "w").write(s)
m = open(f"{d}/models.py").read()
for i in range(1, 11):
    m = m.replace(f'__tablename__ = "t_{i:05d}"\n', f'__tablename__ = "t_{i:05d}"\n    extra = Column(Integer)\n', 1)
open(f"{d}/models_changed.py", "w").write(m)
PY

echo "== PostgreSQL, $N tables" >&2
$P -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
$P -d "$DB" -f "$WORK/w1/schema.sql"
mkdir -p "$WORK/pg/versions"
cp "$WORK/w1/schema.sql" "$WORK/pg/schema.sql"
cat > "$WORK/pg/migrate.toml" <<TOML
versions = "versions"
[models]
sql = ["schema.sql"]
[env.development]
url = "postgres://$PGUSER@$PGHOST:5432/$DB?sslmode=disable"
TOML
cd "$WORK/pg"
export XDG_CACHE_HOME="$WORK/cache"
nochange() { cp "$WORK/w1/schema.sql" schema.sql; }
changed() { cp "$WORK/w1/schema_changed.sql" schema.sql; }
nochange; "$M" diff >/dev/null   # warms the cache for the warm runs
hyperfine --runs "$RUNS" --export-json "$RES/pg_nochange.json" \
  -n 'migrate diff, no change, cold cache' --prepare "rm -rf $WORK/cache" "$M diff" \
  -n 'migrate diff, no change, warm cache' --prepare "true" "$M diff"
changed; "$M" diff >/dev/null
hyperfine --runs "$RUNS" --export-json "$RES/pg_changed.json" \
  -n 'migrate diff, 10 tables changed, cold cache' --prepare "rm -rf $WORK/cache" "$M diff" \
  -n 'migrate diff, 10 tables changed, warm cache' --prepare "true" "$M diff"
echo "peak RSS migrate diff (PostgreSQL, 10 changed): cold $(rm -rf "$WORK/cache"; rss "$M" diff), warm $(rss "$M" diff)" | tee "$RES/pg_rss.txt" >&2
"$M" diff | grep -c '^ALTER TABLE' | sed 's/^/statements for 10 changed tables: /' >&2

if [ "${ALEMBIC:-1}" != 0 ]; then
  AD="$WORK/w1/alembic"
  AL="cd $AD && DATABASE_URL='postgresql+psycopg2://$PGUSER@$PGHOST:5432/$DB?sslmode=disable' ALEMBIC_RECURSION_LIMIT=200000 /usr/bin/python3 -m alembic -c alembic.ini revision --autogenerate -m bench"
  CLEAN="rm -f $AD/versions/*.py"
  cp "$WORK/w1/models.py" "$WORK/w1/models_orig.py"
  hyperfine --runs "$RUNS" --export-json "$RES/pg_alembic.json" --prepare "$CLEAN; cp $WORK/w1/models_orig.py $WORK/w1/models.py" \
    -n 'alembic revision --autogenerate, no change' "$AL"
  hyperfine --runs "$RUNS" --export-json "$RES/pg_alembic_changed.json" --prepare "$CLEAN; cp $WORK/w1/models_changed.py $WORK/w1/models.py" \
    -n 'alembic revision --autogenerate, 10 tables changed' "$AL"
  cp "$WORK/w1/models_orig.py" "$WORK/w1/models.py"
  echo "peak RSS alembic (no change): $(bash -c "$CLEAN"; rss bash -c "$AL")" | tee "$RES/alembic_rss.txt" >&2
  $P -d "$DB" -c "DROP TABLE IF EXISTS alembic_version"
fi
$P -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"

echo "== SQLite, $N tables" >&2
mkdir -p "$WORK/sqlite/versions"; cd "$WORK/sqlite"
python3 - "$N" > schema.sql <<'PY'
import sys
n = int(sys.argv[1])
for i in range(1, n + 1):
    t = f"t_{i:05d}"
    fk = f"prev_id INTEGER REFERENCES t_{i-1:05d} (id) ON DELETE CASCADE" if i > 1 else "prev_id INTEGER"
    print(f"""CREATE TABLE {t} (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  code VARCHAR(255) NOT NULL,
  qty INTEGER NOT NULL DEFAULT 0,
  active BOOLEAN NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  price NUMERIC(10,2),
  attrs JSON,
  note TEXT,
  {fk},
  CONSTRAINT {t}_qty_check CHECK (qty >= 0)
);
CREATE UNIQUE INDEX {t}_code_key ON {t} (code);
CREATE INDEX {t}_active_created_idx ON {t} (active, created_at);""")
PY
python3 - <<'PY'
s = open("schema.sql").read()
for i in range(1, 11):
    s = s.replace(f"CREATE TABLE t_{i:05d} (\n", f"CREATE TABLE t_{i:05d} (\n  extra INTEGER,\n", 1)
open("schema_changed.sql", "w").write(s)
PY
cp schema.sql schema_orig.sql
sqlite3 live.db < schema.sql
cat > migrate.toml <<TOML
versions = "versions"
[models]
sql = ["schema.sql"]
[env.development]
url = "sqlite:///live.db"
TOML
"$M" diff >/dev/null
hyperfine --runs "$RUNS" --export-json "$RES/sqlite_nochange.json" \
  -n 'migrate diff, no change, cold cache' --prepare "rm -rf $WORK/cache" "$M diff" \
  -n 'migrate diff, no change, warm cache' --prepare "true" "$M diff"
cp schema_changed.sql schema.sql; "$M" diff >/dev/null
hyperfine --runs "$RUNS" --export-json "$RES/sqlite_changed.json" \
  -n 'migrate diff, 10 tables changed, cold cache' --prepare "rm -rf $WORK/cache" "$M diff" \
  -n 'migrate diff, 10 tables changed, warm cache' --prepare "true" "$M diff"
echo "peak RSS migrate diff (SQLite, 10 changed): cold $(rm -rf "$WORK/cache"; rss "$M" diff), warm $(rss "$M" diff)" | tee "$RES/sqlite_rss.txt" >&2
python3 - "$RES" <<'PY'
import json, os, sys
res = sys.argv[1]
print("| database | command | median | min–max |")
print("|---|---|---:|---|")
for f, label in [("pg_nochange", "PostgreSQL"), ("pg_changed", "PostgreSQL"), ("pg_alembic", "PostgreSQL"), ("pg_alembic_changed", "PostgreSQL"),
                 ("sqlite_nochange", "SQLite"), ("sqlite_changed", "SQLite")]:
    p = os.path.join(res, f + ".json")
    if not os.path.exists(p):
        continue
    for r in json.load(open(p))["results"]:
        print(f"| {label} | {r['command']} | {r['median']:.2f} s | {r['min']:.2f}–{r['max']:.2f} s |")
for f in ("pg_rss.txt", "alembic_rss.txt", "sqlite_rss.txt"):
    p = os.path.join(res, f)
    if os.path.exists(p):
        print("\n" + open(p).read().strip())
PY
