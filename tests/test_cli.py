"""The command line: read as given (never edited), global options before or after the command, the
build's options alone only when there is no command, --version, --quiet/--verbose, the console script."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from badinput import snapshot
from sitefiles import make_site

from patientsite import __version__
from patientsite.cli import COMMANDS, main

REPO = Path(__file__).resolve().parent.parent


def _run(*argv: str) -> tuple[int, str, str]:
    """main(argv) in this process: (exit code, stdout, stderr); argparse's exits are codes too."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv), prog="patientsite")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def site_root(tmp_path_factory) -> Path:
    return make_site(tmp_path_factory.mktemp("cli") / "site")


def test_version():
    code, out, err = _run("--version")
    assert (code, out, err) == (0, f"patientsite {__version__}\n", "")


def test_the_console_script_is_declared_and_runs():
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"patientsite": "patientsite.cli:console"}
    result = subprocess.run([sys.executable, "-c", "from patientsite.cli import console; console()", "--version"],
                            capture_output=True, text=True, cwd=REPO, timeout=60)
    assert (result.returncode, result.stdout) == (0, f"patientsite {__version__}\n")


@pytest.mark.parametrize("place", ["before", "after"])
@pytest.mark.parametrize("option", ["--root", "--root="])
def test_root_before_or_after_the_command_builds_the_same_site(site_root, tmp_path, place, option):
    out = tmp_path / "out"
    root = [option + str(site_root)] if option.endswith("=") else [option, str(site_root)]
    argv = [*root, "build", "--out", str(out)] if place == "before" else ["build", *root, "--out", str(out)]
    code, stdout, err = _run(*argv)
    assert code == 0, err
    assert f"into {out}" in stdout and (out / "index.html").is_file()


@pytest.mark.parametrize("argv", [["--quiet", "status"], ["status", "--quiet"], ["-q", "status"], ["status", "-q"]])
def test_global_quiet_before_or_after_status(site_root, argv):
    code, out, err = _run("--root", str(site_root), *argv)
    expected = _run("--root", str(site_root), "status")
    assert (code, out, err) == expected          # status prints its report either way
    assert "Traceback" not in err


def test_no_command_means_build_and_its_options_may_stand_alone(site_root, tmp_path):
    code, out, err = _run("--root", str(site_root), "--out", str(tmp_path / "alone"), "--jobs", "1")
    assert code == 0, err
    assert f"into {tmp_path / 'alone'}" in out and (tmp_path / "alone" / "index.html").is_file()


_MISPLACED = [("--out", "X"), ("--out=X",), ("--no-cache",), ("--jobs", "1"), ("--jobs=2",)]


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "build"])
@pytest.mark.parametrize("option", _MISPLACED, ids=" ".join)
def test_a_build_option_before_another_command_is_refused_clearly(site_root, tmp_path, command, option):
    previous = tmp_path / "site"
    assert _run("--root", str(site_root), "build", "--out", str(previous))[0] == 0
    before = snapshot(previous)
    option = tuple(part.replace("X", str(tmp_path / "x")) for part in option)
    needs = {"i18n": ["extract"]}.get(command, [])      # its own required argument
    code, out, err = _run("--root", str(site_root), *option, command, *needs)
    assert code == 2 and out == "" and "Traceback" not in err
    shown = " ".join(option)
    assert (f"patientsite: error: {shown} stands before the command '{command}': options of a command come "
            f"after it (e.g. patientsite {command} {shown}); only with no command do they mean build") in err
    assert not (tmp_path / "x").exists() and snapshot(previous) == before


def test_check_reads_its_own_out_after_the_command(site_root, tmp_path):
    code, out, err = _run("--root", str(site_root), "check", "--out", str(tmp_path / "checked"))
    assert "Traceback" not in err
    assert (tmp_path / "checked" / "index.html").is_file()


def test_quiet_prints_nothing_but_problems_and_verbose_lists_every_file(site_root, tmp_path):
    code, out, err = _run("--root", str(site_root), "build", "--out", str(tmp_path / "q"), "--quiet")
    assert (code, out) == (0, "")
    code, out, err = _run("-v", "--root", str(site_root), "build", "--out", str(tmp_path / "v"))
    written = sorted(p.relative_to(tmp_path / "v").as_posix() for p in (tmp_path / "v").rglob("*")
                     if p.is_file() and not p.name.startswith("."))     # not the output folder's marker
    assert code == 0 and written
    assert all(f"  {path}\n" in out for path in written)
    code, out, err = _run("--root", str(site_root), "build", "--out", str(tmp_path / "n"))
    assert code == 0 and "Built " in out and not any(f"  {path}\n" in out for path in written)


@pytest.mark.parametrize("argv", [["--quiet", "--verbose", "build"], ["build", "-q", "-v"], ["-q", "build", "-v"]])
def test_quiet_and_verbose_together_are_refused(site_root, tmp_path, argv):
    code, out, err = _run("--root", str(site_root), *argv, "--out", str(tmp_path / "out"))
    assert code == 2 and "Traceback" not in err
    assert "patientsite: error: --quiet and --verbose cannot be used together; choose one" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv", [["biuld"], ["build", "--bogus"], ["--bogus", "build"], ["status", "--out", "X"]])
def test_unknown_words_are_refused_with_usage(site_root, argv):
    code, out, err = _run("--root", str(site_root), *argv)
    assert code == 2 and "Traceback" not in err and "usage: patientsite" in err
