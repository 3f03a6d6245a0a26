"""`python build.py build [--out DIR]`: build the site, print a summary per language."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from patientsite.errors import count as plural
from patientsite.pipeline import REPORT_PATH, build
from patientsite.render.pdf import pdf_support

# the build's options: also accepted by the command line with no command (cli.py)
OPTIONS: tuple[tuple[tuple[str, ...], dict], ...] = (
    (("--out",), {"type": Path, "default": None, "help": "output folder (default: site/)"}),
    (("--no-cache",), {"action": "store_true",
                       "help": "render every page and rewrite the render cache (.cache/pages)"}),
    (("--jobs",), {"type": int, "default": 0, "help": "processes to render with (default: all cores)"}),
    (("--pdf",), {"action": "store_true",
                  "help": "also write each language's leaflet as a PDF (needs the extra: pip install -e '.[pdf]')"}),
    (("--base-url",), {"default": None, "help": "the site's address for this build (staging, preview deploys), "
                       "instead of site.yaml's base_url; default: $PATIENTSITE_BASE_URL if set"}),
)


def add_arguments(parser) -> None:
    for flags, options in OPTIONS:
        parser.add_argument(*flags, **options)


def run(args, root: Path) -> int:
    out = Path(os.path.abspath(args.out or root / "site"))   # not resolved: a symbolic link is refused
    missing = pdf_support() if args.pdf else None
    if missing is not None:
        print(f"error: {missing}", file=sys.stderr)
        return 1
    result = build(root, out, use_cache=not args.no_cache, jobs=args.jobs, pdf=args.pdf,
                   base_url=args.base_url)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    verbosity = getattr(args, "verbosity", 0)
    if verbosity < 0:
        return 0
    seconds = dict(result.render_seconds)
    for language in result.site.config.languages:
        count = sum(1 for p in result.site.pages if p.language == language.code)
        spent = seconds.get(language.code, 0.0) * 1000
        how = f"rendering took {spent:.0f} ms" if language.code in seconds else "all unchanged, from the cache"
        print(f"{language.code}  {language.name:<10} {count:>4} {'page' if count == 1 else 'pages'} written; {how}")
    if verbosity > 0:
        for path in result.files:
            print(f"  {path}")
    print(f"Built {plural(len(result.files), 'file')} ({plural(result.rendered, 'page')} rendered, "
          f"the rest unchanged) into {out} in {result.seconds * 1000:.0f} ms; "
          f"review report for the doctor: {REPORT_PATH}")
    return 0
