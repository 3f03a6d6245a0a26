#!/usr/bin/env bash
# Set up the project on a fresh machine: a virtual environment with the project's packages.
#   bash scripts/setup.sh         packages to build and preview the site
#   bash scripts/setup.sh test    also the test tools: Debian's chromium, Java and nginx, npm's vnu-jar, axe-core and lighthouse,
#                                 and WeasyPrint's Pango and a font with Cyrillic (build --pdf)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
if [ "${1:-}" = "test" ]; then
  .venv/bin/pip install -q --disable-pip-version-check -e ".[test]"
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
  for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do     # WeasyPrint (build --pdf)
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || need+=("$package")
  done
  command -v nginx >/dev/null 2>&1 || need+=(nginx-light libnginx-mod-http-brotli-static)   # tests/test_nginx.py
  if [ ${#need[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${need[*]}"
    # nginx's install scripts need Debian's standard www-data user, missing from some minimal images
    getent group www-data >/dev/null || groupadd --system --gid 33 www-data
    getent passwd www-data >/dev/null || useradd --system --uid 33 --gid www-data --home-dir /var/www \
      --no-create-home --shell /usr/sbin/nologin www-data
    dpkg --configure -a >/dev/null 2>&1 || true
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  [ -d node_modules/vnu-jar ] && [ -d node_modules/axe-core ] && [ -x node_modules/.bin/lighthouse ] \
    || npm ci --no-audit --no-fund --loglevel=error \
    || npm install --no-audit --no-fund --loglevel=error    # a dependency's "latest" moved on since the lock
else
  .venv/bin/pip install -q --disable-pip-version-check -e .
fi
