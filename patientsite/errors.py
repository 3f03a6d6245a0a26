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


class BuildError(Exception):
    """A stage found problems in the user's files; `problems` holds all of them."""

    def __init__(self, stage: str, problems: list[Problem] | tuple[Problem, ...]):
        self.stage = stage
        self.problems = tuple(sorted(set(problems), key=_order))
        body = "\n".join(f"error: {p}" for p in self.problems)
        super().__init__(f"{count(len(self.problems), 'error')} while {stage}:\n{body}")


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

    def extend(self, problems: "Problems") -> None:
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
