#!/usr/bin/env python3
"""Benchmark our generator against Hugo, Pelican and MkDocs (+ mkdocs-static-i18n) on one synthetic
multilingual site:  .venv/bin/python bench/bench.py --pages N   (set-up: bash bench/setup.sh)

Writes N pages per language (it, en, ru) in each generator's format under bench/work/, then, in one
run, alternating the generators so the machine's drift hits all alike, measures each one's cold
build (no output, no caches), warm build (output and caches kept, nothing changed) and rebuild after
one page is edited, with each build's peak memory (RSS), and our dev server's save-to-page time for
a page edit and a fact edit. Prints a table and, last, the ratios line (our median / the peer's).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import devserver  # noqa: E402
from generators import PEERS, REPO, SETUP_HINT, BenchError, Generator, make, snapshot_generator  # noqa: E402
from measure import Measurement, run_measured  # noqa: E402

BENCH = Path(__file__).resolve().parent
BUILD_TIMEOUT = 1800.0
STAGES = ("cold", "warm", "edit")


def timed_build(generator: Generator, warm: bool) -> Measurement:
    """Run one build of `generator` as a child process and measure it; fail loudly if it fails."""
    log_path = generator.root.parent / f"{generator.name}.log"
    code, measured = run_measured(generator.command(warm), generator.root, log_path, BUILD_TIMEOUT)
    if code != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise BenchError(f"{generator.label} build failed (exit {code}): {' '.join(generator.command(warm))}\n{tail}")
    return measured


def choose(peers_arg: str) -> tuple[list[str], list[str]]:
    """(the generators to run, notes about skipped peers)."""
    wanted = [] if peers_arg == "none" else list(PEERS) if peers_arg == "all" else peers_arg.split(",")
    unknown = [p for p in wanted if p not in PEERS]
    if unknown:
        raise SystemExit(f"unknown peer(s): {', '.join(unknown)}; choose from {', '.join(PEERS)}, all or none")
    chosen, notes = ["ours"], []
    for name in wanted:
        why = make(name, BENCH).missing()
        if why:
            notes.append(f"skipped {name}: {why}; {SETUP_HINT}")
        else:
            chosen.append(name)
    return chosen, notes


def prepare(names: list[str], pages: int, work: Path, revision: str | None) -> tuple[dict[str, Generator], tuple]:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    source = snapshot_generator(work / "generator", revision)
    plans = corpus.plan_site(pages)
    generators = {}
    for name in names:
        generator = make(name, work, source)
        generator.write(plans)
        generators[name] = generator
    return generators, plans


def measure(generators: dict[str, Generator], plans, runs: int) -> dict:
    """runs × (cold for all, warm for all, edit for all); the generators' order rotates every run."""
    results = {name: {stage: [] for stage in STAGES} | {"cpu": [], "peak_mb": [], "pages": 0} for name in generators}
    results["load"] = []       # the 1-minute load average before each build: other work on the machine
    names = list(generators)
    edited = plans[len(plans) // 2]
    for run in range(runs):
        order = names[run % len(names):] + names[:run % len(names)]
        for stage in STAGES:
            for name in order:
                generator = generators[name]
                if stage == "cold":
                    generator.make_cold()
                if stage == "edit":
                    devserver.edit_page(generator.edited_source(edited), f"benchedit{run}x")
                results["load"].append(os.getloadavg()[0])
                measured = timed_build(generator, warm=stage != "cold")
                results[name]["pages"] = generator.verify(plans)
                if stage == "edit" and f"benchedit{run}x" not in generator.page_file(edited, "it").read_text("utf-8"):
                    raise BenchError(f"{generator.label}: the edited page does not show the edit")
                results[name][stage].append(measured.seconds)
                results[name]["peak_mb"].append(measured.peak_mb)
                if stage == "cold":
                    results[name]["cpu"].append(measured.cpu_seconds)
                print(f"  run {run + 1}/{runs} {stage:<4} {generator.label:<12} {measured.seconds:7.2f} s "
                      f"(CPU {measured.cpu_seconds:6.2f} s) {measured.peak_mb:6.0f} MB", flush=True)
    return results


def median(values) -> float | None:
    return statistics.median(values) if values else None


def version(revision: str | None) -> str:
    """The measured generator: a commit, or the working tree (and whether it differs from HEAD)."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""
    commit = git("rev-parse", "--short", revision or "HEAD") or "unknown"
    if revision is not None:
        return f"commit {commit}"
    dirty = git("status", "--porcelain", "--", "patientsite", "templates", "build.py")
    return f"the working tree ({commit}{' + uncommitted changes' if dirty else ''})"


def report(results: dict, edits: devserver.EditTimes | None, pages: int, runs: int, notes: list[str],
           commit: str) -> str:
    ours, load = results["ours"], results["load"]
    lines = [f"{pages} pages per language × 3 languages; medians of {runs} run(s); {datetime.date.today()}; "
             f"{os.cpu_count()} CPUs; Python {platform.python_version()}; our generator at {commit}; "
             f"load average before the builds {min(load):.1f}-{max(load):.1f} (median {median(load):.1f})", "",
             "| generator | pages | cold s | cold CPU s | warm s | 1 page edited s | peak MB | ours/peer cold | ours/peer warm |",  # noqa: E501
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, data in results.items():
        if name == "load":
            continue
        cold, warm, edit = (median(data[s]) for s in STAGES)
        ratio = "" if name == "ours" else f"{median(ours['cold']) / cold:.2f}"
        ratio_warm = "" if name == "ours" else f"{median(ours['warm']) / warm:.2f}"
        lines.append(f"| {make(name, BENCH).label} | {data['pages']} | {cold:.2f} | {median(data['cpu']):.2f} | "
                     f"{warm:.2f} | {edit:.2f} | {max(data['peak_mb']):.0f} | {ratio} | {ratio_warm} |")
    lines += serve_report(edits)
    lines += [""] + [f"note: {n}" for n in notes]
    return "\n".join(lines).rstrip() + "\n"


def serve_report(edits: devserver.EditTimes | None) -> list[str]:
    lines: list[str] = []
    if edits is not None:
        lines += ["", f"Our dev server, {edits.mode}:",
                  f"- one page edited: median {_ms(edits.page_ms)} ms (runs: {_list(edits.page_ms)})",
                  f"- one fact edited ({edits.fact_pages} output pages use it): median {_ms(edits.fact_ms)} ms "
                  f"(runs: {_list(edits.fact_ms)})"]
        if edits.page_rebuild_ms:
            lines.append(f"- the server's own rebuild (its log): page edit median {_ms(edits.page_rebuild_ms)} ms, "
                         f"fact edit median {_ms(edits.fact_rebuild_ms)} ms")
            rest = [_rest(edits.page_ms, edits.page_rebuild_ms), _rest(edits.fact_ms, edits.fact_rebuild_ms)]
            lines.append(f"- the rest, the watcher's delay and the HTTP request (save-to-page minus the rebuild, "
                         f"each edit): page edit median {rest[0]} ms, fact edit median {rest[1]} ms")
        if edits.rewritten:
            lines.append(f"- output files rewritten per fact edit: {edits.rewritten}")
    return lines


def ratios_line(results: dict, edits: devserver.EditTimes | None) -> str:
    ours = results["ours"]

    def ratio(peer: str, stage: str) -> str:
        if peer not in results:
            return "n/a"
        return f"{median(ours[stage]) / median(results[peer][stage]):.2f}"

    rss = max(ours["peak_mb"])
    edit_ms = _ms(edits.page_ms) if edits else "n/a"
    fact_ms = _ms(edits.fact_ms) if edits else "n/a"
    return (f"ratios: hugo={ratio('hugo', 'cold')} pelican={ratio('pelican', 'cold')} mkdocs={ratio('mkdocs', 'cold')} "
            f"warm_vs_hugo={ratio('hugo', 'warm')} edit_ms={edit_ms} fact_edit_ms={fact_ms} rss_mb={rss:.0f}")


def _rest(totals: list[float], rebuilds: list[float]) -> str:
    """Median of save-to-page minus the server's rebuild, edit by edit ("n/a" if a save was split)."""
    return _ms([t - r for t, r in zip(totals, rebuilds, strict=True)]) if len(totals) == len(rebuilds) else "n/a"


def _ms(values) -> str:
    return f"{median(values):.0f}" if values else "n/a"


def _list(values) -> str:
    return ", ".join(f"{v:.0f}" for v in values) or "none"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000, help="pages per language (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement; medians are reported")
    parser.add_argument("--peers", default="all", help="all, none, or a comma list of: " + ", ".join(PEERS))
    parser.add_argument("--work", type=Path, default=None, help="where the projects are written "
                        "(default bench/work/n<pages>)")
    parser.add_argument("--generator", default="worktree", metavar="REV",
                        help="which version of our generator to measure: worktree (default) or a git revision")
    parser.add_argument("--no-serve", action="store_true", help="skip the dev-server edit timings")
    parser.add_argument("--serve-only", action="store_true", help="only the dev-server edit timings (no builds "
                        "timed, no peers); the last line is then `serve: edit_ms=T fact_edit_ms=T watcher=W`")
    parser.add_argument("--json", type=Path, default=None, help="also write every measurement to this file")
    args = parser.parse_args(argv)
    if args.pages < 1 or args.runs < 1:
        parser.error("--pages and --runs must be at least 1")
    names, notes = choose(args.peers) if not args.serve_only else (["ours"], [])
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    work = (args.work or BENCH / "work" / f"n{args.pages}").resolve()
    revision = None if args.generator == "worktree" else args.generator
    commit = version(revision)
    print(f"writing {args.pages} pages × 3 languages for {', '.join(names)} into {work}; "
          f"our generator at {commit}", flush=True)
    try:
        generators, plans = prepare(names, args.pages, work, revision)
        if args.serve_only:
            edits = devserver.measure_edits(generators["ours"], plans, args.runs, timed_build)
            print("\n".join([f"{args.pages} pages per language × 3 languages; {args.runs} run(s); "
                             f"{datetime.date.today()}; our generator at {commit}; load average "
                             f"{os.getloadavg()[0]:.1f}"] + serve_report(edits)))
            print(f"serve: edit_ms={_ms(edits.page_ms)} fact_edit_ms={_ms(edits.fact_ms)} "
                  f"watcher={edits.watcher.replace(' ', '_') or 'none'}")
            return 0
        results = measure(generators, plans, args.runs)
        edits = None
        if not args.no_serve:
            print("  dev server: page edit and fact edit", flush=True)
            edits = devserver.measure_edits(generators["ours"], plans, args.runs, timed_build)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    text = report(results, edits, args.pages, args.runs, notes, commit)
    line = ratios_line(results, edits)
    if args.json:
        args.json.write_text(json.dumps({"pages": args.pages, "runs": args.runs, "commit": commit, "results": results,
                                         "edits": edits.__dict__ if edits else None, "ratios": line},
                                        indent=1), encoding="utf-8")
    print()
    print(text)
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
