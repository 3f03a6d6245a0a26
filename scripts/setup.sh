#!/usr/bin/env bash
# Set up the project on a fresh machine: a virtual environment with the project's packages.
#   bash scripts/setup.sh         packages to build and preview the site
#   bash scripts/setup.sh test    also the test tools: Debian's chromium, Java and nginx, npm's vnu-jar and axe-core
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
if [ "${1:-}" = "test" ]; then
  .venv/bin/pip install -q --disable-pip-version-check -e ".[test]"
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
  command -v nginx >/dev/null 2>&1 || need+=(nginx-light libnginx-mod-http-brotli-static)   # tests/test_nginx.py
  if [ ${#need[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  [ -d node_modules/vnu-jar ] && [ -d node_modules/axe-core ] || npm ci --no-audit --no-fund --loglevel=error
else
  .venv/bin/pip install -q --disable-pip-version-check -e .
fi
