"""The one piece of syntax pages and words use: `{{ fact("id") }}` and its siblings.

A tiny, strict reader instead of a template engine: a page can only call the functions below with
quoted names, so a translator's typo is an error naming the line, and a page costs no compilation.
"""

from __future__ import annotations

import ast
import functools
import re
from typing import NamedTuple

FUNCTIONS = ("fact", "fact_faq", "fact_list", "fact_table", "help_box", "link")
BLOCK_FUNCTIONS = ("fact_faq", "fact_list", "fact_table", "help_box")
NO_NAME_FUNCTIONS = ("help_box",)   # called with empty brackets
MAX_MISTAKES = 50       # per text: a page of a thousand broken calls needs only the first few shown
# a call, a template tag or comment (refused), or an opening brace pair never closed; no match runs past
# the next opening of its kind, so a page full of unclosed "{{" is read in linear time
_CALL = re.compile(r"\{\{((?:(?!\{\{|\}\}).)*)\}\}|\{%(?:(?!\{%|%\}).)*%\}|\{#(?:(?!\{#|#\}).)*#\}|(\{\{|\{%|\{#)",
                   re.S)
_OPENING = re.compile(r"\{[{%#]")     # where a match of _CALL can start: found fast, then matched there
_INNER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*$", re.S)


class Call(NamedTuple):
    function: str
    names: tuple[str, ...]     # the quoted fact ids or page key
    line: int                  # line within the text, 1-based
    start: int
    end: int


class Mistake(NamedTuple):
    line: int
    message: str
    hint: str


def _read_calls(text: str) -> tuple[tuple[Call, ...], tuple[Mistake, ...]]:
    """Every call in a page body or word text, and every mistake, with its line."""
    calls: list = []
    mistakes: list = []
    if "{" not in text:
        return (), ()
    line, counted = 1, 0
    for match in _call_matches(text):
        if len(mistakes) >= MAX_MISTAKES:
            mistakes.append(Mistake(line, "more mistakes follow in this text", "Fix the ones above, then build again."))
            break
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if match.group(2) is not None:   # reported where it opened, not where a later call closes it
            closing = {"{{": "}}", "{%": "%}", "{#": "#}"}[match.group(2)]
            mistakes.append(Mistake(line, f'"{match.group(2)}" opened on this line is not closed with "{closing}"',
                                    'Close the call on the same line: {{ fact("id") }}.'))
            continue
        if match.group(1) is None:
            mistakes.append(Mistake(line, f'"{match.group(0)[:40]}" is not allowed in a page',
                                    'Pages only use calls such as {{ fact("id") }}.'))
            continue
        inner = _INNER.match(match.group(1))
        if inner is None:
            mistakes.append(Mistake(line, f'cannot read "{{{{{match.group(1)[:40]}}}}}"',
                                    'Write a call like {{ fact("course.sessions") }}: a name, brackets, a quoted id.'))
            continue
        function, args = inner.group(1), inner.group(2)
        if function not in FUNCTIONS:
            mistakes.append(Mistake(line, f'unknown name "{function}"',
                                    f"{_suggest(function)}Pages may use: {', '.join(FUNCTIONS)}."))
            continue
        if function in NO_NAME_FUNCTIONS:
            names: tuple[str, ...] | None = () if args is not None and not args.strip() else None
            if names is None:
                mistakes.append(Mistake(line, f"{function}() takes nothing between its brackets",
                                        f"Write {{{{ {function}() }}}}."))
                continue
        else:
            names = _names(args, function)
        if names is None:
            example = ' or fact_table(["a", "b"])' if function == "fact_table" else ""
            mistakes.append(Mistake(line, f"{function}() needs one quoted name",
                                    f'Write {function}("name"){example}.'))
            continue
        if function in BLOCK_FUNCTIONS and not _alone_on_its_line(text, match.start(), match.end()):
            mistakes.append(Mistake(line, f"{function}() must stand alone on its line",
                                    "Put it on a line of its own, with an empty line before and after it."))
            continue
        calls.append(Call(function, names, line, match.start(), match.end()))
    return tuple(calls), tuple(mistakes)


def _call_matches(text: str):
    """What `_CALL.finditer(text)` yields, found fast: every match of _CALL starts at an opening
    brace pair (its last alternative matches any), so it is matched only where `_OPENING` finds one
    instead of being tried at every character."""
    position = 0
    while True:
        opening = _OPENING.search(text, position)
        if opening is None:
            return
        match = _CALL.match(text, opening.start())
        assert match is not None      # the bare opening alternative matches at least
        yield match
        position = match.end()


# Cached by wrapping rather than decorating, so that mutation testing (scripts/mutation.sh) reaches it.
read_calls = functools.lru_cache(maxsize=8192)(_read_calls)


def expand(text: str, calls: tuple[Call, ...], functions: dict) -> str:
    """Replace each call by what its function returns."""
    if not calls:
        return text
    parts, position = [], 0
    for call in calls:
        parts.append(text[position:call.start])
        if call.function in NO_NAME_FUNCTIONS:
            parts.append(str(functions[call.function]()))
        else:
            argument = list(call.names) if call.function == "fact_table" else call.names[0]
            parts.append(str(functions[call.function](argument)))
        position = call.end
    parts.append(text[position:])
    return "".join(parts)


_QUOTED = re.compile(r"""^\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*$""")


def _names(args: str | None, function: str) -> tuple[str, ...] | None:
    if args is None:
        return None
    quoted = _QUOTED.match(args)
    if quoted:  # the usual case, without the cost of a Python parser
        return (quoted.group(1) if quoted.group(1) is not None else quoted.group(2),)
    try:
        value = ast.literal_eval(args.strip() or "None")
    except (ValueError, SyntaxError):
        return None
    if isinstance(value, str):
        return (value,)
    if function == "fact_table" and isinstance(value, (list, tuple)) and value and all(isinstance(v,
                                                                                                  str) for v in value):
        return tuple(value)
    return None


def _alone_on_its_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return not text[line_start:start].strip() and not text[end:None if line_end < 0 else line_end].strip()


def _suggest(name: str) -> str:
    from patientsite.errors import suggest

    return suggest(name, FUNCTIONS)
