#!/usr/bin/env bash
# The `postgres-replica` service of docker-compose.yml's `scale` profile: a streaming replica of the
# primary. On an empty volume it copies the primary with pg_basebackup (--write-recovery-conf writes
# standby.signal and primary_conninfo), then runs PostgreSQL, a hot standby, through the image's
# own entrypoint (which drops to the postgres user and skips initdb on a data directory that exists).
set -euo pipefail

: "${PRIMARY_HOST:=postgres}"
: "${PRIMARY_PORT:=5432}"
: "${REPLICATION_USER:=replicator}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD must be set}"
export PGPASSWORD="$REPLICATION_PASSWORD" # also read by the WAL receiver's connection

mkdir -p "$PGDATA"
chown postgres:postgres "$PGDATA"
chmod 700 "$PGDATA"

# The marker is written after a complete copy: a copy that was interrupted is started again. (Not
# standby.signal: a promoted replica loses it, and must not be wiped at its next start.)
if [ ! -f "$PGDATA/.cloned-from-primary" ]; then
  find "$PGDATA" -mindepth 1 -delete
  until pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT"; do
    echo "replica: waiting for $PRIMARY_HOST:$PRIMARY_PORT"
    sleep 1
  done
  echo "replica: copying $PRIMARY_HOST:$PRIMARY_PORT with pg_basebackup"
  gosu postgres pg_basebackup --host="$PRIMARY_HOST" --port="$PRIMARY_PORT" --username="$REPLICATION_USER" \
    --pgdata="$PGDATA" --wal-method=stream --write-recovery-conf --checkpoint=fast --no-password
  gosu postgres touch "$PGDATA/.cloned-from-primary"
fi

exec docker-entrypoint.sh postgres "$@"
