#!/usr/bin/env bash
# `npm run up`: the whole product on this machine, from a fresh clone.
# Installs what is missing (apt: ffmpeg, PostgreSQL, Redis; npm dependencies), starts PostgreSQL and
# Redis if they are stopped, creates and migrates the database, builds, and runs api + transcoder.
# Running it again skips every step that is already done.
set -euo pipefail
source "$(dirname "$0")/lib/provision.sh"
cd "$RR_ROOT"

require_node
ensure_system_packages
ensure_postgres_running
ensure_redis_running
ensure_db_role
ensure_node_modules

export DATABASE_URL="${DATABASE_URL:-postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT/reelroom}"
export REDIS_URL="${REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT}"
node scripts/migrate.mjs --create-db | sed 's/^/[migrate] /'
ensure_build
exec bash scripts/start.sh
