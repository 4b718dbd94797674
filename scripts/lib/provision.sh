# Shared by scripts/up.sh (`npm run up`) and scripts/test.sh (`npm test`): make this machine able to run
# Reelroom and its test suite.
# Each function is idempotent and quick when there is nothing to do.
# shellcheck shell=bash

RR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RR_STATE="$RR_ROOT/.reelroom"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
# The app's own role: on a fresh Debian PostgreSQL, TCP logins need a password, so we create one.
DB_USER="${DB_USER:-reelroom}"
DB_PASSWORD="${DB_PASSWORD:-reelroom}"

say() { printf '\033[1;36m[reelroom]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[reelroom]\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

# What each command needs, as "command:debian-package" pairs. A command is a name looked up in PATH
# or an absolute path (the test suite runs Chromium by path).
RUN_NEEDS=(ffmpeg:ffmpeg ffprobe:ffmpeg psql:postgresql-client pg_isready:postgresql-client
  redis-server:redis-server redis-cli:redis-tools)
# `npm test` on top: Chromium for the browser tests (test/support/browser.ts), ps for the process checks.
TEST_NEEDS=("${RUN_NEEDS[@]}" "${CHROMIUM_PATH:-/usr/bin/chromium}:chromium" ps:procps)

# Prints the Debian packages whose command is missing, once each, in order: $1 is the PATH to search,
# the rest are "command:package" pairs. Looks only; installs nothing.
missing_packages() {
  local dirs=() pair cmd pkg dir found seen=" "
  IFS=: read -r -a dirs <<<"$1"
  shift
  for pair in "$@"; do
    cmd="${pair%:*}"; pkg="${pair##*:}"
    found=""
    if [[ "$cmd" == /* ]]; then
      [ -x "$cmd" ] && [ ! -d "$cmd" ] && found=yes
    else
      for dir in "${dirs[@]}"; do
        if [ -n "$dir" ] && [ -x "$dir/$cmd" ] && [ ! -d "$dir/$cmd" ]; then found=yes; break; fi
      done
    fi
    if [ -z "$found" ] && [[ "$seen" != *" $pkg "* ]]; then
      seen+="$pkg "
      echo "$pkg"
    fi
  done
}

# PostgreSQL's server package, when nothing answers on PG_HOST:PG_PORT and no server is installed
# (the client alone is not enough when nothing listens).
postgres_server_package() {
  if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo postgresql
  fi
}

# Installs, in one apt-get, the packages whose command is missing ($@: "command:package" pairs, plus
# the PostgreSQL server when needed), or stops with the one command that does it when this user can
# neither run as root nor use sudo without a password.
ensure_packages() {
  local missing=()
  mapfile -t missing < <(missing_packages "$PATH" "$@"; postgres_server_package)
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! as_root true; then
    die "missing: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
  fi
  say "installing missing packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What `npm run up` needs on the machine.
ensure_system_packages() {
  ensure_packages "${RUN_NEEDS[@]}"
}

# Node.js as package.json's engines field asks (20.19+), or stop with where to get it.
require_node() {
  local version
  version="$(node --version 2>/dev/null || true)"
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
    die "Node.js 20.19+ is required (found: ${version:-none}). Install it from https://nodejs.org or with: sudo apt-get install -y nodejs npm"
  fi
}

ensure_postgres_running() {
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && return 0
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$version" ] || die "PostgreSQL is not running on $PG_HOST:$PG_PORT and no local cluster was found. Start it, or set DATABASE_URL."
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start \
    || die "could not start PostgreSQL; run: sudo pg_ctlcluster $version main start"
  for _ in $(seq 1 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && return 0; sleep 1; done
  die "PostgreSQL did not come up on $PG_HOST:$PG_PORT"
}

ensure_redis_running() {
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
  say "starting Redis on $REDIS_HOST:$REDIS_PORT (config: infra/redis.conf, data in .reelroom/redis)"
  mkdir -p "$RR_STATE/redis"
  redis-server "$RR_ROOT/infra/redis.conf" --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" \
    --dir "$RR_STATE/redis" --logfile "$RR_STATE/redis/redis.log" >/dev/null
  for _ in $(seq 1 20); do redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.5; done
  die "Redis did not come up on $REDIS_HOST:$REDIS_PORT; see $RR_STATE/redis/redis.log"
}

# Runs SQL as a PostgreSQL superuser: over TCP as `postgres` where trust auth allows it, otherwise as
# the postgres OS user through the local socket (Debian's default peer auth).
pg_super() {
  if psql "postgresql://postgres@$PG_HOST:$PG_PORT/postgres" -qtAc 'SELECT 1' >/dev/null 2>&1 </dev/null; then
    psql "postgresql://postgres@$PG_HOST:$PG_PORT/postgres" -v ON_ERROR_STOP=1 -qtA "$@"
  elif as_root true; then
    as_root runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtA "$@"
  else
    return 1
  fi
}

# Creates the app role once, with CREATEDB (the test suite creates its own databases), and gives
# CREATEDB to an existing role that lacks it.
ensure_db_role() {
  local can_create
  can_create="$(psql "postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT/postgres" -qtAc \
    'SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user' 2>/dev/null </dev/null || true)"
  [ "$can_create" = t ] && return 0
  say "creating PostgreSQL role $DB_USER (LOGIN CREATEDB)"
  pg_super -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
      ELSE
        ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
      END IF; END \$\$;" \
    || die "could not create the PostgreSQL role $DB_USER. Create it with: sudo -u postgres psql -c \"CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'\""
}

# npm ci when node_modules is missing or older than package-lock.json. npm writes its own record of
# what it installed, node_modules/.package-lock.json, on every install: when that is at least as new
# as the lock file, the tree was installed from it (npm ci, or an npm install that updated both).
ensure_node_modules() {
  local installed="$RR_ROOT/node_modules/.package-lock.json"
  if [ ! -f "$installed" ] || [ "$RR_ROOT/package-lock.json" -nt "$installed" ]; then
    say "installing npm dependencies (npm ci)"
    (cd "$RR_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Builds when any input of the build is newer than the last successful build, or an output is missing.
ensure_build() {
  mkdir -p "$RR_STATE"
  local stamp="$RR_STATE/build.stamp" changed="" out
  for out in apps/api/dist/main.js apps/transcoder/dist/main.js apps/web/dist/index.html; do
    [ -f "$RR_ROOT/$out" ] || changed=yes
  done
  if [ -z "$changed" ] && [ -f "$stamp" ]; then
    changed="$(cd "$RR_ROOT" && find packages apps prisma package-lock.json tsconfig.json tsconfig.base.json \
      scripts/prisma-generate.mjs \( -name node_modules -o -name dist -o -name generated \) -prune \
      -o -type f ! -name '*.tsbuildinfo' -newer "$stamp" -print -quit)"
  else
    changed=yes
  fi
  if [ -n "$changed" ]; then
    say "building"
    (cd "$RR_ROOT" && npm run build --silent)
    touch "$stamp"
  fi
}
