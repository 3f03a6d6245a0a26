#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run them all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
exec .venv/bin/python -m pytest -q "$@"
