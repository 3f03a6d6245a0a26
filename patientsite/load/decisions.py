"""What the sources say and what the clinic decides (`content/facts.yaml`).

A fact whose source documents disagree carries `variants` (each source's value or statement, with
its sources) and the clinic's `decision`: the value it publishes, who decides (a reviewer named in
site.yaml), when, why, and whether the reviewer has `confirmed` it or the editor only `proposed` it.
Pages show the decision, never a variant. Amounts and source lists are read here too: variants,
decisions and plain facts all use them.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from patientsite.errors import Problems, suggest
from patientsite.load.words import MEASURE_UNITS
from patientsite.load.yamlload import Node, Seq, check_keys, check_types

FACTS_FILE = "content/facts.yaml"
STATUSES = ("proposed", "confirmed")
_ID = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*\Z")
MAX_NUMBER = Decimal(1_000_000)     # no dose, count or interval on a patient page comes near this
_VARIANT_KEYS = {"range", "value", "unit", "says", "sources"}
_DECISION_KEYS = {"range", "value", "status", "reviewer", "date", "rationale"}


@dataclass(frozen=True)
class Amount:
    """A number or a range of numbers with a unit."""

    low: Decimal
    high: Decimal | None
    unit: str

    @property
    def numbers(self) -> tuple[Decimal, ...]:
        return (self.low,) if self.high is None else (self.low, self.high)


@dataclass(frozen=True)
class Variant:
    """What one or more source documents say about a fact."""

    amount: Amount | None      # its number, when it gives one
    says: str                  # the words of the source, quoted
    sources: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Decision:
    """What the clinic publishes for a fact its sources disagree on."""

    amount: Amount | None      # the published number; None for a statement (its words are in words.yaml)
    status: str                # "proposed" (by the editor) or "confirmed" (by the reviewer)
    reviewer: str              # a reviewer id of site.yaml
    date: datetime.date | None
    rationale: str
    line: int
    status_line: int

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


def mapping(parent: Node, key, path: str, problems: Problems) -> Node | None:
    value = parent.get(key)
    if isinstance(value, Node):
        return value
    problems.error(path, parent.line_of(key), f'"{key}" must be a mapping of keys to values',
                   "Indent its keys under it, one per line.")
    return None


def read_sources(node: Node, documents, problems: Problems, where: str) -> tuple[str, ...]:
    raw = node.get("sources")
    if raw is None:
        return ()
    if not isinstance(raw, Seq):
        problems.error(FACTS_FILE, node.line_of("sources"), f"sources of {where} must be a list",
                       "Write sources: [doc-000, doc-004].")
        return ()
    for index, doc in enumerate(raw):
        if not isinstance(doc, str) or doc not in documents:
            problems.error(FACTS_FILE, raw.line_of(index), f'{where} cites an unknown document "{doc}"',
                           f"{suggest(str(doc), documents)}Documents are listed under 'documents:'.")
    return tuple(str(doc) for doc in raw)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def read_amount(node, path: str, line: int, where: str, problems: Problems, unit=None) -> Amount | None:
    """`range:` or `value:` with `unit:` (the node's own, else `unit`, the fact's)."""
    if "range" in node:
        raw = node["range"]
        if not isinstance(raw, Seq) or len(raw) != 2 or not all(_number(x) for x in raw):
            problems.error(path, node.line_of("range"), f"the range of {where} must be two numbers",
                           "Write range: [3, 4].")
            return None
        low, high = (Decimal(str(x)) for x in raw)
        if not all(_plausible(x) for x in (low, high)):
            problems.error(path, node.line_of("range"), f"the range of {where} must be numbers from 0 to {MAX_NUMBER}",
                           "Write the numbers of the source document, e.g. range: [3, 4].")
            return None
        if low >= high:
            problems.error(path, node.line_of("range"), f"the range of {where} must go from low to high",
                           f"Write range: [{raw[1]}, {raw[0]}] or a single value: N.")
            return None
    else:
        raw = node.get("value")
        if not _number(raw):
            problems.error(path, node.line_of("value") if "value" in node else line,
                           f"the value of {where} must be a number",
                           "Write value: 4 (digits only; the unit goes in 'unit:').")
            return None
        low, high = Decimal(str(raw)), None
        if not _plausible(low):
            problems.error(path, node.line_of("value"), f"the value of {where} must be a number from 0 to {MAX_NUMBER}",
                           "Write the number of the source document, e.g. value: 4.")
            return None
    unit = node.get("unit", unit)
    if not isinstance(unit, str) or not _ID.match(unit):
        problems.error(path, node.line_of("unit") if "unit" in node else line, f"{where} needs a unit",
                       f"Add unit: one of {', '.join(MEASURE_UNITS)}, or a counted noun such as session.")
        return None
    return Amount(low, high, unit)


def _plausible(number: Decimal) -> bool:
    """Finite, not negative, below MAX_NUMBER, at most six decimals: a number a page can show."""
    return number.is_finite() and 0 <= number <= MAX_NUMBER and number == number.quantize(Decimal("0.000001"))


def read_variants(raw: Node, where: str, statement: bool, documents, problems: Problems) -> tuple[Variant, ...]:
    """A fact's `variants:`, each with its sources; a number fact's variants each give a number."""
    node = raw.get("variants")
    if not isinstance(node, Seq) or not node:
        problems.error(FACTS_FILE, raw.line_of("variants"), f"the variants of {where} must be a list",
                       "Give one '- says: ...' entry per value the sources give, each with its sources:.")
        return ()
    result = []
    for index, variant in enumerate(node):
        line = node.line_of(index)
        what = f"variant {index + 1} of {where}"
        if not isinstance(variant, Node):
            problems.error(FACTS_FILE, line, f"{what} must be a mapping (says:, sources: and its value)", "")
            continue
        check_keys(variant, _VARIANT_KEYS, FACTS_FILE, what, problems)
        check_types(variant, {"says": str}, FACTS_FILE, what, problems)
        amount = None
        if "range" in variant or "value" in variant:
            amount = read_amount(variant, FACTS_FILE, variant.line, what, problems, unit=raw.get("unit"))
        elif not statement:
            problems.error(FACTS_FILE, variant.line, f"{what} gives no number",
                           "Add range: [low, high] or value: N: what this source says.")
        if statement and "says" not in variant:
            problems.error(FACTS_FILE, variant.line, f"{what} does not say what the source says",
                           'Add says: "..." quoting the source.')
        sources = read_sources(variant, documents, problems, what)
        if not sources:
            problems.error(FACTS_FILE, variant.line, f"{what} names no source document",
                           "Add sources: [doc-...] naming the document(s) that say it.")
        result.append(Variant(amount, str(variant.get("says") or ""), sources, variant.line))
    return tuple(result)


def read_decision(raw: Node, where: str, statement: bool, variants: int, reviewers, problems: Problems
                  ) -> Decision | None:
    """A fact's `decision:`, checked against its kind and its variants."""
    line = raw.line_of("decision")
    node = mapping(raw, "decision", FACTS_FILE, problems)
    if node is None:
        return None
    what = f"the decision on {where}"
    if variants < 2:
        problems.error(FACTS_FILE, line, f"{where} has a decision but nothing to decide "
                       f"({variants} variant{'s' if variants != 1 else ''})",
                       "A decision chooses between two or more variants: add each source's variant "
                       "under variants:, or remove decision: and give the fact's value and sources.")
        return None
    check_keys(node, _DECISION_KEYS, FACTS_FILE, what, problems, required=("status", "reviewer", "date", "rationale"))
    amount = None
    has_value = "range" in node or "value" in node
    if statement and has_value:
        problems.error(FACTS_FILE, node.line_of("range" if "range" in node else "value"),
                       f"{what} gives a number, but the fact is a statement",
                       "A statement's decided words go in content/<lang>/words.yaml under facts: (label:, "
                       "text:); remove the number here, or remove statement: true.")
    elif not statement and not has_value:
        problems.error(FACTS_FILE, line, f"{what} gives no value",
                       "Add range: [low, high] or value: N: the number the clinic publishes.")
    elif not statement:
        amount = read_amount(node, FACTS_FILE, line, what, problems, unit=raw.get("unit"))
    status = node.get("status")
    if "status" in node and status not in STATUSES:
        problems.error(FACTS_FILE, node.line_of("status"), f'{what} has the status "{status}"',
                       "Write status: proposed (the editor's proposal) or status: confirmed (the reviewer agreed).")
    reviewer = node.get("reviewer")
    if "reviewer" in node and (not isinstance(reviewer, str) or reviewer not in reviewers):
        problems.error(FACTS_FILE, node.line_of("reviewer"), f'{what} names an unknown reviewer "{reviewer}"',
                       f"{suggest(str(reviewer), reviewers)}Use the reviewer's id from site.yaml "
                       f"(reviewer: id:): {', '.join(sorted(reviewers))}.")
    date = node.get("date")
    if "date" in node and not isinstance(date, datetime.date):
        problems.error(FACTS_FILE, node.line_of("date"), f'the date of {what} is not a date: "{date}"',
                       "Write it as YYYY-MM-DD, e.g. date: 2026-11-28.")
    rationale = node.get("rationale")
    if "rationale" in node and (not isinstance(rationale, str) or not rationale.strip()):
        problems.error(FACTS_FILE, node.line_of("rationale"), f"the rationale of {what} is empty",
                       'Write in one line why the clinic publishes this: rationale: "...".')
    return Decision(amount, str(status), str(reviewer), date if isinstance(date, datetime.date) else None,
                    str(rationale or ""), line, node.line_of("status") if "status" in node else line)


def warn_unconfirmed(facts, reviewer_name: str, problems: Problems) -> None:
    """One warning per decision the reviewer has not confirmed yet (`check --strict` fails on them)."""
    for fact in facts.values():
        if fact.decision is not None and not fact.decision.confirmed:
            problems.warn(FACTS_FILE, fact.decision.status_line,
                          f'the decision on "{fact.id}" is proposed, not yet confirmed by the reviewer',
                          f"Ask {reviewer_name} to read it in reports/review.md; once they agree, write "
                          "status: confirmed on this line (and the date of their confirmation).")
