"""The build's translation policy: what a translation's status means for publishing.

What is ready publishes; what is not, does not (model/publish.py applies the verdicts):
- a page missing in a language, untracked (the language has a translations.lock without it), still the
  source language's text, or showing fact words still in the source language is not published in that
  language; a warning each;
- a page showing critical words (a critical fact, or the whole page marked `critical: true`) that are
  stale, missing, fuzzy, untracked or still in the source language is published as a short "being
  updated" notice instead; a warning each; the source language and every ready page still publish;
- any other page whose source changed since its translation was marked current is published with an
  out-of-date notice and a warning.
A page or a fact's words mostly in another language (a copy) is an error (checks/copies.py).
The status itself comes from `translation.assess_translations`; the `status` command shows it.
"""

from __future__ import annotations

import datetime
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from babel import Locale

from patientsite.checks.copies import find_copies
from patientsite.errors import Problem, Problems, count
from patientsite.load.history import notice_date
from patientsite.load.translation import (
    CURRENT,
    FUZZY,
    MISSING,
    STALE,
    UNTRACKED,
    LanguageState,
    TranslationStatus,
    UnitState,
)

WHOLE_PAGE = ""     # in a page's list of text not ready: the page itself (marked critical), not a fact's words


def _empty() -> Mapping:
    return MappingProxyType({})


@dataclass(frozen=True)
class TranslationCheck:
    notices: Mapping[tuple[str, str], datetime.date]   # (language, page key) -> when the Italian changed (history.py)
    warnings: tuple[Problem, ...]
    unready: Mapping[tuple[str, str], str] = field(default_factory=_empty)   # (language, key) -> why left out
    updating: Mapping[tuple[str, str], str] = field(default_factory=_empty)  # (language, key) -> why a notice
    held: Mapping[str, frozenset[str]] = field(default_factory=_empty)       # language -> critical facts left out
    # what a build from this one keeps: each translated page's verdict, what each language's words were
    # judged from, and the pages the copy check found clean (checks/copies.py)
    verdicts: Mapping[tuple[str, str], PageVerdict] = field(default_factory=_empty, compare=False, repr=False)
    words: Mapping[str, tuple] = field(default_factory=_empty, compare=False, repr=False)
    clean: Mapping[tuple[str, str], tuple] = field(default_factory=_empty, compare=False, repr=False)


@dataclass(frozen=True)
class PageVerdict:
    """One translated page's verdict and what it was judged from: a build from the previous one keeps it
    while the page, its source-language page and its unit's state are the same."""

    page: Any                     # the modelled page (model/site.py's Page)
    original: Any                 # its source-language page
    unit: UnitState | None        # its translation unit's state
    updating: str = ""            # why it is replaced by a "being updated" notice
    unready: str = ""             # why it is not published
    notice: datetime.date | None = None    # the date of its out-of-date notice
    warnings: tuple[Problem, ...] = ()


def judge_translations(site, status: TranslationStatus, previous: TranslationCheck | None = None,
                       words_saved: bool = True) -> TranslationCheck:
    """The verdict on every translated page: published, published with an out-of-date notice,
    replaced by a "being updated" notice, or not published. `status` is what `assess_translations`
    found (the preview keeps one up to date). Raises BuildError on copied text. `previous` (the last
    good build's check): the verdicts of the pages judged from the same page, source page and unit
    state are kept, while a language's words were not saved (`words_saved`: their file dates are the
    notices' dates) and judge the same; the copy check skips the pages it found clean then."""
    problems = Problems("checking the translations")
    notices, unready, updating, held = {}, {}, {}, {}
    verdicts: dict[tuple[str, str], PageVerdict] = {}
    judged_words: dict[str, tuple] = {}
    source = site.config.source_language
    named = english_name(source)
    for state in status.languages[1:]:
        code = state.language.code
        words = {unit.source.id: unit for unit in state.units if unit.source.kind == "words"}
        bad_words = {fact_id: why for fact_id, unit in words.items()
                     if (why := _words_problem(unit, state.lock.exists, named))}
        held[code] = frozenset(f for f in bad_words if words[f].source.critical)
        judged_words[code] = (state.lock.exists, tuple(sorted(words.items(), key=lambda item: item[0])),
                              tuple(sorted(f for f in words if f in site.facts.facts
                                           and (site.facts.facts[f].is_list or site.facts.facts[f].statement))))
        same_words = previous is not None and not words_saved and previous.words.get(code) == judged_words[code]
        for fact_id in sorted(held[code]):
            unit = words[fact_id]
            problems.warn(unit.path, unit.line, f'the {code} words for the critical fact "{fact_id}" '
                          f"{bad_words[fact_id]}: the pages that show them are not published in {code}",
                          f"Critical text is never published out of date. See what changed: python build.py "
                          f"status; update the words here, then run: {mark_command(state, unit)}")
        for unit in (u for u in state.units if u.source.kind == "page"):
            original = site.page(source.code, unit.source.id)
            why = _page_problem(unit, state.lock.exists, named)
            if why:
                unready[(code, unit.source.id)] = why
                where = unit.translation.path if unit.translation else original.src_path
                hint = (f"Translate {original.src_path} into content/{code}/ with key: {unit.source.id}"
                        if unit.translation is None else f"Translate it from {original.src_path}")
                problems.warn(where, 1, f'the page "{unit.source.id}" is not published in {code}: {why}',
                              f"{hint}, then run: {mark_command(state, unit)}")
        for page in (p for p in site.pages if p.language == code and (code, p.key) not in unready):
            original, page_unit = site.page(source.code, page.key), state.find("page", page.key)
            verdict = previous.verdicts.get((code, page.key)) if same_words and previous is not None else None
            if verdict is None or verdict.page is not page or verdict.original is not original \
                    or verdict.unit != page_unit:
                verdict = _judge_page(site, state, page, original, page_unit, words, bad_words, held[code], named)
            verdicts[(code, page.key)] = verdict
            problems.warnings.extend(verdict.warnings)
            if verdict.updating:
                updating[(code, page.key)] = verdict.updating
            elif verdict.unready:
                unready[(code, page.key)] = verdict.unready
            elif verdict.notice is not None:
                notices[(code, page.key)] = verdict.notice
        untracked = [u for u in state.units if u.status == UNTRACKED and u.source.kind != "page"
                     and not (u.source.kind == "words" and u.source.critical)]
        if state.lock.exists and untracked:
            problems.warn(state.lock.path, None, f"{count(len(untracked), 'unit')} of {code} {are(len(untracked))} "
                          f"not tracked yet: {unit_names(untracked)}",
                          f"Check them, then run: {untracked_command(state)}")
    clean = find_copies(site, status, problems, previous.clean if previous is not None else None)
    problems.raise_if_any()
    return TranslationCheck(MappingProxyType(notices), problems.warnings_tuple(), MappingProxyType(unready),
                            MappingProxyType(updating), MappingProxyType(held), MappingProxyType(verdicts),
                            MappingProxyType(judged_words), clean)


def _judge_page(site, state: LanguageState, page, original, page_unit: UnitState | None, words: dict,
                bad_words: dict, held: frozenset, named: str) -> PageVerdict:
    """One translated page's verdict (the language's words judged already)."""
    problems = Problems("checking the translations")
    code = state.language.code
    shown = [f for f in page.facts_used if f in bad_words]
    if original.critical and page_unit is not None and page_unit.status != CURRENT and (
            page_unit.status != UNTRACKED or state.lock.exists):
        shown.insert(0, WHOLE_PAGE)
    if any(f == WHOLE_PAGE or f in held for f in shown):
        why = _updating_reason(shown, held, page_unit, named)
        problems.warn(page.src_path, 1, f"published in {code} as a \"being updated\" notice: {why}",
                      "Critical text is never published out of date. Update the translation, then run: "
                      f"{mark_command(state, *_units(state, page, shown))}")
        return PageVerdict(page, original, page_unit, updating=why, warnings=tuple(problems.warnings))
    if shown:
        why = f'the words of "{shown[0]}" {bad_words[shown[0]]}'
        problems.warn(page.src_path, 1, f"not published in {code}: it shows the words of "
                      f'"{shown[0]}", which {bad_words[shown[0]]}',
                      f"Translate them in {words[shown[0]].path}:{words[shown[0]].line}, then run: "
                      f"{mark_command(state, words[shown[0]])}")
        return PageVerdict(page, original, page_unit, unready=why, warnings=tuple(problems.warnings))
    stale = [u for u in [page_unit if page_unit and page_unit.status == STALE else None,
                         *(_shown_stale(site, page, words))] if u is not None]
    if not stale:
        return PageVerdict(page, original, page_unit)
    notice = notice_date(site.config.root, stale, original.reviewed)
    what = "; ".join(f"the {named} page changed" if u.source.kind == "page"
                     else f'the {named} words of "{u.source.id}" changed' for u in stale)
    problems.warn(page.src_path, None, f"published with an out-of-date notice: {what} since this "
                  "translation was marked current",
                  f"Update the translation, then run: {mark_command(state, *stale)}")
    return PageVerdict(page, original, page_unit, notice=notice, warnings=tuple(problems.warnings))


def english_name(language) -> str:
    """A language's name in English, as the build's messages say it ("Italian")."""
    return Locale.parse(language.babel.language).english_name or language.name


def same_as_source(unit: UnitState) -> bool:
    """A translation that is still the source's text (an untouched copy)."""
    return (unit.translation is not None and unit.translation.text == unit.source.text
            and any(c.isalpha() for c in unit.source.text))


def _page_problem(unit: UnitState, tracked: bool, source: str) -> str:
    if unit.translation is None:
        return "it has no translation"
    if same_as_source(unit):
        return f"it is still the {source} text"
    if unit.status == MISSING:
        return "it is marked untranslated: true (delete the line once it is translated)"
    if unit.status == UNTRACKED and tracked:
        return "this translation is not tracked yet"
    return ""


def _words_problem(unit: UnitState, tracked: bool, source: str) -> str:
    """Why a fact's words may not be published, or "" (terms, counted nouns and titles only warn)."""
    if unit.source.id.startswith(("term:", "unit:", "source:")):
        return ""
    if same_as_source(unit):
        return f"are still the {source} text"
    if unit.source.critical:
        return {STALE: f"were translated from an older {source} text", MISSING: "are incomplete",
                FUZZY: "are incomplete", UNTRACKED: "are not tracked yet" if tracked else ""}.get(unit.status, "")
    return ""


def _shown_stale(site, page, words: dict) -> list[UnitState]:
    """The stale words of the lists and statements a page shows."""
    return [words[f] for f in page.facts_used if f in words and words[f].status == STALE
            and (site.facts.facts[f].is_list or site.facts.facts[f].statement)]


def _updating_reason(shown: list[str], held: frozenset, page_unit: UnitState | None, source: str) -> str:
    reasons = []
    if WHOLE_PAGE in shown and page_unit is not None:
        reasons.append(f"the page is marked critical and its translation is {page_unit.status} "
                       f"against the {source}")
    names = [f'"{f}"' for f in shown if f in held]
    if names:
        reasons.append(f"the critical words of {', '.join(names)} are not ready")
    return "; ".join(reasons)


def _units(state: LanguageState, page, shown: list[str]) -> list[UnitState]:
    found = [state.find("page", page.key)] if WHOLE_PAGE in shown else []
    found += [state.find("words", f) for f in shown if f != WHOLE_PAGE]
    return [u for u in found if u is not None]


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
