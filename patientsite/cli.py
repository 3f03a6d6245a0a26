"""The command line: the only place where problems become messages and exit codes.

Each command lives in its own module, which offers `add_arguments(parser)` and
`run(args, root) -> int`; this file only reads the command line and dispatches. The argument list is
read as given, never edited: the global options (`--root`, `--quiet`, `--verbose`) are accepted before
or after the command; with no command the build runs, and the build's own options may then stand alone
(`build.py --out DIR`); before another command they are refused, with the way to write it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from patientsite import __version__
from patientsite.commands import build as build_command
from patientsite.errors import BuildError

COMMANDS = {
    "build": ("patientsite.commands.build", "build the site into site/ (the default command)"),
    "serve": ("patientsite.commands.serve", "live preview on 127.0.0.1 with in-browser errors"),
    "status": ("patientsite.commands.status", "translation status: missing and stale pages, facts and UI strings"),
    "check": ("patientsite.commands.check", "quality gates on the built site: links, trust block, readability, claims"),
    "i18n": ("patientsite.commands.i18n", "keep the UI string catalogues (messages.po) in step with the templates"),
}
DEFAULT_COMMAND = "build"
_ALONE = "alone__"      # the dest prefix of the build's options given with no command


def _global_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """--root, --quiet, --verbose: on the main parser with their defaults, and on every command's
    parser without (argparse.SUPPRESS), so that one given after the command wins and none is reset."""
    def default(value):
        return value if defaults else argparse.SUPPRESS
    parser.add_argument("--root", type=Path, default=default(None), help="the project folder (default: here)")
    parser.add_argument("-q", "--quiet", action="store_true", default=default(False),
                        help="print only warnings and errors")
    parser.add_argument("-v", "--verbose", action="store_true", default=default(False),
                        help="also print every file written")


def _parser(prog: str) -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog=prog, description="Build and preview the clinic's patient-information site.",
        epilog=f"With no command, {prog} builds. Global options may come before or after the command.")
    parser.add_argument("--version", action="version", version=f"patientsite {__version__}")
    _global_options(parser, defaults=True)
    alone = parser.add_argument_group("the build's options, when no command is given")
    for flags, options in build_command.OPTIONS:
        name = flags[0].lstrip("-").replace("-", "_")
        shown = {} if options.get("action") == "store_true" else {"metavar": name.upper()}
        alone.add_argument(*flags, **{**options, **shown, "dest": _ALONE + name, "default": argparse.SUPPRESS})
    modules = {}
    for name, (module_name, _help) in COMMANDS.items():
        try:
            modules[name] = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
    sub = parser.add_subparsers(dest="command", metavar="{" + ",".join(modules) + "}")
    for name, module in modules.items():
        help_text = COMMANDS[name][1]
        command = sub.add_parser(name, help=help_text, description=help_text)
        _global_options(command, defaults=False)
        module.add_arguments(command)
    return parser, modules


def _arguments(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """The parsed command line, with `command`, `verbosity` (-1, 0, 1) and the build's options placed."""
    args = parser.parse_args(argv)
    alone = {key[len(_ALONE):]: value for key, value in vars(args).items() if key.startswith(_ALONE)}
    for key in list(vars(args)):
        if key.startswith(_ALONE):
            delattr(args, key)
    if args.quiet and args.verbose:
        parser.error("--quiet and --verbose cannot be used together; choose one")
    args.verbosity = -1 if args.quiet else 1 if args.verbose else 0
    if args.command is None:
        args.command = DEFAULT_COMMAND
        defaults = argparse.ArgumentParser(add_help=False)
        build_command.add_arguments(defaults)
        for key, value in vars(defaults.parse_args([])).items():
            setattr(args, key, alone.get(key, value))
    elif alone:
        shown = " ".join(_before_command(argv, args.command))
        parser.error(f"{shown} stands before the command '{args.command}': options of a command come after it "
                     f"(e.g. {parser.prog} {args.command} {shown}); only with no command do they mean build")
    return args


def _before_command(argv: list[str], command: str) -> list[str]:
    """The build's options (with their values) written before `command` on the command line."""
    takes_value = {flag for flags, options in build_command.OPTIONS if options.get("action") != "store_true"
                   for flag in flags}
    found, index = [], 0
    while index < len(argv) and argv[index] != command:
        word = argv[index]
        name = word.split("=", 1)[0]
        if name == "--root" and "=" not in word:
            index += 1                                   # its value may be any word, even a command's name
        elif any(name == flag for flags, _ in build_command.OPTIONS for flag in flags):
            found.append(word)
            if name in takes_value and "=" not in word and index + 1 < len(argv):
                index += 1
                found.append(argv[index])
        index += 1
    return found


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if prog is None:
        prog = "python build.py" if Path(sys.argv[0]).name == "build.py" else "patientsite"
    for stream in (sys.stdout, sys.stderr):   # a console that is not UTF-8 shows "?" for what it lacks
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser, modules = _parser(prog)
    args = _arguments(parser, argv)
    root = (args.root or Path.cwd()).resolve()
    try:
        return modules[args.command].run(args, root)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        if args.command == "build":
            print("Nothing was published: the previous site is unchanged.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def console() -> None:
    """The `patientsite` console script (pyproject.toml's [project.scripts])."""
    sys.exit(main(prog="patientsite"))
