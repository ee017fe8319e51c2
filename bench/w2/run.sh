#!/usr/bin/env bash
# W2/W3 of ../../../shared/reference/perf-anchors.md for migrate, side by side
# with the physical floor (sqlite3 / psql running the same SQL) in the same run:
#   W2  apply R trivial revisions from empty; revert them all (downgrade base)
#   W3  a no-op `migrate current` and `migrate upgrade head` at R applied revisions
# Usage: bench/w2/run.sh [R]      (needs hyperfine, sqlite3, psql, GNU time)
# Env:   WORK (default /tmp/migrate-bench-w2), RUNS (default 5), PG=0 / SQLITE=0 to skip one,
#        BEFORE=/path/to/other/migrate adds that binary's apply and revert rows
#        to the same hyperfine runs (a before/after comparison in one run)
set -euo pipefail
R=${1:-1000}
WORK=${WORK:-/tmp/migrate-bench-w2}
RUNS=${RUNS:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
mkdir -p "$WORK/results"
M="$WORK/migrate"
(cd "$ROOT" && go build -o "$M" ./cmd/migrate)
"$HERE/gen.sh" "$WORK/proj" "$R"
cd "$WORK/proj"
RES="$WORK/results"
rss() { /usr/bin/time -f '%M' -o "$WORK/rss" "$@" >/dev/null 2>&1; echo "$(( $(tail -n1 "$WORK/rss") / 1024 )) MiB"; }

if [ "${SQLITE:-1}" != 0 ]; then
echo "== SQLite, $R revisions" >&2
export DATABASE_URL=sqlite:///w2.db
hyperfine --runs "$RUNS" --warmup 1 --prepare 'rm -f w2.db raw.db' --export-json "$RES/sqlite_up.json" \
  -n 'sqlite3 (one transaction)' 'sqlite3 raw.db ".read raw/up_tx.sql"' \
  -n 'migrate upgrade head' "$M upgrade head" \
  ${BEFORE:+-n 'migrate upgrade head (BEFORE)' "$BEFORE upgrade head"}
hyperfine --runs "$RUNS" --export-json "$RES/sqlite_down.json" \
  --prepare "rm -f w2.db raw.db; $M upgrade head 2>/dev/null; sqlite3 raw.db '.read raw/up_tx.sql'" \
  -n 'sqlite3 (one transaction)' 'sqlite3 raw.db ".read raw/down_tx.sql"' \
  -n 'migrate downgrade base' "$M downgrade base" \
  ${BEFORE:+-n 'migrate downgrade base (BEFORE)' "$BEFORE downgrade base"}
rm -f w2.db; "$M" upgrade head 2>/dev/null
hyperfine -N --runs 40 --warmup 5 --export-json "$RES/sqlite_noop.json" \
  -n 'sqlite3 (one query)' "sqlite3 w2.db 'SELECT revision FROM migrate_version ORDER BY applied_at DESC LIMIT 1'" \
  -n 'migrate current' "$M current" \
  -n 'migrate upgrade head (no-op)' "$M upgrade head"
echo "peak RSS sqlite: upgrade $(rm -f w2.db; rss "$M" upgrade head), current $(rss "$M" current), downgrade $(rss "$M" downgrade base)" | tee "$RES/sqlite_rss.txt" >&2
fi

if [ "${PG:-1}" != 0 ]; then
  echo "== PostgreSQL, $R revisions" >&2
  export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGSSLMODE=disable
  P="psql -X -q -v ON_ERROR_STOP=1"
  recreate="$P -d postgres -c 'DROP DATABASE IF EXISTS bench_w2_m WITH (FORCE)' -c 'DROP DATABASE IF EXISTS bench_w2_raw WITH (FORCE)' -c 'CREATE DATABASE bench_w2_m' -c 'CREATE DATABASE bench_w2_raw'"
  export DATABASE_URL="postgres://$PGUSER@$PGHOST:5432/bench_w2_m?sslmode=disable"
  hyperfine --runs "$RUNS" --warmup 1 --prepare "$recreate" --export-json "$RES/pg_up.json" \
    -n 'psql (one transaction)' "$P -d bench_w2_raw -f raw/up_tx.sql" \
    -n 'psql (transaction + version row per revision)' "$P -d bench_w2_raw -f raw/up_each.sql" \
    -n 'migrate upgrade head' "$M upgrade head" \
    ${BEFORE:+-n 'migrate upgrade head (BEFORE)' "$BEFORE upgrade head"}
  hyperfine --runs "$RUNS" --export-json "$RES/pg_down.json" \
    --prepare "$recreate; $M upgrade head 2>/dev/null; $P -d bench_w2_raw -f raw/up_tx.sql" \
    -n 'psql (one transaction)' "$P -d bench_w2_raw -f raw/down_tx.sql" \
    -n 'migrate downgrade base' "$M downgrade base" \
    ${BEFORE:+-n 'migrate downgrade base (BEFORE)' "$BEFORE downgrade base"}
  eval "$recreate"; "$M" upgrade head 2>/dev/null
  hyperfine -N --runs 40 --warmup 5 --export-json "$RES/pg_noop.json" \
    -n 'psql (one query)' "psql -X -Atc 'SELECT revision FROM migrate_version ORDER BY applied_at DESC LIMIT 1' -d bench_w2_m" \
    -n 'migrate current' "$M current" \
    -n 'migrate upgrade head (no-op)' "$M upgrade head"
  echo "peak RSS postgres: current $(rss "$M" current), downgrade $(rss "$M" downgrade base), upgrade $(rss "$M" upgrade head)" | tee "$RES/pg_rss.txt" >&2
  $P -d postgres -c 'DROP DATABASE IF EXISTS bench_w2_m WITH (FORCE)' -c 'DROP DATABASE IF EXISTS bench_w2_raw WITH (FORCE)'
fi
python3 "$HERE/summarize.py" "$RES"
