#!/usr/bin/env bash
# postgres.sh [SIZES…]: whole-process PostgreSQL introspection against
# pg_dump --schema-only of the same database, in the same run.
#
# For each size N (default 100 1000 3000) it loads the W1 schema of N tables
# (../shared/bench/gen_w1.py: 10 columns, an identity key, a foreign key to
# the previous table, a check, a unique and a two-column index each) into a
# database migrate_bench_w1_N, checks that `migrate inspect` prints N tables,
# then times, interleaved (pg_dump, migrate, pg_dump, migrate, … RUNS pairs
# after one warm-up pair, default 10), so that a shared machine's drift hits
# both alike:
#
#   pg_dump --schema-only -d DB                 (the reference)
#   migrate inspect --url URL                   (DDL on stdout)
#
# and prints the medians (min–max) of the whole-process wall times, the
# median of the per-pair ratios migrate/pg_dump, and each one's peak RSS (GNU
# time %M of one extra run). The databases are dropped at the end (KEEP=1
# keeps them). Needs psql, pg_dump, /usr/bin/time, python3; PGHOST/PGUSER
# default to 127.0.0.1/postgres.
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
for c in psql pg_dump python3; do
  command -v $c >/dev/null || { echo "$c not installed" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "/usr/bin/time not installed (apt-get install time)" >&2; exit 2; }
[ -f "$gen" ] || { echo "generator $gen not found (set GEN_W1)" >&2; exit 2; }

go build -o "$work/migrate" ./cmd/migrate
M="$work/migrate"
rss() { /usr/bin/time -o "$work/rss" -f '%M' "$@" >/dev/null; awk '{printf "%.0f", $1 / 1024}' "$work/rss"; }
# paired RUNS CMD_A -- CMD_B: interleaved wall times → "a_med a_min a_max b_med b_min b_max ratio_med"
paired() {
  python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
runs = int(sys.argv[1]); i = sys.argv.index("--")
a, b = sys.argv[2:i], sys.argv[i + 1:]
def wall(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t
wall(a); wall(b)  # warm-up
ta, tb = [], []
for _ in range(runs):
    ta.append(wall(a)); tb.append(wall(b))
r = statistics.median(y / x for x, y in zip(ta, tb))
print(" ".join("%.3f" % v for v in (statistics.median(ta), min(ta), max(ta), statistics.median(tb), min(tb), max(tb), r)))
PY
}

echo "| tables | pg_dump --schema-only: median s (min–max) | migrate inspect: median s (min–max) | ratio (median of pairs) | peak RSS pg_dump / migrate |"
echo "|---:|---|---|---:|---|"
for n in "${sizes[@]}"; do
  db=migrate_bench_w1_$n
  url="postgres://$PGUSER@$PGHOST:5432/$db?sslmode=disable"
  python3 "$gen" "$n" "$work/w1_$n" >/dev/null
  PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/w1_$n/schema.sql"
  got=$("$M" inspect --url "$url" | grep -c '^CREATE TABLE ')
  [ "$got" -eq "$n" ] || { echo "migrate inspect printed $got tables, want $n" >&2; exit 1; }
  read -r pm pmin pmax mm mmin mmax ratio < <(paired "$runs" pg_dump --schema-only -d "$db" -- "$M" inspect --url "$url")
  echo "| $n | $pm ($pmin–$pmax) | $mm ($mmin–$mmax) | $ratio | $(rss pg_dump --schema-only -d "$db") / $(rss "$M" inspect --url "$url") MiB |"
done
