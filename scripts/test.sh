#!/usr/bin/env bash
# `npm test`: the whole suite (unit, integration, e2e) on this machine, from a fresh clone.
# Provisions what the suite needs with the same functions as `npm run up` (scripts/lib/provision.sh):
# ffmpeg, PostgreSQL and Redis (installed with apt when missing, started when stopped), the database
# role with CREATEDB (each test project creates its own database), Chromium for the browser tests,
# npm dependencies and a build. Without root or password-less sudo it stops at once with the one
# command that installs what is missing. Running it again skips every step that is already done.
# Arguments go to Vitest: `npm test -- --project unit`, `npm test -- test/integration/faults.test.ts`.
set -euo pipefail
source "$(dirname "$0")/lib/provision.sh"
cd "$RR_ROOT"

require_node
ensure_packages "${TEST_NEEDS[@]}"
ensure_postgres_running
ensure_redis_running
ensure_db_role
ensure_node_modules
ensure_build

export TEST_DATABASE_BASE_URL="${TEST_DATABASE_BASE_URL:-postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT}"
exec npx --no-install vitest run "$@"
