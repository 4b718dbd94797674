#!/usr/bin/env bash
# Runs the built api and transcoder together with prefixed, readable logs. Ctrl-C stops both cleanly
# (each process drains: the API closes sockets, the transcoder lets its running job finish).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgresql://reelroom:reelroom@127.0.0.1:5432/reelroom}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export MEDIA_ROOT="${MEDIA_ROOT:-$PWD/data/media}"
export LOG_FORMAT="${LOG_FORMAT:-pretty}"
PORT="${PORT:-3000}"
export PORT
printf '\n\033[1;32m  Reelroom: http://localhost:%s\033[0m\n\n' "$PORT"
exec npx --no-install concurrently --names api,transcoder --prefix-colors cyan,magenta \
  --kill-others --kill-signal SIGTERM \
  "node apps/api/dist/main.js" "node apps/transcoder/dist/main.js"
