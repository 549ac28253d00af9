#!/usr/bin/env bash
# Validates docker-compose.yml against the Compose specification's schema (dclint) and lints the Dockerfile
# (dockerfile-utils: unknown instructions, bad ports, malformed flags), without a Docker engine. The tools
# come from the npm registry at pinned versions into target/deploy-lint. .ci/run calls this.
# Rules left out, and why: no-build-and-image (the image name tags the local build), service-image-require-
# explicit-tag (imagesim:latest is that local build, not a pulled image), no-unbound-port-interfaces (the
# interface is ${IMAGESIM_BIND:-127.0.0.1}, which the rule does not read).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/deploy-lint
if ! command -v npm >/dev/null; then
  echo "check-deploy-files: npm not found (Node.js 18+ needed); Dockerfile and compose file not validated" >&2
  exit 1
fi
if [ ! -x "$tools/node_modules/.bin/dclint" ] || [ ! -x "$tools/node_modules/.bin/dockerfile-utils" ]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --no-save --silent dclint@3.1.0 dockerfile-utils@0.16.3
fi
"$tools/node_modules/.bin/dclint" docker-compose.yml --quiet --disable-rule no-build-and-image \
  service-image-require-explicit-tag no-unbound-port-interfaces
"$tools/node_modules/.bin/dockerfile-utils" lint Dockerfile
echo "check-deploy-files: docker-compose.yml and Dockerfile are valid"
