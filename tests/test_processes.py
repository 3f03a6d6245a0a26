"""Processes: the render pool's workers die with the build that forked them, even when the build is
killed (SIGKILL leaves it no chance to clean up); nothing is left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bigsite import make_big_site

REPO = Path(__file__).resolve().parent.parent


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (read from /proc: psutil is not needed)."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    return make_big_site(tmp_path_factory.mktemp("big") / "project", 500)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("moment", [0.0, 0.2, 0.5])
def test_workers_die_with_a_killed_build(big_site, tmp_path, moment):
    build = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(big_site), "build",
                              "--out", str(tmp_path / "site"), "--no-cache", "--jobs", "2"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: len(children(build.pid)) >= 2, 60), "the render pool never started"
        time.sleep(moment)
        workers = children(build.pid)
        assert workers and build.poll() is None, "the build ended before it could be killed"
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=10)
        assert wait_until(lambda: not any(alive(pid) for pid in workers), 5), \
            f"workers left running after the build was killed: {sorted(p for p in workers if alive(p))}"
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()


def test_a_worker_whose_build_is_gone_leaves_at_once(monkeypatch):
    from patientsite.render import output as render

    exits = []
    monkeypatch.setattr(render.os, "_exit", lambda code: exits.append(code))
    monkeypatch.setattr(render, "_worker_input", (os.getppid() + 1, None, None, None, None, None))
    monkeypatch.setattr(render, "_render_pages", lambda *args: ([], [], [], {}))
    render._render_in_worker([0])
    assert exits == [1]
    monkeypatch.setattr(render, "_worker_input", (os.getppid(), None, None, None, None, None))
    render._render_in_worker([0])
    assert exits == [1]
