"""The clinic's real site, built end to end from content/ and checked with an HTML parser. Every build is
cold, in a copy of the project in its own folder: the repository's `.cache/` (warm pages that a bug
would not re-render) and `reports/` are never used or touched."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from patientsite.cli import main
from patientsite.config import load_config
from patientsite.facts import load_facts
from patientsite.i18n import format_number
from siteassertions import assert_site, tree_bytes

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
    assert main(["--root", str(root), "build", "--no-cache", "--out", str(out)]) == 0
    assert not (root / ".cache").exists()


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
        assert len([p for p in pages if p.startswith(lang + "/")]) == 8


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
    assert sorted(set(facts.facts) - shown) == []
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
        for token in re.findall(r"\d+(?:[.,]\d+)?", text):
            if token in numbers:
                found.append(f"{path}: {token}")
    assert found == []


EXPECTED = {
    # fact id: (it, en, ru) as the reader sees it
    "injection.volume_per_point": ("0,05–0,1 ml", "0.05–0.1 ml", "0,05–0,1 мл"),
    "course.sessions.doc-000": ("10–12 sedute", "10–12 sessions", "10–12 сеансов"),
    "course.sessions.doc-002": ("2–6 sedute", "2–6 sessions", "2–6 сеансов"),
    "courses.per_year": ("2–4 cicli", "2–4 courses", "2–4 курса"),
    "session.interval.doc-002": ("7–30 giorni", "7–30 days", "7–30 дней"),
    "session.duration": ("15–20 minuti", "15–20 minutes", "15–20 минут"),
    "injection.depth": ("3–4 mm", "3–4 mm", "3–4 мм"),
    "session.dose_min_ampoules": ("2 fiale", "2 ampoules", "2 ампулы"),
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
    for item in facts.disagreements:
        assert f"### {item.id} (content/facts.yaml:{item.line})" in report
        for fact_id in item.facts:
            assert f"- `{fact_id}`:" in report
    assert len(facts.disagreements) >= 3
    for needed in ("course", "depth", "volume"):
        assert any(needed in d.id for d in facts.disagreements), needed
