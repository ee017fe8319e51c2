#!/usr/bin/env bash
# sqlite.sh [SIZES…]: whole-process SQLite introspection against its floor.
#
# For each size N (default 100 1000 3000) it builds a SQLite file of N tables
# shaped like ../../../shared/bench/gen_w1.py's (10 columns, a foreign key to
# the previous table, a named check, a unique and a two-column index), then
# times, best of RUNS (default 5):
#
#   floor:    sqlite3 FILE .schema            (prints the stored SQL, no model)
#   pragmas:  sqlite3 FILE < the pragma joins the introspector sends (native
#             C SQLite running the same catalogue reads, nothing parsed)
#   migrate:  migrate --url sqlite:///FILE inspect   (DDL on stdout)
#
# and prints the wall times, migrate's ratio to the floor and each one's peak RSS
# (/usr/bin/time -f %M, KiB). Until the CLI has `migrate inspect`, only the
# floor is measured and the script says so. The in-process figures come from
#   go test ./introspect -run '^$' -bench InspectSQLite -benchmem
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(100 1000 3000)
runs=${RUNS:-5}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

command -v sqlite3 >/dev/null || { echo "sqlite3 not installed (apt-get install sqlite3)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not installed (apt-get install time)" >&2; exit 2; }

go build -o "$work/migrate" ./cmd/migrate
have_inspect=1
"$work/migrate" inspect --help >/dev/null 2>&1 || have_inspect=0
[ $have_inspect = 1 ] || echo "note: this build has no 'migrate inspect' yet; measuring the floor only" >&2

gen() { # gen N > schema.sql
  local n=$1 i t fk
  echo "BEGIN;"
  for ((i = 1; i <= n; i++)); do
    printf -v t 't_%05d' "$i"
    if ((i > 1)); then printf -v fk 'prev_id INTEGER REFERENCES t_%05d (id) ON DELETE CASCADE,' $((i - 1)); else fk='prev_id INTEGER,'; fi
    cat <<SQL
CREATE TABLE $t (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  code VARCHAR(255) NOT NULL,
  qty INTEGER NOT NULL DEFAULT 0,
  active BOOLEAN NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  price NUMERIC(10,2),
  attrs JSON,
  note TEXT,
  $fk
  CONSTRAINT ${t}_qty_check CHECK (qty >= 0)
);
CREATE UNIQUE INDEX ${t}_code_key ON $t (code);
CREATE INDEX ${t}_active_created_idx ON $t (active, created_at);
SQL
  done
  echo "COMMIT;"
}

# best CMD…: runs CMD $runs times; prints "seconds peak_kib" of the fastest
# run (wall time from date +%N around /usr/bin/time, which gives the RSS).
best() {
  local i out best_s="" best_m=""
  for ((i = 0; i < runs; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -o "$work/time" -f '%M' "$@" >/dev/null
    t1=$(date +%s%N)
    s=$(awk "BEGIN{printf \"%.3f\", ($t1 - $t0) / 1e9}")
    read -r m <"$work/time"
    if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then best_s=$s; best_m=$m; fi
  done
  echo "$best_s $best_m"
}

cat >"$work/pragmas.sql" <<'SQL'
SELECT sqlite_version();
SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main';
SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY rowid;
SELECT m.name, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden FROM sqlite_schema m JOIN pragma_table_xinfo(m.name, 'main') c WHERE m.type = 'table' ORDER BY m.rowid, c.cid;
SELECT m.name, il.name, il."unique", il.origin, ix.cid, ix.name, ix."desc", ix.coll FROM sqlite_schema m JOIN pragma_index_list(m.name, 'main') il JOIN pragma_index_xinfo(il.name, 'main') ix WHERE m.type = 'table' AND ix.key = 1 ORDER BY m.rowid, il.seq, ix.seqno;
SELECT m.name, f.id, f."table", f."from", f."to", f.on_update, f.on_delete FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name, 'main') f WHERE m.type = 'table' ORDER BY m.rowid, f.id, f.seq;
SQL
printf '%-7s %10s %10s %10s %7s %12s %12s\n' tables floor_s pragmas_s migrate_s ratio floor_rss_MB migrate_rss_MB
for n in "${sizes[@]}"; do
  db="$work/w1_$n.db"
  gen "$n" | sqlite3 -bail "$db"
  # sanity: the floor prints every table
  [ "$(sqlite3 "$db" .schema | grep -c '^CREATE TABLE')" -eq "$n" ]
  read -r fs fm < <(best sqlite3 "$db" .schema)
  read -r ps _ < <(best sqlite3 -init "$work/pragmas.sql" "$db" .quit)
  if [ $have_inspect = 1 ]; then
    "$work/migrate" --url "sqlite:///$db" inspect >"$work/out.sql"
    [ "$(grep -c '^CREATE TABLE' "$work/out.sql")" -eq "$n" ] || { echo "migrate inspect printed the wrong number of tables" >&2; exit 1; }
    read -r ms mm < <(best "$work/migrate" --url "sqlite:///$db" inspect)
    ratio=$(awk "BEGIN{printf \"%.1f\", ($fs > 0 ? $ms / $fs : 0)}")
    printf '%-7s %10s %10s %10s %7s %12.1f %12.1f\n' "$n" "$fs" "$ps" "$ms" "$ratio" "$(awk "BEGIN{print $fm/1024}")" "$(awk "BEGIN{print $mm/1024}")"
  else
    printf '%-7s %10s %10s %10s %7s %12.1f %12s\n' "$n" "$fs" "$ps" - - "$(awk "BEGIN{print $fm/1024}")" -
  fi
done
