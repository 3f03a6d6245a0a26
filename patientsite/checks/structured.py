"""The `check` command's structured-data gate: each page's JSON-LD parses and says what the visible
page says (its language, last review, reviewer, contraindications and questions). What a page carries
is made by render/structured.py."""

from __future__ import annotations

import json

from patientsite.errors import Problems


def check_structured(path: str, doc, visible: dict, problems: Problems) -> None:
    """`doc` is the built page (htmldoc.Document); `visible` what the page shows: lang, reviewed,
    reviewer, reviewer_title, contraindications (list of names, or None when the page shows none) and
    faq (list of (question, answer), or None)."""
    blocks = [s for s in doc.find_all("script") if s.attrs.get("type") == "application/ld+json"]
    if not blocks:
        problems.error(path, None, "the page carries no JSON-LD structured data",
                       'templates/page.html must have a <script type="application/ld+json"> block.')
        return
    graph = []
    for block in blocks:
        try:
            data = json.loads(block.raw_text())
        except json.JSONDecodeError as exc:
            problems.error(path, block.line + exc.lineno - 1, f"the JSON-LD does not parse: {exc.msg}", "")
            continue
        graph.extend(data.get("@graph", [data]) if isinstance(data, dict) else data)
    by_type: dict[str, list[dict]] = {}
    for node in graph:
        if isinstance(node, dict):
            types = node.get("@type")
            for kind in types if isinstance(types, list) else [types]:
                by_type.setdefault(kind, []).append(node)
    line = blocks[0].line

    def differs(what: str, data_value, page_value) -> None:
        problems.error(path, line, f"the JSON-LD {what} is {data_value!r} but the page shows {page_value!r}",
                       "The structured data must say what the visible page says.")

    pages = by_type.get("MedicalWebPage", [])
    if len(pages) != 1:
        problems.error(path, line, f"the JSON-LD has {len(pages)} MedicalWebPage nodes, not one", "")
    for node in pages[:1]:
        for name in ("lastReviewed", "reviewedBy", "inLanguage"):
            if name not in node:
                problems.error(path, line, f"the MedicalWebPage has no {name}", "")
        if "inLanguage" in node and node["inLanguage"] != visible["lang"]:
            differs("language", node["inLanguage"], visible["lang"])
        if "lastReviewed" in node and node["lastReviewed"] != visible["reviewed"]:
            differs("lastReviewed date", node["lastReviewed"], visible["reviewed"])
        reviewer = node.get("reviewedBy") or {}
        if "reviewedBy" in node and reviewer.get("name") != visible["reviewer"]:
            differs("reviewer", reviewer.get("name"), visible["reviewer"])
        if "reviewedBy" in node and reviewer.get("honorificPrefix") != visible["reviewer_title"]:
            differs("reviewer's title", reviewer.get("honorificPrefix"), visible["reviewer_title"])
    therapies = by_type.get("MedicalTherapy", [])
    if len(therapies) != 1:
        problems.error(path, line, f"the JSON-LD has {len(therapies)} MedicalTherapy nodes, not one", "")
    for node in therapies[:1]:
        names = [c.get("name") if isinstance(c, dict) else c for c in node.get("contraindication", [])]
        if not names:
            problems.error(path, line, "the MedicalTherapy lists no contraindications", "")
        elif visible["contraindications"] is not None and names != visible["contraindications"]:
            differs("list of contraindications", names, visible["contraindications"])
    faq = by_type.get("FAQPage", [])
    if visible["faq"] and not faq:
        problems.error(path, line, "the page shows questions and answers but its JSON-LD has no FAQPage", "")
    elif faq and not visible["faq"]:
        problems.error(path, line, "the JSON-LD has a FAQPage but the page shows no questions and answers", "")
    elif faq:
        shown = [(q.get("name"), (q.get("acceptedAnswer") or {}).get("text")) for q in faq[0].get("mainEntity", [])]
        if shown != visible["faq"]:
            differs("FAQ", shown, visible["faq"])
