"""Guarantees of the render cache (cache.py): a page's digest changes with everything the page is made
from (the generator, templates, configuration, site structure, documents, its language's catalogue,
units and terms, the page itself, its translation notice, and the value, label, item words and sources
of exactly the facts it shows) and with nothing else; an entry is stored whole and read back as
stored; a missing, damaged or foreign entry is a miss."""

from __future__ import annotations

import dataclasses
import datetime
import os
import stat

import pytest
from sitefiles import FACTS_YAML, SITE_YAML, WORDS, make_site, page_text

import patientsite.render.cache as cache
from patientsite.pipeline import load_site
from patientsite.render.cache import RenderCache, _digest, folder_digest, page_digest, site_digests
from patientsite.render.dependencies import page_dependencies

ALL = {(lang, key) for lang in ("it", "en", "ru") for key in ("home", "treatment", "contraindications")}


def digests(root, notices=None) -> dict[tuple[str, str], str]:
    site = load_site(root)
    common = site_digests(site, root / "templates")
    return {(p.language, p.key): page_digest(site, p, common, page_dependencies(site, p, notices or {}))
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
        "nav_title: Процедура", "nav_title: Курс")}, ALL),
    "a menu position": ({"site.yaml": SITE_YAML.replace("menu: [treatment, contraindications]",
                                                        "menu: [contraindications, treatment]")}, ALL),
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
    "an English document title for patients": ({"content/en/words.yaml": WORDS["en"].replace(
        "Document B (in Russian)", "Document B (Russian)")}, {("en", k) for k in ("home", "treatment", "contraindications")}),
    "a statement's Italian text": ({"content/it/words.yaml": WORDS["it"].replace("Può fare un po' male.", "Fa male.")},
                                   {("it", "treatment")}),
    "a statement's Russian label": ({"content/ru/words.yaml": WORDS["ru"].replace("label: боль", "label: Боль")},
                                    {("ru", "treatment")}),
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
    shows = page_dependencies(site, page, {})

    def digest(facts=(), words=()):
        return page_digest(site, page, common, dataclasses.replace(shows, facts=facts, words=words))

    plain = digest()
    for part in ("facts", "words"):
        assert digest(**{part: ("interval",)}) != plain
        assert digest(**{part: ("point.volume",)}) not in (plain, digest(**{part: ("interval",)}))
    assert digest(("interval",), ("interval",)) not in (digest(("interval",)), digest((), ("interval",)))
    with pytest.raises(ValueError):      # the page's own digest belongs to the site it was made of
        page_digest(site, dataclasses.replace(page, title="Other"), common, shows)


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


# -- verified entries: a header naming the digest and the page's sha256, then the page --------------------
PAGES = [b"", b"page", b"line one\nline two\n", b"\n\nstarts with newlines", "Привет\u00a0мир".encode()]


@pytest.mark.parametrize("content", PAGES)
def test_an_entry_is_its_header_then_the_page_byte_for_byte(content):
    digest = "ab" + "4" * 62
    sha = __import__("hashlib").sha256(content).hexdigest()
    entry = cache.pack(digest, content)
    assert entry == b"patientsite-page " + digest.encode() + b" " + sha.encode() + b"\n" + content
    assert cache.unpack(digest, entry) == content


@pytest.mark.parametrize("content", PAGES)
def test_an_entry_that_is_not_exactly_the_one_of_its_digest_is_refused(content):
    digest, other = "ab" + "4" * 62, "ab" + "5" * 62
    entry = cache.pack(digest, content)
    header = entry.partition(b"\n")[0]
    refused = [entry.replace(b"patientsite-page ", b"patientsite-page  ", 1),   # a changed magic
               entry.replace(b"patientsite-page ", b"", 1),                     # no magic
               header,                                                           # no newline, no page
               header + b" \n" + content,                                        # a stray space
               cache.pack(other, content),                                       # another page's entry
               entry + b"x", entry[:-1] if content else entry[:-2]]              # a page longer or shorter
    for damaged in refused:
        assert cache.unpack(digest, damaged) is None, damaged
    assert cache.unpack(other, entry) is None


# -- a hostile or odd cache folder is a miss, never followed and never waited for -------------------------
def test_links_fifos_and_stray_files_in_the_cache_are_misses(tmp_path):
    store = RenderCache(tmp_path / "pages")
    digest = "ab" + "6" * 62
    store.put(digest, b"real")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / digest).write_bytes(cache.pack(digest, b"planted"))
    # the entry is a link to a valid entry elsewhere
    entry = tmp_path / "pages" / "ab" / digest
    entry.unlink()
    entry.symlink_to(elsewhere / digest)
    assert store.get(digest) is None
    # the entry's folder is a link to a folder holding a valid entry
    entry.unlink()
    (tmp_path / "pages" / "ab").rmdir()
    (tmp_path / "pages" / "ab").symlink_to(elsewhere, target_is_directory=True)
    assert store.get(digest) is None
    # the entry's folder is a file
    (tmp_path / "pages" / "ab").unlink()
    (tmp_path / "pages" / "ab").write_bytes(b"")
    assert store.get(digest) is None
    # the entry is a fifo: a miss at once (opened without waiting for a writer)
    (tmp_path / "pages" / "ab").unlink()
    (tmp_path / "pages" / "ab").mkdir()
    os.mkfifo(tmp_path / "pages" / "ab" / digest)
    assert store.get(digest) is None


def test_an_entry_is_written_beside_nothing_and_never_through_a_link(tmp_path):
    store = RenderCache(tmp_path / "pages")
    digest = "cd" + "7" * 62
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "cd").symlink_to(elsewhere, target_is_directory=True)
    store.put(digest, b"page")
    assert list(elsewhere.iterdir()) == []                      # nothing written through the link
    assert not (tmp_path / "pages" / "cd").is_symlink()
    assert store.get(digest) == b"page" and store.failure == ""
    # a stray file where the entry's folder belongs, and a folder where an entry belongs
    other = "ef" + "7" * 62
    (tmp_path / "pages" / "ef").write_bytes(b"stray")
    store.put(other, b"second")
    assert store.get(other) == b"second"
    (tmp_path / "pages" / "cd" / digest).unlink()
    (tmp_path / "pages" / "cd" / digest / "inside").mkdir(parents=True)
    store.put(digest, b"third")
    assert store.get(digest) == b"third"
    assert sorted(p.name for p in (tmp_path / "pages").rglob("*")) == sorted(["cd", "ef", digest, other])
    mode = stat.S_IMODE((tmp_path / "pages" / "cd" / digest).stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o644 & ~umask


def test_a_cache_that_cannot_be_written_is_left_alone_with_one_warning(tmp_path):
    (tmp_path / "blocked").write_bytes(b"a file where the cache folder belongs")
    store = RenderCache(tmp_path / "blocked" / "pages", name=".cache/pages")
    assert store.warning() is None
    store.put("ab" + "8" * 62, b"page")
    assert store.failure == "Not a directory"
    warning = store.warning()
    assert (warning.path, warning.line, warning.column) == (".cache/pages", None, None)
    assert warning.message == ("the render cache cannot be written (Not a directory); "
                               "the site was built without it")
    assert warning.hint == "Make .cache/pages a writable folder, or delete it; the site itself is complete."
    # once it failed, nothing more is tried (even when writing would now work)
    (tmp_path / "blocked").unlink()
    store.put("ab" + "9" * 62, b"page")
    assert not (tmp_path / "blocked").exists() and store.warning() == warning


@pytest.mark.parametrize("error, why", [(OSError(28, "No space left on device"), "No space left on device"),
                                        (OSError("the disk went away"), "the disk went away")])
def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch, error, why):
    store = RenderCache(tmp_path / "pages")
    digest = "ab" + "a" * 62

    def fail(source, target):
        assert os.path.isfile(source)          # the whole entry was written to a temporary file first
        raise error

    monkeypatch.setattr(cache.os, "replace", fail)
    store.put(digest, b"page")
    monkeypatch.undo()
    assert store.failure == why
    assert list((tmp_path / "pages" / "ab").iterdir()) == []
    assert f"({why})" in store.warning().message


def test_a_cache_not_read_still_writes_every_entry(tmp_path):
    digest = "ab" + "b" * 62
    RenderCache(tmp_path / "pages").put(digest, b"old")
    store = RenderCache(tmp_path / "pages", read=False)
    assert store.get(digest) is None
    store.put(digest, b"new")
    assert RenderCache(tmp_path / "pages").get(digest) == b"new"


def test_the_code_digest_is_exactly_the_documented_record(tmp_path, monkeypatch):
    """sha256 of `<version> <python major, minor, micro>`, then NUL, path, NUL, bytes of each *.py of the
    package and its subfolders (the stage folders) by path,
    then NUL `name=version` of each library (`absent` when it is not installed), in LIBRARIES' order."""
    import hashlib
    import importlib.metadata
    import sys

    package = tmp_path / "package"
    (package / "sub").mkdir(parents=True)
    (package / "b.py").write_bytes(b"B = 2\n")
    (package / "a.py").write_bytes(b"A = 1\n")
    (package / "sub" / "c.py").write_bytes(b"C = 3\n")

    def version(name):
        if name == "markdown":
            raise importlib.metadata.PackageNotFoundError(name)
        return f"{len(name)}.0"

    monkeypatch.setattr(cache.importlib.metadata, "version", version)
    expected = hashlib.sha256(f"{cache.__version__} {sys.version_info[:3]}".encode()
                              + b"\x00a.py\x00A = 1\n" + b"\x00b.py\x00B = 2\n" + b"\x00sub/c.py\x00C = 3\n"
                              + b"\x00jinja2=6.0\x00markdown=absent\x00babel=5.0\x00nh3=3.0\x00markupsafe=10.0"
                              + b"\x00pyyaml=6.0").hexdigest()
    assert cache.LIBRARIES == ("jinja2", "markdown", "babel", "nh3", "markupsafe", "pyyaml")
    assert cache.code_digest(package) == expected


def test_the_generator_digest_is_the_code_digest_of_this_package_once_per_process():
    cache.generator_digest.cache_clear()
    package = os.path.dirname(os.path.dirname(os.path.abspath(cache.__file__)))    # patientsite/, not render/
    assert cache.generator_digest() == cache.code_digest(__import__("pathlib").Path(package))
    assert cache.generator_digest.cache_info().misses == 1
    cache.generator_digest()
    assert cache.generator_digest.cache_info().hits == 1


def test_the_folder_digest_is_exactly_the_documented_record(tmp_path):
    """sha256 of each file's path (below the folder, `/`-separated), NUL, its bytes, NUL, in path order."""
    import hashlib

    (tmp_path / "t" / "sub").mkdir(parents=True)
    (tmp_path / "t" / "sub" / "b.html").write_bytes(b"B")
    (tmp_path / "t" / "a.html").write_bytes(b"A\x00")
    assert folder_digest(tmp_path / "t") == hashlib.sha256(b"a.html\x00A\x00\x00" + b"sub/b.html\x00B\x00").hexdigest()


def test_the_site_digests_keep_the_templates_digest(base):
    root, _ = base
    digests_ = site_digests(load_site(root), root / "templates")
    assert digests_.templates == cache.templates_digest(root / "templates")
    static = cache.templates_digest(root / "templates")
    (root / "templates/static/extra.css").write_text("a {}")
    try:             # the pages only link to static/: it is not in their digest
        assert cache.templates_digest(root / "templates") == static != folder_digest(root / "templates")
    finally:
        (root / "templates/static/extra.css").unlink()
    assert set(digests_.language) == {"it", "en", "ru"}


def test_a_fresh_projects_cache_folder_is_made_with_its_parents(tmp_path):
    store = RenderCache(tmp_path / ".cache" / "pages")
    store.put("ab" + "c" * 62, b"page")
    assert store.failure == "" and store.get("ab" + "c" * 62) == b"page"


def test_a_crashed_builds_leftover_temporary_file_never_corrupts_an_entry(tmp_path):
    digest = "ab" + "d" * 62
    (tmp_path / "pages" / "ab").mkdir(parents=True)
    leftover = tmp_path / "pages" / "ab" / f".{digest}.{os.getpid()}.tmp"
    leftover.write_bytes(b"x" * 10_000)
    store = RenderCache(tmp_path / "pages")
    store.put(digest, b"page")
    assert (tmp_path / "pages" / "ab" / digest).read_bytes() == cache.pack(digest, b"page")
    assert not leftover.exists()


def test_a_temporary_file_that_is_a_link_is_never_written_through(tmp_path):
    digest = "ab" + "e" * 62
    (tmp_path / "pages" / "ab").mkdir(parents=True)
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    (tmp_path / "pages" / "ab" / f".{digest}.{os.getpid()}.tmp").symlink_to(victim)
    store = RenderCache(tmp_path / "pages")
    store.put(digest, b"page")
    assert victim.read_bytes() == b"precious"
    assert store.failure == os.strerror(__import__("errno").ELOOP)
    assert not (tmp_path / "pages" / "ab" / digest).exists()
