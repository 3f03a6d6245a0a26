"""When each page's medical review falls due.

A page is due for review `review.interval_days` (site.yaml) after its `reviewed:` date. The build
warns `review.warn_days` before that and fails once the date has passed. Only this pass, warn or
fail depends on the day the build runs: the pages themselves show the reviewed and next-review
dates, never today's date, so the same content always builds the same files.

"Today" is the environment variable PATIENTSITE_TODAY (YYYY-MM-DD) when it is set, so that tests
and reproducible rebuilds can fix it, and the system date otherwise.
"""

from __future__ import annotations

import datetime
import os

from patientsite.errors import Problems
from patientsite.load.config import Config

TODAY_VARIABLE = "PATIENTSITE_TODAY"


def today() -> datetime.date:
    """The date reviews are measured against: $PATIENTSITE_TODAY, else the system date."""
    given = os.environ.get(TODAY_VARIABLE, "").strip()
    if not given:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(given)
    except ValueError as exc:
        problems = Problems("reading the date of today")
        problems.error(f"${TODAY_VARIABLE}", None, f'"{given}" is not a date',
                       f"Write it as YYYY-MM-DD, e.g. {TODAY_VARIABLE}=2026-11-20, or unset it.")
        problems.raise_if_any()
        raise AssertionError("unreachable") from exc


def next_review(reviewed: datetime.date, config: Config) -> datetime.date:
    return reviewed + datetime.timedelta(days=config.review_interval_days)


def check_review_dates(pages, config: Config, on: datetime.date, problems: Problems) -> None:
    """Warn for every page whose review falls due within warn_days of `on`; fail once it is overdue."""
    for page in pages:
        due = next_review(page.reviewed, config)
        line = page.reviewed_line
        every = f"reviews are due every {config.review_interval_days} days (site.yaml)"
        if on > due:
            problems.error(page.src_path, line,
                           f"the medical review of this page is overdue: it was due on {due.isoformat()} "
                           f"(last reviewed {page.reviewed.isoformat()}; {every})",
                           "Have the doctor review the page, then write the date of that review on this "
                           "reviewed: line.")
        elif on >= due - datetime.timedelta(days=config.review_warn_days):
            days = (due - on).days
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            problems.warn(page.src_path, line,
                          f"the medical review of this page falls due on {due.isoformat()}, "
                          f"{when} (last reviewed {page.reviewed.isoformat()})",
                          "Ask the doctor to review the page before then, then write the date of that "
                          "review on this reviewed: line.")
        elif page.reviewed > on:
            problems.warn(page.src_path, line,
                          f"the reviewed date {page.reviewed.isoformat()} is in the future "
                          f"(today is {on.isoformat()})",
                          "Write the date on which the doctor actually reviewed the page.")
