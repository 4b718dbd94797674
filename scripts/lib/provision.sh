# Shared by scripts/up.sh and .ci/run: make this machine able to run Reelroom.
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

# Installs Debian packages that are missing: $1.. are "command:package" pairs.
ensure_packages() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd="${pair%%:*}"; pkg="${pair#*:}"
    command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing missing packages: ${missing[*]}"
  if ! as_root true; then
    die "missing: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_system_packages() {
  ensure_packages ffmpeg:ffmpeg ffprobe:ffmpeg psql:postgresql-client pg_isready:postgresql-client \
    redis-server:redis-server redis-cli:redis-tools
  # The PostgreSQL server itself (the client alone is not enough when nothing listens).
  if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    ensure_packages /usr/lib/postgresql/15/bin/postgres:postgresql
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

# Creates the app role (with CREATEDB, for test databases) once.
ensure_db_role() {
  if psql "postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT/postgres" -qtAc 'SELECT 1' >/dev/null 2>&1 </dev/null; then
    return 0
  fi
  say "creating PostgreSQL role $DB_USER"
  pg_super -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
      ELSE
        ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
      END IF; END \$\$;" \
    || die "could not create the PostgreSQL role $DB_USER; create it with CREATEDB, or set DATABASE_URL"
}

# npm ci when node_modules is missing or the lock file changed since the last install.
ensure_node_modules() {
  local want have=""
  want="$(sha256sum "$RR_ROOT/package-lock.json" | cut -d' ' -f1)"
  [ -f "$RR_ROOT/node_modules/.reelroom-lock" ] && have="$(cat "$RR_ROOT/node_modules/.reelroom-lock")"
  if [ "$want" != "$have" ]; then
    say "installing npm dependencies (npm ci)"
    (cd "$RR_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$RR_ROOT/node_modules/.reelroom-lock"
  fi
}

# Builds when any source file is newer than the last successful build.
ensure_build() {
  mkdir -p "$RR_STATE"
  local stamp="$RR_STATE/build.stamp" changed=""
  if [ -f "$stamp" ] && [ -f "$RR_ROOT/apps/api/dist/main.js" ] && [ -f "$RR_ROOT/apps/web/dist/index.html" ]; then
    changed="$(cd "$RR_ROOT" && find packages apps prisma package-lock.json tsconfig.base.json \
      \( -name node_modules -o -name dist -o -name generated \) -prune -o -type f -newer "$stamp" -print -quit)"
  else
    changed=yes
  fi
  if [ -n "$changed" ]; then
    say "building"
    (cd "$RR_ROOT" && npm run build --silent)
    touch "$stamp"
  fi
}
