"""The command line: the only place where problems become messages and exit codes.

Each command lives in its own module, which offers `add_arguments(parser)` and
`run(args, root) -> int`; this file only dispatches.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from .errors import BuildError

COMMANDS = {
    "build": ("patientsite.commands", "build the site into site/ (the default command)"),
    "serve": ("patientsite.serve", "live preview on 127.0.0.1 with in-browser errors"),
    "status": ("patientsite.status", "translation status: missing and stale pages, facts and UI strings"),
    "check": ("patientsite.checks", "quality gates on the built site: links, trust block, readability, claims"),
    "i18n": ("patientsite.catalog", "keep the UI string catalogues (messages.po) in step with the templates"),
}


def _parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(prog="python build.py",
                                     description="Build and preview the clinic's patient-information site.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    sub = parser.add_subparsers(dest="command")
    modules = {}
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        command = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
        modules[name] = module
    return parser, modules


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):   # a console that is not UTF-8 shows "?" for what it lacks
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser, modules = _parser()
    known = set(modules)
    if not any(arg in known for arg in argv) and not {"-h", "--help"} & set(argv):
        start = 2 if argv[:1] == ["--root"] else 1 if argv[:1] and argv[0].startswith("--root=") else 0
        argv.insert(start, "build")  # `python build.py [--out DIR]` means build
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        return modules[args.command].run(args, root)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        if args.command == "build":
            print("Nothing was published: the previous site is unchanged.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
