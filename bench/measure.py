"""One build as a child process: wall time, CPU time and peak memory of its whole process tree.

Peak memory is the larger of (a) the highest sum of PSS over the child and its descendants, sampled
every 50 ms from /proc (PSS shares copy-on-write pages between forked workers fairly, so a pool of
workers is not counted once per worker), and (b) the kernel's peak RSS of the largest single process
(os.wait4), which catches a peak between two samples. For a single process (Hugo, MkDocs, Pelican)
this is its peak RSS.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class Measurement:
    seconds: float          # wall clock
    cpu_seconds: float      # user + system, the child and its reaped descendants
    peak_mb: float          # see the module's docstring
    process_mb: float       # peak RSS of the largest single process (kernel's ru_maxrss)


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending.extend(int(child) for child in handle.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


class _Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        readable = os.path.exists(f"/proc/{os.getpid()}/smaps_rollup")
        while readable and not self.done.wait(SAMPLE_SECONDS):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _tree(self.pid)))


def run_measured(command: list[str], cwd: Path, log_path: Path, timeout: float) -> tuple[int, Measurement]:
    """(exit code, measurement) of one run of `command`; its output goes to `log_path`."""
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        sampler = _Sampler(child.pid)
        sampler.start()
        watchdog = threading.Timer(timeout, child.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)   # this child's rusage (with its reaped children)
        finally:
            watchdog.cancel()
            sampler.done.set()
        seconds = time.perf_counter() - started
        sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    process_mb = usage.ru_maxrss / 1024                 # Linux reports kilobytes
    return child.returncode, Measurement(seconds, usage.ru_utime + usage.ru_stime,
                                         max(sampler.peak_kb / 1024, process_mb), process_mb)
