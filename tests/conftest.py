import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitefiles import make_site  # noqa: E402


@pytest.fixture
def site_root(tmp_path):
    """A fresh copy of the small three-language site."""
    return make_site(tmp_path / "project")


@pytest.fixture
def build_site():
    """Run `python build.py --root ROOT build --out OUT` in-process; return (exit code, stdout, stderr)."""
    from patientsite.cli import main

    def run(root: Path, out: Path, capsys):
        code = main(["--root", str(root), "build", "--out", str(out)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's chromium through Playwright (run by default)")
