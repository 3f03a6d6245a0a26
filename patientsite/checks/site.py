"""`python build.py check [--strict] [--out DIR]`: build the site, then hold the built pages and the
content to the quality gates below. Every finding is an error or a warning naming `path:line` of
the source file it comes from (the built file when it comes from no source); `--strict` fails on
warnings too. One summary table at the end, and each page's readability scores.

| check            | module           | what                                                          |
|------------------|------------------|---------------------------------------------------------------|
| build            | pipeline.py      | the build's own warnings (reviews falling due, example clinic) |
| links            | links.py         | internal links and #anchors resolve and stay in the language  |
| search engines   | links.py         | hreflang clusters, canonical links, the sitemap's alternates  |
| trust block      | checks/site.py   | reviewer, review dates, sources, disclaimer, contact          |
| structured data  | checks/structured.py | JSON-LD parses and matches the visible page                   |
| readability      | readability.py   | each language's formula and target; long sentences           |
| claims           | claims.py        | forbidden promotional wording; required warnings              |
| consistency      | consistency.py   | typed numbers against facts; facts missing in a translation; facts on no page |
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from patientsite.checks import claims as claims_
from patientsite.checks import consistency, links, readability
from patientsite.checks import structured as structuredcheck
from patientsite.checks.htmldoc import Document, parse_html
from patientsite.checks.links import Locate
from patientsite.checks.review import next_review
from patientsite.errors import Problem, Problems
from patientsite.model.publish import ready_pages
from patientsite.model.site import UPDATING, Page, Site
from patientsite.render import structured
from patientsite.render.leaflet import leaflet_url

CHECKS = ("build", "links", "search engines", "trust block", "structured data", "readability", "claims",
          "consistency")
TRUST_PARTS = {"warning": "contraindications warning", "disclaimer": "disclaimer",
               "reviewer-title": "reviewer's title", "reviewer-name": "reviewer's name",
               "reviewer-role": "reviewer's role", "reviewed": "last-reviewed date", "next-review": "next-review date",
               "sources": "list of sources", "contact": "clinic's contact"}


@dataclass
class Report:
    problems: dict[str, Problems] = field(default_factory=lambda: {c: Problems(c) for c in CHECKS})
    scores: list[tuple[Page, readability.TextStats, list[readability.Score]]] = field(default_factory=list)

    def errors(self) -> list[tuple[str, Problem]]:
        return [(c, p) for c, found in self.problems.items() for p in _unique(found.errors)]

    def warnings(self) -> list[tuple[str, Problem]]:
        return [(c, p) for c, found in self.problems.items() for p in _unique(found.warnings)]

    def failed(self, strict: bool) -> bool:
        return bool(self.errors() or (strict and self.warnings()))


def _unique(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))


class Locator:
    """Where a piece of built text comes from: the first line of the page's source files that holds
    it (the page, the language's words.yaml and messages.po, site.yaml); else the built file's line."""

    def __init__(self, site: Site):
        self.site = site
        self.pages = {p.output_path: p for p in site.pages}
        self.texts: dict[str, str] = {}

    def _text(self, rel: str) -> str:
        if rel not in self.texts:
            path = self.site.config.root / rel
            self.texts[rel] = path.read_text(encoding="utf-8-sig", errors="replace") if path.is_file() else ""
        return self.texts[rel]

    def __call__(self, output_path: str, snippet: str, html_line: int | None,
                 word: int = 0) -> tuple[str, int | None]:
        """`word`: the index of the snippet's word whose line is wanted (default: the first)."""
        page = self.pages.get(output_path)
        words = re.findall(r"[^\W_]+", snippet)[:8]
        if page is not None and words:
            pattern = re.compile(r"[\W_]+".join(f"({re.escape(w)})" for w in words), re.IGNORECASE)
            lang = page.language
            for rel in (page.src_path, f"content/{lang}/words.yaml", f"content/{lang}/messages.po", "site.yaml"):
                found = pattern.search(self._text(rel))
                if found:
                    return rel, self._text(rel).count("\n", 0, found.start(word % len(words) + 1)) + 1
        return output_path, html_line


def check_site(site: Site, files: dict[str, bytes], build_warnings=()) -> Report:
    """Every check on a built site (`files`: output path -> bytes) and the model it was built from."""
    report = Report()
    report.problems["build"].warnings.extend(build_warnings)
    # the leaflets repeat the pages, whose problems are reported once, at the pages (tests/test_leaflet.py)
    leaflets = {leaflet_url(site, lang.code) + "index.html" for lang in site.config.languages}
    docs = {path: parse_html(path, data.decode("utf-8")) for path, data in files.items()
            if path.endswith(".html") and path not in leaflets}
    locate = Locator(site)
    links.check_links(site, docs, set(files), locate, report.problems["links"])
    links.check_alternates(site, docs, files, report.problems["search engines"])
    _check_trust(site, docs, report.problems["trust block"])
    rules, problems = claims_.load_claims(site.config)
    report.problems["claims"].extend(problems)
    for path, doc in sorted(docs.items()):
        _check_claims(site, path, doc, rules, locate, report.problems["claims"])
    # a page replaced by a "being updated" notice shows none of its content: only what is published as it is
    # is held to the content checks (model/publish.py)
    shown = ready_pages(site)
    docs = {path: doc for path, doc in docs.items() if path not in
            {p.output_path for p in site.pages if p.state == UPDATING}}
    consistency.compare_translations(shown, docs, report.problems["consistency"])
    consistency.check_coverage(shown, docs, report.problems["consistency"])
    for page in shown.pages:
        doc = docs.get(page.output_path)
        if doc is None:
            report.problems["links"].error(page.src_path, None, f"the page was not built ({page.output_path})", "")
            continue
        structuredcheck.check_structured(page.output_path, doc, _visible(shown, page, docs),
                                    report.problems["structured data"])
        consistency.check_numbers(shown, page, doc, locate, report.problems["consistency"])
        _check_readability(page, doc, locate, report)
    return report


# -- the trust block ---------------------------------------------------------------------------

def _check_trust(site: Site, docs: dict[str, Document], problems: Problems) -> None:
    config = site.config
    first_order: tuple | None = None
    same_text: dict = {}
    for page in site.pages:
        doc = docs.get(page.output_path)
        if doc is None:
            continue
        parts = {e.attrs["data-trust"]: e for e in doc.iter() if "data-trust" in e.attrs}
        order = [e.attrs["data-trust"] for e in doc.iter() if "data-trust" in e.attrs]
        where = page.output_path

        def wrong(what: str, hint: str = "", where: str = where) -> None:
            problems.error(where, None, f"the trust block {what}",
                           hint or "templates/partials/trust.html shows the trust block.")

        if not page.sources:
            problems.error(page.src_path, None, "the page names no source documents, so its trust block lists none",
                           "Add the documents the page is based on to its front matter: sources: [doc-000].")
        for name, what in TRUST_PARTS.items():
            if (name not in parts or not parts[name].text()) and not (name == "sources" and not page.sources):
                wrong(f"has no {what}")
        if first_order is None:
            first_order = (order, where)
        elif order != first_order[0]:
            wrong(f"differs from the one on {first_order[1]}: {order} against {first_order[0]}")
        words = site.facts.words[page.language]
        reviewer = config.reviewer_in(page.language, words.terms)
        expected = {"reviewer-name": reviewer.name, "reviewer-role": reviewer.role, "reviewer-title": reviewer.title}
        for name, value in expected.items():
            if name in parts and parts[name].text() != value:
                wrong(f"names {parts[name].text()!r}, not {value!r}")
        dates = {"reviewed": page.reviewed, "next-review": next_review(page.reviewed, config)}
        for name, day in dates.items():
            if name in parts and parts[name].attrs.get("datetime") != day.isoformat():
                wrong(f"shows the {TRUST_PARTS[name]} {parts[name].attrs.get('datetime')!r}, not {day.isoformat()}")
        if "sources" in parts:
            shown = [li.text() for li in parts["sources"].find_all("li")]
            titles = [words.sources.get(doc, doc) for doc in page.sources]
            if shown != titles:
                wrong(f"lists the sources {shown}, not {titles}")
        if "contact" in parts:
            contact = parts["contact"]
            hrefs = {a.attrs.get("href", "") for a in contact.find_all("a")}
            clinic = config.clinic_in(page.language)
            if clinic.name not in contact.text() or f"mailto:{clinic.email}" not in hrefs \
                    or f"tel:{clinic.phone.replace(' ', '')}" not in hrefs:
                wrong("does not give the clinic's name, phone link and e-mail link from site.yaml")
        for name in ("warning", "disclaimer"):
            if name in parts:
                text = same_text.setdefault((page.language, name), (parts[name].text(), where))
                if parts[name].text() != text[0]:
                    wrong(f"has a {TRUST_PARTS[name]} that differs from the one on {text[1]}")


# -- structured data, claims, readability -----------------------------------------------------

def _visible(site: Site, page: Page, docs: dict[str, Document]) -> dict:
    """What the page shows, for comparing with its JSON-LD."""
    doc = docs[page.output_path]
    reviewed = doc.find(data_trust="reviewed")
    reviewer = doc.find(data_trust="reviewer-name")
    title = doc.find(data_trust="reviewer-title")
    critical = structured.contraindication_facts(site)

    def contraindications(d: Document) -> list[str] | None:
        lists = [e for e in d.find_all(data_fact=True) if e.attrs["data-fact"] in critical and e.tag in ("ul", "ol")]
        if not lists:
            return None
        return [li.find("strong").text() if li.find("strong") else li.text()
                for fact in critical for ul in lists if ul.attrs["data-fact"] == fact for li in ul.find_all("li")
                if "data-item" in li.attrs]

    shown = contraindications(doc)
    if shown is None:  # the page does not show them: its language's page that does
        others = [docs[p.output_path] for p in site.pages if p.language == page.language and p.output_path in docs]
        shown = next((c for c in map(contraindications, others) if c is not None), None)
    faq = [(e.find("h2").text() if e.find("h2") else "", e.find("p").text() if e.find("p") else "")
           for e in doc.find_all(data_item=True)
           if e.tag in ("section", "details")
           and any(a.attrs.get("data-fact") in structured.faq_facts(site, page) for a in e.ancestors())]
    return {"lang": doc.lang, "reviewed": reviewed.attrs.get("datetime") if reviewed is not None else None,
            "reviewer": reviewer.text() if reviewer is not None else None,
            "reviewer_title": title.text() if title is not None else None,
            "contraindications": shown, "faq": faq or None}


def _json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def _check_claims(site: Site, path: str, doc: Document, rules: dict, locate: Locator,
                  problems: Problems) -> None:
    """Forbidden phrases in text, alt text and metadata; required phrases in the visible text."""
    pieces: list[tuple[str, str, int]] = []     # (language, text, line)
    body = doc.find("body") or doc
    pieces.append((doc.lang, body.text(), body.line))
    for element in doc.iter():
        if "lang" in element.attrs and element.tag != "html":
            pieces.append((element.attrs["lang"], element.text(), element.line))
        for name in ("alt", "title", "aria-label", "aria-description", "placeholder"):
            if element.attrs.get(name):
                pieces.append((element.language() or doc.lang, element.attrs[name], element.line))
        if element.tag == "title" or (element.tag == "meta" and element.attrs.get("name") in ("description",
                                                                                              "keywords")):
            pieces.append((doc.lang, element.raw_text() if element.tag == "title" else element.attrs.get("content", ""),
                           element.line))
        if element.tag == "script" and element.attrs.get("type") == "application/ld+json":
            try:
                pieces.extend((doc.lang, s, element.line) for s in _json_strings(json.loads(element.raw_text())))
            except json.JSONDecodeError:
                pass  # reported by the structured-data check
    for language, text, line in pieces:
        for rule, words in claims_.find_claims(text, rules.get(language.split("-")[0], ())):
            problems.error(*locate(path, words, line), f'"{words}": {rule.why}',
                           f'Medical advertising rules forbid this wording ({rule.path}:{rule.line}, "{rule.id}"); '
                           "say what the documents say, without promising.")
    page = locate.pages.get(path)
    if page is not None:
        for rule, phrase in claims_.missing_required(body.text(), rules.get(page.language, ())):
            problems.error(page.src_path, None, f'the page does not show "{phrase}": {rule.why}',
                           f"{rule.path}:{rule.line} requires it on every page; templates/partials/trust.html shows it "
                           f"from a UI string in content/{page.language}/messages.po.")


def _check_readability(page: Page, doc: Document, locate: Locate, report: Report) -> None:
    main = doc.find("main")
    if main is None:
        return
    blocks = main.block_texts(skip=lambda e: e.tag in ("table", "aside"))
    stats = readability.measure(blocks, page.language)
    found = readability.scores(stats, page.language)
    report.scores.append((page, stats, found))
    problems = report.problems["readability"]
    for score in found:
        if not score.ok:
            problems.warn(page.src_path, None, f"{score.name} is {score.value:.1f}; the target is {score.target}",
                          "Shorter sentences and shorter, everyday words make the page easier to read.")
    for sentence, words in stats.long_sentences:
        problems.warn(*locate(page.output_path, sentence, None),
                      f"a sentence of {words} words (more than {readability.LONG_SENTENCE}): "
                      f"\u201c{sentence[:70]}{'…' if len(sentence) > 70 else ''}\u201d",
                      "Split it into shorter sentences.")


# -- the command -------------------------------------------------------------------------------

def summary(report: Report) -> str:
    lines = [f"{'check':<16} {'errors':>6} {'warnings':>8}"]
    for name in CHECKS:
        found = report.problems[name]
        lines.append(f"{name:<16} {len(_unique(found.errors)):>6} {len(_unique(found.warnings)):>8}")
    lines.append(f"{'total':<16} {len(report.errors()):>6} {len(report.warnings()):>8}")
    lines += ["", f"{'readability':<36} {'words':>6} {'sent.':>5}  scores (target)"]
    for page, stats, scores in report.scores:
        shown = "; ".join(f"{s.name} {s.value:.1f}" + (f" ({s.target}{'' if s.ok else ', missed'})" if s.target else "")
                          for s in scores) or readability.no_score(stats, page.language)
        lines.append(f"{page.src_path:<36} {stats.words:>6} {stats.sentences:>5}  {shown}")
    return "\n".join(lines)
