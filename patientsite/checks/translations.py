"""The build's translation policy: what a translation's status means for publishing.

Stale or missing critical words fail the build; a page whose Italian changed since its translation was
marked current is published with an out-of-date notice and a warning; untracked units warn. The status
itself comes from `translation.assess_translations`; the `status` command (commands/status.py) shows it.
"""

from __future__ import annotations

import datetime
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from patientsite.errors import Problem, Problems, count
from patientsite.load.history import notice_date
from patientsite.load.translation import MISSING, STALE, UNTRACKED, LanguageState, TranslationStatus, UnitState


@dataclass(frozen=True)
class TranslationCheck:
    notices: Mapping[tuple[str, str], datetime.date]   # (language, page key) -> when the Italian changed (history.py)
    warnings: tuple[Problem, ...]


def judge_translations(site, status: TranslationStatus) -> TranslationCheck:
    """Fail on stale or missing critical words; give every other stale page a notice. `status` is
    what `assess_translations` found (the preview keeps one up to date)."""
    problems = Problems("checking the translations")
    notices = {}
    source = site.config.source_language.code
    for state in status.languages[1:]:
        code = state.language.code
        stale_units = {unit.key: unit for unit in state.units if unit.status == STALE}
        stale_words = {unit_id for kind, unit_id in stale_units if kind == "words"}
        for unit in state.units:
            if unit.source.critical and unit.status in (STALE, MISSING):
                what = "were translated from an older Italian text" if unit.status == STALE else "are incomplete"
                problems.error(unit.path, unit.line,
                               f'the {code} words for the critical fact "{unit.source.id}" {what}',
                               f"Critical text is never published out of date. See what changed: python build.py "
                               f"status; update the words here, then run: {mark_command(state, unit)}")
        for page in (p for p in site.pages if p.language == code):
            shown = [stale_units[("words", f)] for f in page.facts_used
                     if f in stale_words and (site.facts.facts[f].is_list or site.facts.facts[f].statement)]
            stale = [u for u in [stale_units.get(("page", page.key)), *shown] if u is not None]
            if stale:
                notices[(code, page.key)] = notice_date(site.config.root, stale, site.page(source, page.key).reviewed)
                what = "; ".join("the Italian page changed" if u.source.kind == "page"
                                 else f'the Italian words of "{u.source.id}" changed' for u in stale)
                problems.warn(page.src_path, None, f"published with an out-of-date notice: {what} since this "
                              "translation was marked current",
                              f"Update the translation, then run: {mark_command(state, *stale)}")
        untracked = [u for u in state.units if u.status == UNTRACKED]
        if state.lock.exists and untracked:
            problems.warn(state.lock.path, None, f"{count(len(untracked), 'unit')} of {code} {are(len(untracked))} "
                          f"not tracked yet: {unit_names(untracked)}",
                          f"Check them, then run: {untracked_command(state)}")
    problems.raise_if_any()
    return TranslationCheck(MappingProxyType(notices), problems.warnings_tuple())


def mark_command(state: LanguageState, *units: UnitState) -> str:
    """The command that marks units current, naming a unit's kind when its id alone is ambiguous."""
    targets = []
    for unit in units:
        kind, unit_id = unit.key
        same = sum(1 for u in state.units if u.source.id == unit_id)
        targets.append(shlex.quote(unit_id if kind != "ui" and same == 1 else f"{kind}:{unit_id}"))
    return f"python build.py status --mark-current {state.language.code} {' '.join(targets)}"


def untracked_command(state: LanguageState) -> str:
    """What marks a language's untracked units current: `all` unless that would also mark stale units."""
    untracked = [u for u in state.units if u.status == UNTRACKED]
    if any(u.status == STALE for u in state.units):
        return mark_command(state, *untracked)
    return f"python build.py status --mark-current {state.language.code} all"


def are(number: int) -> str:
    return "is" if number == 1 else "are"


def unit_names(units, most: int = 10) -> str:
    names = [unit_label(u) for u in units]
    return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")


def unit_label(unit: UnitState) -> str:
    name = unit.source.id if len(unit.source.id) <= 40 else unit.source.id[:37] + "..."
    return f'UI "{name}"' if unit.source.kind == "ui" else f"{unit.source.kind} {name}"
