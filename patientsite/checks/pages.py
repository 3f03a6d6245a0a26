"""Per-page checks: a stage of its own between the model and rendering, in the full build and the
preview alike.

For each page: its medical review date (review.py: a warning `review.warn_days` before it falls due,
an error once overdue, a warning for a date in the future) and the unsafe markup in its body (which
the sanitiser removes; a warning naming the line). Given the findings of an earlier build on the same
day, only the pages named as changed are checked again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from patientsite.checks import review
from patientsite.errors import BuildError, Problem, Problems
from patientsite.load.config import Config
from patientsite.model.site import Page
from patientsite.render import markdown as md_

STAGE = "checking the pages"


@dataclass(frozen=True)
class PageFindings:
    day: datetime.date                        # the day the review dates were judged on
    by_page: Mapping[str, tuple[tuple[Problem, ...], tuple[Problem, ...]]]   # src_path -> (errors, warnings)

    def errors(self) -> list[Problem]:
        return [error for errors, _ in self.by_page.values() for error in errors]

    def warnings(self) -> tuple[Problem, ...]:
        return tuple(warning for _, warnings in self.by_page.values() for warning in warnings)

    def raise_if_errors(self) -> None:
        errors = self.errors()
        if errors:
            raise BuildError(STAGE, errors)


def check_pages(pages: Iterable[Page], config: Config, day: datetime.date,
                previous: PageFindings | None = None, changed: Iterable[str] = ()) -> PageFindings:
    """The findings for `pages` on `day`; those of `previous` are kept for every page not in
    `changed` (src_paths) when `previous` was judged on the same day."""
    keep = previous.by_page if previous is not None and previous.day == day else {}
    again = set(changed)
    found = {}
    for page in pages:
        if page.src_path in keep and page.src_path not in again:
            found[page.src_path] = keep[page.src_path]
            continue
        problems = Problems(STAGE)
        review.check_review_dates([page], config, day, problems)
        warn_unsafe_markup(page, problems)
        found[page.src_path] = (tuple(problems.errors), tuple(problems.warnings))
    return PageFindings(day, MappingProxyType(found))


def warn_unsafe_markup(page: Page, problems: Problems) -> None:
    for line, what in md_.find_unsafe_markup(page.body):
        problems.warn(page.src_path, page.body_line + line - 1, f'removed unsafe markup "{what}"',
                      "Pages may not carry scripts, event handlers or javascript: links; delete it from the page.")
