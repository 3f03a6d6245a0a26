"""Guarantees of the render cache (cache.py): a page's digest changes with everything the page is made
from (the generator, templates, configuration, site structure, documents, its language's catalogue,
units and terms, the page itself, its translation notice, and the value, label, item words and sources
of exactly the facts it shows) and with nothing else; an entry is stored whole and read back as
stored; a missing, damaged or foreign entry is a miss."""

from __future__ import annotations

import datetime
import os

import pytest
from sitefiles import FACTS_YAML, SITE_YAML, WORDS, make_site, page_text

import patientsite.render.cache as cache
from patientsite.pipeline import load_site
from patientsite.render import structured
from patientsite.render.cache import RenderCache, _digest, folder_digest, page_digest, site_digests

ALL = {(lang, key) for lang in ("it", "en", "ru") for key in ("home", "treatment", "contraindications")}


def digests(root, notices=None) -> dict[tuple[str, str], str]:
    site = load_site(root)
    common = site_digests(site, root / "templates")
    return {(p.language, p.key): page_digest(site, p, common, p.facts_used + structured.json_ld_facts(site, p),
                                             (notices or {}).get((p.language, p.key)))
            for p in site.pages}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("cache") / "project")
    return root, digests(root)


def changed(tmp_path, base, changes: dict, edit=None) -> set[tuple[str, str]]:
    root = base[0]
    # the same folder name, so only the edit differs (the configuration holds the project's path)
    copy = make_site(root.parent / f"edit-{tmp_path.name}", changes)
    os.rename(root, root.parent / "base-aside")
    os.rename(copy, root)
    try:
        if edit:
            edit(root)
        after = digests(root)
    finally:
        os.rename(root, copy)
        os.rename(root.parent / "base-aside", root)
    return {key for key, value in after.items() if base[1][key] != value}


def test_the_digests_are_stable_and_distinct(base):
    root, first = base
    assert digests(root) == first
    assert len(set(first.values())) == len(first) == 9
    assert all(len(d) == 64 and int(d, 16) >= 0 for d in first.values())


TREATMENT = {("it", "treatment"), ("en", "treatment"), ("ru", "treatment")}
EDITS = {
    "nothing": ({}, set()),
    "an English page's text": ({"content/en/treatment.md": page_text("en", "treatment.md").replace("Details", "More")},
                               {("en", "treatment")}),
    "an English page's description": ({"content/en/treatment.md": page_text("en", "treatment.md").replace(
        "How it works", "How it goes")}, {("en", "treatment")}),
    "an English page's sources": ({"content/en/index.md": page_text("en", "index.md").replace(
        "reviewed: 2026-11-20", "reviewed: 2026-11-20\nsources: [doc-b]")}, {("en", "home")}),
    "a page title (in every page's menu)": ({"content/it/treatment.md": page_text("it", "treatment.md").replace(
        "Il trattamento", "La cura")}, ALL),
    "a menu title": ({"content/ru/treatment.md": page_text("ru", "treatment.md").replace(
        "nav: 1", "nav: 1\nnav_title: Курс")}, ALL),
    "a menu position": ({"content/en/treatment.md": page_text("en", "treatment.md").replace("nav: 1", "nav: 3")}, ALL),
    "a slug (a URL)": ({"content/en/treatment.md": page_text("en", "treatment.md").replace(
        "slug: the-treatment", "slug: treatment")}, ALL),
    "a review date (on every page's trust block)": ({"content/it/index.md": page_text("it", "index.md").replace(
        "2026-11-20", "2026-11-21")}, ALL),
    "a fact's value": ({"content/facts.yaml": FACTS_YAML.replace("range: [0.05, 0.1]", "range: [0.05, 0.2]")},
                       TREATMENT),
    "a fact's sources": ({"content/facts.yaml": FACTS_YAML.replace(
        "    unit: ml\n    sources: [doc-b]", "    unit: ml\n    sources: [doc-a]")}, TREATMENT),
    "a fact's English label": ({"content/en/words.yaml": WORDS["en"].replace("volume per point", "volume at a point")},
                               {("en", "treatment")}),
    "a list's Russian label": ({"content/ru/words.yaml": WORDS["ru"].replace(
        "label: Противопоказания", "label: Кому нельзя")}, {("ru", k) for k in ("home", "treatment", "contraindications")}),
    "a list item's Russian words": ({"content/ru/words.yaml": WORDS["ru"].replace("Аллергия", "Аллергия на")},
                                    {("ru", k) for k in ("home", "treatment", "contraindications")}),
    "an item's sources": ({"content/facts.yaml": FACTS_YAML.replace("allergy: {sources: [doc-a]}",
                                                                  "allergy: {sources: [doc-b]}")},
                          {(lang, k) for lang in ("it", "en", "ru") for k in ("home", "treatment", "contraindications")}),
    "an English term": ({"content/en/words.yaml": WORDS["en"].replace("rare: rare", "rare: seldom")},
                        {("en", k) for k in ("home", "treatment", "contraindications")}),
    "English unit forms": ({"content/en/words.yaml": WORDS["en"].replace("other: sessions", "other: visits")},
                           {("en", k) for k in ("home", "treatment", "contraindications")}),
    "a document's title": ({"content/facts.yaml": FACTS_YAML.replace("Documento A", "Documento Uno")}, ALL),
    "the configuration": ({"site.yaml": SITE_YAML.replace("Test Clinic", "Clinica Prova")}, ALL),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edit_changes_the_digest_of_exactly_the_pages_made_from_it(tmp_path, base, name):
    changes, expected = EDITS[name]
    assert changed(tmp_path, base, changes) == expected


def test_a_catalogue_changes_the_digests_of_its_language(tmp_path, base):
    def edit(root):
        path = root / "content/ru/messages.po"
        path.write_bytes(path.read_bytes() + b"\n# a translator's comment\n")

    assert changed(tmp_path, base, {}, edit) == {("ru", k) for k in ("home", "treatment", "contraindications")}


@pytest.mark.parametrize("what", ["new file", "edited", "renamed"])
def test_a_template_changes_every_digest(tmp_path, base, what):
    def edit(root):
        folder = root / "templates"
        if what == "new file":
            (folder / "partials" / "extra.html").write_text("x")
        elif what == "edited":
            path = folder / "facts" / "table.html"
            path.write_text(path.read_text() + " ")
        else:
            (folder / "facts" / "table.html").rename(folder / "facts" / "table2.html")

    assert changed(tmp_path, base, {}, edit) == ALL


def test_the_generators_version_changes_every_digest(tmp_path, base, monkeypatch):
    monkeypatch.setattr(cache, "generator_digest", lambda: "another generator")
    assert changed(tmp_path, base, {}) == ALL


def test_the_translation_notice_is_in_the_digest(base):
    root, before = base
    day = datetime.date(2026, 11, 1)
    after = digests(root, {("en", "treatment"): day})
    assert {k for k in ALL if after[k] != before[k]} == {("en", "treatment")}
    later = digests(root, {("en", "treatment"): day + datetime.timedelta(days=1)})
    assert later[("en", "treatment")] not in (before[("en", "treatment")], after[("en", "treatment")])


def test_the_facts_shown_are_in_the_digest(base):
    root, _ = base
    site = load_site(root)
    common = site_digests(site, root / "templates")
    page = next(p for p in site.pages if (p.language, p.key) == ("en", "home"))
    plain = page_digest(site, page, common, (), None)
    assert page_digest(site, page, common, ("interval",), None) != plain
    assert page_digest(site, page, common, ("interval", "interval"), None) == page_digest(site, page, common,
                                                                                          ("interval",), None)
    assert page_digest(site, page, common, ("interval", "point.volume"), None) == page_digest(
        site, page, common, ("point.volume", "interval"), None)
    assert page_digest(site, page, common, ("point.volume",), None) != page_digest(site, page, common, ("interval",), None)


# -- the digest function ----------------------------------------------------------------------------------
def test_the_digest_separates_and_types_its_parts():
    assert _digest("a", "b") == _digest("a", "b")
    assert len({_digest("ab", "c"), _digest("a", "bc"), _digest("abc"), _digest("a", "b", "c"), _digest(),
                _digest(1), _digest("1"), _digest(("a",)), _digest(["a"]), _digest("b", "a"), _digest("a", "b")}) == 11
    assert _digest("x") == __import__("hashlib").sha256(b"'x'\x00").hexdigest()


def test_the_folder_digest_covers_names_contents_and_subfolders(tmp_path):
    def digest_of(files):
        folder = tmp_path / f"f{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        for rel, data in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
        return folder_digest(folder)

    base = {"a.html": b"A", "sub/b.html": b"B"}
    variants = [base, {"a.html": b"A", "sub/b.html": b"C"}, {"a.html": b"A", "sub/c.html": b"B"},
                {"a.html": b"A", "b.html": b"B"}, {"a.html": b"AB", "sub/b.html": b""}, {"a.html": b"A"},
                {"a.html": b"A", "sub/b.html": b"B", "c": b""}, {"a.htm": b"lA", "sub/b.html": b"B"}]
    found = [digest_of(v) for v in variants]
    assert len(set(found)) == len(variants)
    assert digest_of(dict(reversed(list(base.items())))) == found[0]
    (tmp_path / "emptysub").mkdir()
    (tmp_path / "emptysub" / "x").mkdir()
    assert folder_digest(tmp_path / "emptysub") == __import__("hashlib").sha256().hexdigest()


# -- the store ---------------------------------------------------------------------------------------------
def test_an_entry_is_stored_whole_and_read_back(tmp_path):
    store = RenderCache(tmp_path / "pages")
    digest = "ab" + "0" * 62
    assert store.get(digest) is None
    store.put(digest, b"page one")
    assert (tmp_path / "pages" / "ab" / digest).read_bytes() == cache.pack(digest, b"page one")
    assert store.get(digest) == b"page one"
    store.put(digest, b"page one, again")          # written again (a --no-cache build repairs)
    assert store.get(digest) == b"page one, again"
    store.put("cd" + "1" * 62, b"")
    assert store.get("cd" + "1" * 62) == b""
    store.put("ab" + "3" * 62, b"page two")            # a second entry in the same folder
    assert store.get("ab" + "3" * 62) == b"page two" and store.get(digest) == b"page one, again"
    assert sorted(p.name for p in (tmp_path / "pages").rglob("*")) == sorted(
        ["ab", "cd", digest, "cd" + "1" * 62, "ab" + "3" * 62])
    assert RenderCache(tmp_path / "pages", read=False).get(digest) is None


def test_a_damaged_or_foreign_entry_is_a_miss(tmp_path):
    store = RenderCache(tmp_path / "pages")
    digest, other = "ab" + "0" * 62, "ab" + "1" * 62
    store.put(digest, b"page one")
    path = tmp_path / "pages" / "ab" / digest
    for damaged in (path.read_bytes()[:-1], path.read_bytes() + b"x", b"", cache.pack(other, b"page one")):
        path.write_bytes(damaged)
        assert store.get(digest) is None


def test_an_unreadable_entry_is_a_miss(tmp_path):
    store = RenderCache(tmp_path / "pages")
    digest = "ef" + "2" * 62
    (tmp_path / "pages" / "ef" / digest).mkdir(parents=True)
    assert store.get(digest) is None
    assert RenderCache(tmp_path / "missing").get(digest) is None


def test_the_generators_code_and_libraries_are_in_its_digest(tmp_path, monkeypatch):
    package = tmp_path / "package"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n")
    (package / "notes.txt").write_text("not code")
    first = cache.code_digest(package)
    assert cache.code_digest(package) == first
    (package / "notes.txt").write_text("still not code")
    assert cache.code_digest(package) == first
    seen = {first}
    (package / "a.py").write_text("x = 2\n")
    seen.add(cache.code_digest(package))
    (package / "b.py").write_text("")
    seen.add(cache.code_digest(package))
    (package / "b.py").rename(package / "c.py")
    seen.add(cache.code_digest(package))
    real = cache.importlib.metadata.version
    monkeypatch.setattr(cache.importlib.metadata, "version", lambda name: "9.9" if name == cache.LIBRARIES[0] else real(name))
    seen.add(cache.code_digest(package))
    assert len(seen) == 5
