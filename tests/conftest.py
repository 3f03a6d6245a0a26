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


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Review dates are judged against a fixed day, so the suite gives the same result next year."""
    if "PATIENTSITE_TODAY" not in __import__("os").environ:
        monkeypatch.setenv("PATIENTSITE_TODAY", "2026-11-28")
