"""Consistency of the built pages with the facts and across languages.

- A number typed in a page's prose (outside the elements that show facts: `data-fact` spans and
  table rows) is an error when it belongs to a fact the page talks about: it equals one of the
  fact's numbers, lies within its range, or is followed by the fact's unit ("14 sedute" on a page
  that shows the sessions of a course). Such a copy differs from the fact, or will once the fact
  changes: the page should write {{ fact("id") }}.
- A fact, or a list item, shown on a page in one language but missing from its translation is an
  error.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from patientsite.checks.htmldoc import Document, Element
from patientsite.checks.links import Locate
from patientsite.errors import Problems
from patientsite.load.facts import FACTS_FILE, Amount, Fact
from patientsite.load.i18n import format_amount
from patientsite.model.site import Page, Site

_NUMBER = re.compile(r"(?<![\w.,\-/])(\d+(?:[.,]\d+)?)(?![\w/]|[.,]\d)")
_NEXT_WORD = re.compile(r"[\s\u00a0]*([^\W\d_]+)")


def _is_fact_element(element: Element) -> bool:
    """The elements a number may legitimately appear in: fact values, rows of fact tables, dates, and
    notices beside the content (the stale-translation notice gives a date)."""
    return ((element.tag in ("span", "tr") and "data-fact" in element.attrs)
            or element.tag in ("time", "aside"))


def _amounts(fact: Fact) -> list[tuple[str, Amount]]:
    if fact.amount is not None:
        return [(fact.id, fact.amount)]
    return [(f"{fact.id}#{item.id}.{name}", amount) for item in fact.items for name, amount in item.amounts]


def _unit_words(site: Site, language, unit: str) -> set[str]:
    words = site.facts.words[language.code]
    found = set()
    for number in ("1", "2", "5", "21", "0.5"):
        text = format_amount(Amount(Decimal(number), None, unit), language, words)
        found.add(text.split("\u00a0", 1)[-1].lower())
    return found


def _parse(token: str, language) -> Decimal | None:
    decimal_sign = "," if language.code in ("it", "ru") else "."
    try:
        return Decimal(token.replace(decimal_sign, ".") if decimal_sign == "," else token)
    except InvalidOperation:
        return None


def check_numbers(site: Site, page: Page, doc: Document, locate: Locate, problems: Problems) -> None:
    main = doc.find("main")
    if main is None:
        return
    language = site.config.language(page.language)
    prose = main.text(skip=_is_fact_element)
    talked_about = [(fid, amount) for f in page.facts_used if f in site.facts.facts
                    for fid, amount in _amounts(site.facts.facts[f])]
    units = {amount.unit: _unit_words(site, language, amount.unit) for _fid, amount in talked_about}
    words = site.facts.words[language.code]
    for match in _NUMBER.finditer(prose):
        value = _parse(match.group(1), language)
        if value is None:
            continue
        following = _NEXT_WORD.match(prose, match.end())
        next_word = following.group(1).lower() if following else ""
        for fact_id, amount in talked_about:
            shown = format_amount(amount, language, words)
            low, high = amount.low, amount.high if amount.high is not None else amount.low
            if value in amount.numbers:
                why = f"is a number of the fact {fact_id} ({shown})"
            elif low <= value <= high:
                why = f"lies within the fact {fact_id} ({shown})"
            elif next_word and next_word in units[amount.unit]:
                why = f"differs from the fact {fact_id} ({shown})"
            else:
                continue
            typed = prose[match.start():following.end()] if following else match.group(1)
            before = prose[:match.start()].split()[-2:]
            for context in (before, before[-1:], []):   # the longest context found; the number's line
                path, line = locate(page.output_path, " ".join([*context, typed]), None,
                                    word=len(re.findall(r"[^\W_]+", " ".join(context))))
                if path != page.output_path:
                    break
            problems.error(path, line, f'the number typed in "{" ".join(typed.split())}" {why}',
                           f'Write {{{{ fact("{fact_id.split("#")[0]}") }}}} instead of typing the number.')
            break


def shown_facts(doc: Document) -> set[str]:
    """The fact ids and fact#item ids a page shows."""
    found = set()
    for element in doc.iter():
        fact = element.attrs.get("data-fact")
        if fact:
            found.add(fact.split("#")[0])
        item = element.attrs.get("data-item")
        if item:
            owner = next((a.attrs["data-fact"] for a in element.ancestors() if "data-fact" in a.attrs), None)
            if owner:
                found.add(f"{owner.split('#')[0]}#{item}")
    return found


def compare_translations(site: Site, docs: dict[str, Document], problems: Problems) -> None:
    names = {lang.code: lang.name for lang in site.config.languages}
    for by_language in site.translations.values():
        shown = {code: shown_facts(docs[page.output_path]) for code, page in by_language.items()
                 if page.output_path in docs}
        for code, facts in shown.items():
            page = by_language[code]
            for missing in sorted(set().union(*shown.values()) - facts):
                other = next(c for c in shown if missing in shown[c])
                fact, _, item = missing.partition("#")
                what = f'the item "{item}" of the fact "{fact}"' if item else f'the fact "{fact}"'
                problems.error(page.src_path, None,
                               f"{what} is shown by the {names[other]} page ({by_language[other].src_path}) "
                               f"but not by this {names[code]} page",
                               "Translations must carry the same facts: use the same fact calls as "
                               f"{by_language[other].src_path}.")


def check_coverage(site: Site, docs: dict[str, Document], problems: Problems) -> None:
    """Every fact reaches patients on some page, or says (`not_on_pages:`) why it does not: the review
    report names those for the doctor."""
    shown = set().union(*(shown_facts(doc) for doc in docs.values()))
    for fact in site.facts.facts.values():
        if fact.id not in shown and not fact.not_on_pages:
            problems.error(FACTS_FILE, fact.line, f'the fact "{fact.id}" is shown on no page',
                           f'Show it on a page with {{{{ {"fact_list" if fact.is_list else "fact"}("{fact.id}") }}}}, '
                           'or add not_on_pages: "the reason" so the review report names it for the doctor.')
