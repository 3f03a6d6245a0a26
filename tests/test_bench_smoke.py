"""The benchmark (bench/bench.py) runs end to end on a tiny site, without the peers installed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RATIOS = re.compile(r"^ratios: hugo=\S+ pelican=\S+ mkdocs=\S+ warm_vs_hugo=\S+ edit_ms=\d+ fact_edit_ms=\d+ rss_mb=\d+$")


def test_bench_runs_at_ten_pages(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench.py"), "--pages", "10", "--runs", "1", "--peers", "none",
         "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert RATIOS.match(lines[-1]), lines[-1]
    assert "| ours | 30 |" in result.stdout
    assert (tmp_path / "work" / "ours" / "out" / "ru" / "tema-0005" / "index.html").is_file()
