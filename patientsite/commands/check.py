"""`python build.py check [--strict] [--out DIR]`: build, then run the quality gates on the built site
(checks/site.py) and print every problem and a summary; --strict fails on warnings too."""

from __future__ import annotations

import sys
from pathlib import Path

from patientsite.checks.addresses import disappeared
from patientsite.checks.site import check_site, summary
from patientsite.errors import count
from patientsite.pipeline import build


def add_arguments(parser) -> None:
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--out", type=Path, default=None, help="build into this folder (default: site/)")
    parser.add_argument("--previous", type=Path, default=None, metavar="SITEMAP",
                        help="the sitemap.xml of the published build: each of its addresses must still be "
                             "published, as a page or an alias (docs/deploy.md)")


def run(args, root: Path) -> int:
    result = build(root, (args.out or root / "site").resolve())
    report = check_site(result.site, dict(result.files), result.warnings)
    for kind, found in (("error", report.errors()), ("warning", report.warnings())):
        for check, problem in found:
            print(f"{kind}: [{check}] {problem}", file=sys.stderr)
    moved = disappeared(args.previous, result.site.config.base_url, list(result.files)) \
        if args.previous is not None else []
    for problem in moved:
        print(f"error: [old addresses] {problem}", file=sys.stderr)
    print(summary(report))
    failed = report.failed(args.strict) or bool(moved)
    verdict = "FAILED" if failed else "passed"
    errors = len(report.errors()) + len(moved)
    print(f"\nCheck {verdict}: {count(errors, 'error')}, {count(len(report.warnings()), 'warning')}"
          + (" (--strict: warnings fail too)" if args.strict else ""))
    return 1 if failed else 0
