"""The review report for the clinic's doctor (`reports/review.md`, not published): every disagreement
between the source documents with what each source says, the editor's proposal, its rationale and
where the doctor confirms it; the facts not shown to patients and why; every correction made while
carrying a fact; the facts by source document."""

from __future__ import annotations

from patientsite.load.decisions import FACTS_FILE, Amount
from patientsite.load.facts import Fact, Facts
from patientsite.load.i18n import format_amount
from patientsite.model.site import Site


def _amount(site: Site, amount: Amount) -> str:
    """A number as the source language shows it (its counted noun's words may be missing: then plain)."""
    language = site.config.source_language
    words = site.facts.words[language.code]
    try:
        return format_amount(amount, language, words).replace("\u00a0", " ")
    except KeyError:
        numbers = "–".join(str(n) for n in amount.numbers)
        return f"{numbers} {amount.unit}"


def _value(site: Site, fact: Fact) -> str:
    """What the pages show for a fact, in every language."""
    if fact.is_list:
        return "list: " + ", ".join(item.id for item in fact.items)
    shown = []
    for language in site.config.languages:
        words = site.facts.words[language.code]
        if fact.statement:
            text = words.texts.get(fact.id)
            shown.append(f'{language.code}: "{text}"' if text else f"{language.code}: (no words)")
        else:
            try:
                shown.append(f"{language.code}: {format_amount(fact.amount, language, words)}".replace("\u00a0", " "))
            except KeyError:
                shown.append(f"{language.code}: {_amount(site, fact.amount)}")
    return "; ".join(shown)


def _documents(facts: Facts, doc_ids) -> str:
    """Each document with its title and file; a translation is named as one, never as a second source."""
    shown = []
    for doc_id in doc_ids:
        doc = facts.documents[doc_id]
        text = f"{doc_id} «{doc.title}» ({doc.file}, {doc.language})"
        if doc.translation_of:
            text += f"; {doc_id} is a translation of {doc.translation_of}, not a second source"
        shown.append(text)
    return "; ".join(shown)


def _pages_using(site: Site, fact_id: str) -> str:
    return ", ".join(sorted({p.src_path for p in site.pages if fact_id in p.facts_used})) or "no page"


def _disagreement(site: Site, fact: Fact) -> list[str]:
    facts, decision = site.facts, fact.decision
    lines = [f"### {fact.id} (content/facts.yaml:{fact.line})", "", "What each source says:", ""]
    for variant in fact.variants:
        value = f"{_amount(site, variant.amount)}: " if variant.amount is not None else ""
        says = f'"{variant.says}"' if variant.says else "(no quotation)"
        lines.append(f"- {value}{says} (content/facts.yaml:{variant.line}). Source: {_documents(facts, variant.sources)}.")  # noqa: E501
    originals = facts.originals(fact.sources)
    lines += ["", f"Distinct source documents: {len(originals)} ({', '.join(originals)}).", ""]
    reviewer = site.config.reviewer
    who = reviewer.name if decision.reviewer == reviewer.id else decision.reviewer
    date = decision.date.isoformat() if decision.date else "no date"
    lines += [f"- {'Decision' if decision.confirmed else 'Proposal'}: {_value(site, fact)}",
              f"- Rationale: {decision.rationale}",
              f"- Status: {decision.status} ({who}, {date})",
              f"- Shown on: {_pages_using(site, fact.id)}"]
    if decision.confirmed:
        lines.append(f"- Confirmed at {FACTS_FILE}:{decision.status_line}.")
    else:
        lines.append(f"- To confirm: set status: confirmed at {FACTS_FILE}:{decision.status_line} "
                     "(and the date of the confirmation on the date: line).")
    return lines + [""]


def review_report(site: Site) -> str:
    facts: Facts = site.facts
    reviewer = site.config.reviewer
    unconfirmed = [f for f in facts.disagreements if not f.decision.confirmed]
    lines = ["# Review report for the clinic's doctor", "",
             "Not published. Made by `python build.py build` from content/facts.yaml.", "",
             f"Reviewer: {reviewer.name} (id {reviewer.id})", "",
             "## Where the source documents disagree, and what the clinic publishes", "",
             f"{len(facts.disagreements)} disagreement(s); {len(unconfirmed)} proposal(s) await the reviewer's "
             "confirmation. Pages show only the decision, never a source's own value.", ""]
    if not facts.disagreements:
        lines += ["No disagreements are recorded.", ""]
    for fact in facts.disagreements:
        lines += _disagreement(site, fact)
    lines += ["## Facts not shown to patients", ""]
    hidden = [f for f in facts.facts.values() if f.not_on_pages]
    if not hidden:
        lines.append("Every fact is shown on a page.")
    for fact in hidden:
        value = _value(site, fact) if fact.amount is not None else fact.kind
        lines.append(f"- `{fact.id}` ({FACTS_FILE}:{fact.line}): {value}. Source: "
                     f"{_documents(facts, fact.all_sources())}. Reason: {fact.not_on_pages}")
    lines += ["", "## Statements corrected or flagged while carrying them", ""]
    if not facts.corrections:
        lines.append("No corrections are recorded.")
    for item in facts.corrections:
        lines += [f"### {item.id} (content/facts.yaml:{item.line})", "",
                  f"- Document: {_documents(facts, [item.document])}",
                  f"- It says: {item.says}",
                  f"- Carried as: {item.carried_as}"]
        for fact_id in item.facts:
            lines.append(f"- Fact `{fact_id}`: {_value(site, facts.facts[fact_id])}.")
        lines.append("")
    lines += ["## Facts by source document", ""]
    for doc in facts.documents.values():
        cited = sorted(f.id for f in facts.facts.values() if doc.id in f.all_sources())
        note = f" (a translation of {doc.translation_of}, not a second source)" if doc.translation_of else ""
        lines.append(f"- {doc.id} ({doc.file}, {doc.language}){note}: {', '.join(cited) or 'no fact'}")
    return "\n".join(lines) + "\n"
