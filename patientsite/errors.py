"""Problems a user can fix: every one names `path:line` and says what to do.

Library code raises `BuildError` with every problem of a stage; only the command line
turns them into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning in a user's file."""

    path: str
    line: int | None
    column: int | None
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        # lines count from 1: "line 0" (a line before the first) is no line at all
        if self.line is not None and (not isinstance(self.line, int) or self.line < 1):
            object.__setattr__(self, "line", None)
            object.__setattr__(self, "column", None)

    @property
    def location(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f"\n    {self.hint}"
        return text


MAX_SHOWN = 200     # problems printed per stage; all of them stay in BuildError.problems


class Interrupted(Exception):
    """The preview's next save stopped a build that was gathering the pages (leaflets, search index);
    nothing of it was written."""


class BuildError(Exception):
    """A stage found problems in the user's files; `problems` holds all of them."""

    def __init__(self, stage: str, problems: list[Problem] | tuple[Problem, ...]):
        self.stage = stage
        self.problems = tuple(sorted(set(problems), key=_order))
        total = len(self.problems)
        body = "\n".join(f"error: {p}" for p in self.problems[:MAX_SHOWN])
        if total > MAX_SHOWN:
            body += f"\n... and {count(total - MAX_SHOWN, 'more error')}: fix these first, then build again."
        super().__init__(f"{count(total, 'error')} while {stage}:\n{body}")


def count(number: int, noun: str, plural: str = "") -> str:
    """'1 error', '2 errors' ('1 unit is', '2 units are' with nouns of their own: count(n, "unit is", "units are'))."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _order(p: Problem) -> tuple:
    return (p.path, p.line or 0, p.column or 0, p.message)


class Problems:
    """Collects the problems of one stage, then fails once with all of them."""

    def __init__(self, stage: str):
        self.stage = stage
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, path: str, line: int | None, message: str, hint: str = "",
              column: int | None = None) -> None:
        self.errors.append(Problem(path, line, column, message, hint))

    def warn(self, path: str, line: int | None, message: str, hint: str = "",
             column: int | None = None) -> None:
        self.warnings.append(Problem(path, line, column, message, hint))

    def extend(self, problems: Problems) -> None:
        self.errors.extend(problems.errors)
        self.warnings.extend(problems.warnings)

    def raise_if_any(self) -> None:
        if self.errors:
            raise BuildError(self.stage, self.errors)

    def warnings_tuple(self) -> tuple[Problem, ...]:
        return tuple(sorted(set(self.warnings), key=_order))


def suggest(name: str, known) -> str:
    """A 'did you mean' hint for a misspelt name, or ''."""
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"? ' if close else ""


_INVISIBLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(value) -> str:
    """A value as a message shows it: control characters written as escapes (\\n, \\x00), so a newline
    in a slug is visible and cannot break the message's lines."""
    import re

    return re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029]",
                  lambda m: _INVISIBLE.get(m.group(), f"\\u{ord(m.group()):04x}"), str(value))
