"""The clinic's real site, built end to end from content/ and checked with an HTML parser. Every build is
cold, in a copy of the project in its own folder: the repository's `.cache/` (warm pages that a bug
would not re-render) and `reports/` are never used or touched."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from siteassertions import assert_site, tree_bytes

from patientsite.cli import main
from patientsite.load.config import load_config
from patientsite.load.facts import load_facts
from patientsite.load.i18n import format_number

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ["it", "en", "ru"]
NBSP = "\u00a0"


def copy_project(folder: Path) -> Path:
    """The project's sources (no .cache/, reports/ or site/) in `folder`."""
    folder.mkdir(parents=True)
    shutil.copy(REPO / "site.yaml", folder / "site.yaml")
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, folder / name)
    return folder


def build_cold(root: Path, out: Path) -> None:
    """A build that renders every page (--no-cache reads no entry; it writes them afresh)."""
    assert main(["--root", str(root), "build", "--no-cache", "--out", str(out)]) == 0


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("real") / "project")


@pytest.fixture(scope="module")
def built(project):
    out = project.parent / "site"
    build_cold(project, out)
    return out


@pytest.fixture(scope="module")
def facts(project):
    return load_facts(load_config(project))


def test_real_site_structure(built, project):
    config = load_config(project)
    pages = assert_site(built, config.base_url, LANGUAGES, "it")
    for lang in LANGUAGES:
        assert len([p for p in pages if p.startswith(lang + "/")]) == len(list((REPO / "content" / "it").glob("*.md")))


class _FactReader(HTMLParser):
    """Collects, inside <main>, the facts and list items shown and the text outside fact elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.in_main = False
        self.facts: set[str] = set()
        self.items: set[tuple[str, str]] = set()
        self.free_text: list[str] = []

    def _fact(self):
        return next((f for _t, f in reversed(self.stack) if f), None)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.in_main = True
        fact = a.get("data-fact")
        if fact:
            self.facts.add(fact.split("#")[0])
        if a.get("data-item") and self._fact():
            self.items.add((self._fact().split("#")[0], a["data-item"]))
        if tag not in ("br", "hr", "img", "meta", "link"):
            self.stack.append((tag, fact))

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.in_main and not self._fact():
            self.free_text.append(data)


def _read_language(built: Path, lang: str) -> list[tuple[str, _FactReader]]:
    readers = []
    for path in sorted((built / lang).rglob("index.html")):
        reader = _FactReader()
        reader.feed(path.read_text(encoding="utf-8"))
        readers.append((path.relative_to(built).as_posix(), reader))
    return readers


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_fact_reaches_patients_in_every_language(built, facts, lang):
    readers = _read_language(built, lang)
    shown = set().union(*(r.facts for _p, r in readers))
    items = set().union(*(r.items for _p, r in readers))
    hidden = {f.id for f in facts.facts.values() if f.not_on_pages}
    assert sorted(set(facts.facts) - shown - hidden) == []     # shown, or named with its reason in the report
    assert sorted(shown & hidden) == []
    expected_items = {(f.id, i.id) for f in facts.facts.values() for i in f.items}
    assert sorted(expected_items - items) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_types_a_number_that_a_fact_holds(built, facts, project, lang):
    config = load_config(project)
    language = config.language(lang)
    numbers = set()
    for fact in facts.facts.values():
        amounts = [fact.amount] if fact.amount else [a for i in fact.items for _n, a in i.amounts]
        for amount in amounts:
            numbers.update(format_number(n, language) for n in amount.numbers)
    found = []
    for path, reader in _read_language(built, lang):
        text = " ".join(reader.free_text)
        for token in re.findall(r"(?<!\w)\d+(?:[.,]\d+)?", text):      # a number is a word ("A4" is not)
            if token in numbers:
                found.append(f"{path}: {token}")
    assert found == []


EXPECTED = {
    # fact id: (it, en, ru) as the reader sees it
    "course.sessions": ("8–12 sedute", "8–12 sessions", "8–12 сеансов"),      # the clinic's decision
    "session.interval.later": ("15–30 giorni", "15–30 days", "15–30 дней"),
    "session.interval.start": ("1 settimana", "1 week", "1 неделя"),
    "session.duration": ("15–20 minuti", "15–20 minutes", "15–20 минут"),
    "injection.depth": ("3–4 mm", "3–4 mm", "3–4 мм"),
    "needle.length": ("4–6 mm", "4–6 mm", "4–6 мм"),
}


@pytest.mark.parametrize("fact_id", sorted(EXPECTED))
def test_locale_formats_and_plural_forms(built, fact_id):
    for index, lang in enumerate(LANGUAGES):
        html = "\n".join(p.read_text(encoding="utf-8") for p in sorted((built / lang).rglob("index.html")))
        shown = set(re.findall(rf'<span class="fact" data-fact="{re.escape(fact_id)}">([^<]*)</span>', html))
        assert shown == {EXPECTED[fact_id][index].replace(" ", "&nbsp;")}, (lang, shown)


def test_real_site_rebuilds_byte_identical(built, tmp_path):
    """A second cold build, from a second copy, on another day: the same bytes."""
    again = copy_project(tmp_path / "again")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATIENTSITE_TODAY", "2026-12-24")
        build_cold(again, tmp_path / "site")
    assert tree_bytes(tmp_path / "site") == tree_bytes(built)


def test_review_report_lists_every_disagreement(built, facts, project):
    report = (project / "reports/review.md").read_text(encoding="utf-8")
    assert [f.id for f in facts.disagreements] == [
        "course.sessions", "injection.depth", "session.amount", "treatment.form", "injection.layer",
        "procedure.pain", "procedure.invasiveness"]
    for fact in facts.disagreements:
        assert f"### {fact.id} (content/facts.yaml:{fact.line})" in report
        assert f"- Rationale: {fact.decision.rationale}" in report
        assert f"set status: confirmed at content/facts.yaml:{fact.decision.status_line}" in report
    for fact in facts.facts.values():
        if fact.not_on_pages:
            assert f"Reason: {fact.not_on_pages}" in report
    assert "doc-004 is a translation of doc-000, not a second source" in report


SOURCE_WORDS = {"it": r"\bdocument[oi]\b", "en": r"\bdocuments?\b", "ru": r"\bдокумент"}


class _BodyText(HTMLParser):
    """The text of <main> outside the trust block (where a page names its sources)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0          # inside <main>
        self.trust = 0          # inside the trust block
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        if tag == "section" and (self.trust or "trust" in (dict(attrs).get("class") or "").split()):
            self.trust += 1          # sections only: void elements have no end tag to count

    def handle_endtag(self, tag):
        if tag == "section" and self.trust:
            self.trust -= 1
        if tag == "main":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.trust:
            self.text.append(data)


def test_page_bodies_never_compare_documents(built):
    """The clinic speaks with one voice: the words for "document" appear only where a page names its
    sources (the trust block), never in a page body; no internal document id is visible anywhere."""
    for lang, pattern in SOURCE_WORDS.items():
        for path in sorted((built / lang).rglob("*.html")):
            html = path.read_text(encoding="utf-8")
            reader = _BodyText()
            reader.feed(html)
            body = " ".join(reader.text)
            assert body.strip(), path
            found = re.findall(pattern, body, flags=re.IGNORECASE)
            assert not found, f"{path.relative_to(built)}: {found}"
            assert not re.search(r"doc-\d{3}", html), path
