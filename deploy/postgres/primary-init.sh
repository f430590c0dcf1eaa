#!/usr/bin/env bash
# The primary's side of the `scale` profile in docker-compose.yml. The postgres image runs this once,
# when it initialises an empty volume (/docker-entrypoint-initdb.d): a role that replicas stream the
# WAL with, its pg_hba.conf entry, and WAL kept for a replica that falls behind for a while.
# On a volume initialised before, run it by hand (it changes nothing twice):
#   docker compose exec postgres bash /docker-entrypoint-initdb.d/10-replication.sh
# (No `exit` and no `set -u` here: the image sources scripts that are not executable.)
set -e

: "${REPLICATION_USER:=replicator}"
: "${REPLICATION_PASSWORD:=replicator}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v user="$REPLICATION_USER" -v password="$REPLICATION_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I WITH LOGIN REPLICATION PASSWORD %L', :'user', :'password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
ALTER SYSTEM SET wal_keep_size = '1GB';
SQL

hba="$(psql -tA --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -c 'SHOW hba_file')"
if ! grep -qE "^host[[:space:]]+replication[[:space:]]+$REPLICATION_USER[[:space:]]" "$hba"; then
  echo "host replication $REPLICATION_USER all scram-sha-256" >> "$hba"
fi
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -c 'SELECT pg_reload_conf()' > /dev/null
