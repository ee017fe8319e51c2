#!/usr/bin/env bash
# gen.sh OUT [R]: the W2/W3 workload of ../../../shared/bench/gen_w2.py in
# migrate's revision format, plus the raw SQL floors.
#   OUT/migrate.toml, OUT/versions/NNNNN_<id>_step.sql   (R revisions, linear)
#   OUT/raw/up_tx.sql    everything in one transaction (the physical floor)
#   OUT/raw/up_each.sql  a transaction per revision that also records a version row
#   OUT/raw/down_tx.sql, OUT/raw/down_each.sql likewise
# Revision i: odd i creates r_i (id integer PRIMARY KEY, name text NOT NULL),
# even i adds c_i integer to the table of i-1; downs undo exactly that.
set -euo pipefail
out=$1; R=${2:-1000}
rm -rf "$out"; mkdir -p "$out/versions" "$out/raw"
cat > "$out/migrate.toml" <<TOML
versions = "versions"
[env.development]
url = "\${DATABASE_URL}"
TOML
tbl() { local i=$1; (( i % 2 )) && printf 'r_%05d' "$i" || printf 'r_%05d' $((i-1)); }
up() { local i=$1; if (( i % 2 )); then echo "CREATE TABLE $(tbl $i) (id integer PRIMARY KEY, name text NOT NULL);"; else printf 'ALTER TABLE %s ADD COLUMN c_%05d integer;\n' "$(tbl $i)" "$i"; fi; }
down() { local i=$1; if (( i % 2 )); then echo "DROP TABLE $(tbl $i);"; else printf 'ALTER TABLE %s DROP COLUMN c_%05d;\n' "$(tbl $i)" "$i"; fi; }
id() { printf '%05da1b2c3d' "$1"; }
{
  echo "BEGIN;" >&3
  echo "CREATE TABLE schema_version (version integer PRIMARY KEY);" >&4
  for ((i=1; i<=R; i++)); do
    u=$(up $i); d=$(down $i)
    parent=""; (( i > 1 )) && parent=$(id $((i-1)))
    printf -- '-- migrate:revision %s\n-- migrate:revises %s\n-- migrate:message step %d\n\n-- migrate:up\n%s\n\n-- migrate:down\n%s\n' \
      "$(id $i)" "$parent" "$i" "$u" "$d" > "$out/versions/$(printf '%05d' $i)_$(id $i)_step.sql"
    echo "$u" >&3
    printf 'BEGIN;\n%s\nINSERT INTO schema_version VALUES (%d);\nCOMMIT;\n' "$u" "$i" >&4
  done
  echo "COMMIT;" >&3
} 3>"$out/raw/up_tx.sql" 4>"$out/raw/up_each.sql"
{
  echo "BEGIN;" >&3
  for ((i=R; i>=1; i--)); do
    d=$(down $i)
    echo "$d" >&3
    printf 'BEGIN;\n%s\nDELETE FROM schema_version WHERE version = %d;\nCOMMIT;\n' "$d" "$i" >&4
  done
  echo "COMMIT;" >&3
} 3>"$out/raw/down_tx.sql" 4>"$out/raw/down_each.sql"
