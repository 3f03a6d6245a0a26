#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then lint, type-check and run them all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/mypy
exec .venv/bin/python -m pytest -q "$@"
