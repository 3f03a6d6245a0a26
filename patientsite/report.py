"""The review report for the clinic's doctor (not published): every disagreement between the
source documents and every correction made while carrying a fact, with the values as each
language shows them."""

from __future__ import annotations

from .facts import Facts
from .i18n import format_amount
from .model import Site


def _value(site: Site, fact_id: str) -> str:
    fact = site.facts.facts[fact_id]
    if fact.is_list:
        return "list: " + ", ".join(item.id for item in fact.items)
    shown = []
    for language in site.config.languages:
        shown.append(f"{language.code}: {format_amount(fact.amount, language, site.facts.words[language.code])}")
    return "; ".join(shown)


def _pages_using(site: Site, fact_id: str) -> str:
    return ", ".join(sorted({p.src_path for p in site.pages if fact_id in p.facts_used})) or "no page"


def review_report(site: Site) -> str:
    facts: Facts = site.facts
    lines = ["# Review report for the clinic's doctor", "",
             "Not published. Made by `python build.py build` from content/facts.yaml.", "",
             f"Reviewer: {site.config.reviewer.name}", "",
             "## Where the source documents disagree", ""]
    if not facts.disagreements:
        lines.append("No disagreements are recorded.")
    for item in facts.disagreements:
        lines += [f"### {item.id} (content/facts.yaml:{item.line})", "", item.note, ""]
        for fact_id in item.facts:
            fact = facts.facts[fact_id]
            docs = ", ".join(f"{d} ({facts.documents[d].file})" for d in fact.all_sources())
            lines.append(f"- `{fact_id}`: {_value(site, fact_id)}. Source: {docs}. Shown on: {_pages_using(site, fact_id)}.")
        lines.append("")
    lines += ["## Statements corrected or flagged while carrying them", ""]
    if not facts.corrections:
        lines.append("No corrections are recorded.")
    for item in facts.corrections:
        doc = facts.documents[item.document]
        lines += [f"### {item.id} (content/facts.yaml:{item.line})", "",
                  f"- Document: {item.document} ({doc.file})",
                  f"- It says: {item.says}",
                  f"- Carried as: {item.carried_as}"]
        for fact_id in item.facts:
            lines.append(f"- Fact `{fact_id}`: {_value(site, fact_id)}.")
        lines.append("")
    lines += ["## Facts by source document", ""]
    for doc in facts.documents.values():
        cited = sorted(f.id for f in facts.facts.values() if doc.id in f.all_sources())
        lines.append(f"- {doc.id} ({doc.file}, {doc.language}): {', '.join(cited) or 'no fact'}")
    return "\n".join(lines) + "\n"
