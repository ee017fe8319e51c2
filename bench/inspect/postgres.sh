#!/usr/bin/env bash
# postgres.sh [SIZES…]: whole-process PostgreSQL introspection against
# pg_dump --schema-only of the same database, in the same run.
#
# For each size N (default 100 1000 3000) it loads the W1 schema of N tables
# (../shared/bench/gen_w1.py: 10 columns, an identity key, a foreign key to
# the previous table, a check, a unique and a two-column index each) into a
# database migrate_bench_w1_N, checks that `migrate inspect` prints N tables,
# then times with hyperfine (RUNS runs after one warm-up, default 10):
#
#   pg_dump --schema-only -d DB                 (the reference)
#   migrate inspect --url URL                   (DDL on stdout)
#
# and prints the medians (min–max), the ratio of the medians, and each one's
# peak RSS (GNU time %M of one extra run). The databases are dropped at the
# end (KEEP=1 keeps them). Needs psql, pg_dump, hyperfine, /usr/bin/time,
# python3; PGHOST/PGUSER default to 127.0.0.1/postgres.
# The in-process figure: go test ./introspect -run '^$' -bench InspectPostgres -benchmem
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(100 1000 3000)
runs=${RUNS:-10}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGSSLMODE=disable
gen=${GEN_W1:-../shared/bench/gen_w1.py}
work=$(mktemp -d)
cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then
    for n in "${sizes[@]}"; do
      psql -X -q -d postgres -c "DROP DATABASE IF EXISTS migrate_bench_w1_$n WITH (FORCE)" 2>/dev/null || true
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
for c in psql pg_dump hyperfine python3; do
  command -v $c >/dev/null || { echo "$c not installed" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "/usr/bin/time not installed (apt-get install time)" >&2; exit 2; }
[ -f "$gen" ] || { echo "generator $gen not found (set GEN_W1)" >&2; exit 2; }

go build -o "$work/migrate" ./cmd/migrate
M="$work/migrate"
rss() { /usr/bin/time -o "$work/rss" -f '%M' "$@" >/dev/null; awk '{printf "%.0f", $1 / 1024}' "$work/rss"; }
stats() { # stats JSON INDEX → "median min max"
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print("%.3f %.3f %.3f" % (r["median"], r["min"], r["max"]))' "$1" "$2"
}

echo "| tables | pg_dump --schema-only: median s (min–max) | migrate inspect: median s (min–max) | ratio | peak RSS pg_dump / migrate |"
echo "|---:|---|---|---:|---|"
for n in "${sizes[@]}"; do
  db=migrate_bench_w1_$n
  url="postgres://$PGUSER@$PGHOST:5432/$db?sslmode=disable"
  python3 "$gen" "$n" "$work/w1_$n" >/dev/null
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/w1_$n/schema.sql"
  got=$("$M" inspect --url "$url" | grep -c '^CREATE TABLE ')
  [ "$got" -eq "$n" ] || { echo "migrate inspect printed $got tables, want $n" >&2; exit 1; }
  hyperfine -N --style none --runs "$runs" --warmup 1 --export-json "$work/h_$n.json" \
    -n pg_dump "pg_dump --schema-only -d $db" \
    -n migrate "$M inspect --url $url" >/dev/null
  read -r pm pmin pmax < <(stats "$work/h_$n.json" 0)
  read -r mm mmin mmax < <(stats "$work/h_$n.json" 1)
  ratio=$(awk "BEGIN{printf \"%.2f\", $mm / $pm}")
  echo "| $n | $pm ($pmin–$pmax) | $mm ($mmin–$mmax) | $ratio | $(rss pg_dump --schema-only -d "$db") / $(rss "$M" inspect --url "$url") MiB |"
done
