"""`python build.py build [--out DIR]`: build the site, print a summary per language."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import count as plural
from .pipeline import REPORT_PATH, build


def add_arguments(parser) -> None:
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: site/)")
    parser.add_argument("--no-cache", action="store_true",
                        help="render every page and rewrite the render cache (.cache/pages)")
    parser.add_argument("--jobs", type=int, default=0, help="processes to render with (default: all cores)")


def run(args, root: Path) -> int:
    out = Path(os.path.abspath(args.out or root / "site"))   # not resolved: a symbolic link is refused
    result = build(root, out, use_cache=not args.no_cache, jobs=args.jobs)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    seconds = dict(result.render_seconds)
    for language in result.site.config.languages:
        count = sum(1 for p in result.site.pages if p.language == language.code)
        spent = seconds.get(language.code, 0.0) * 1000
        how = f"rendering took {spent:.0f} ms" if language.code in seconds else "all unchanged, from the cache"
        print(f"{language.code}  {language.name:<10} {count:>4} {'page' if count == 1 else 'pages'} written; {how}")
    print(f"Built {plural(len(result.files), 'file')} ({plural(result.rendered, 'page')} rendered, the rest unchanged) into {out} "  # noqa: E501
          f"in {result.seconds * 1000:.0f} ms; "
          f"review report for the doctor: {REPORT_PATH}")
    return 0
