"""Search (render/search.py): Pagefind's index holds every page of the site and nothing else, each in its
own language's index and only its main text; each language has a search page, every page a search box;
two cold builds give the same bytes; a missing or failing Pagefind fails the build with its path and
what to do, and leaves the previous site as it was. The real browser: test_search_browser.py."""

from __future__ import annotations

import gzip
import json
import os
import re
import stat
from pathlib import Path

import pytest
from badinput import PUBLISHED_NOTHING, run, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefiles import make_site

from patientsite.checks.htmldoc import parse_html
from patientsite.errors import BuildError
from patientsite.pipeline import load_site
from patientsite.render.search import SEARCH_DIR, index_site


def index_of(out: Path) -> dict[str, tuple[str, str]]:
    """The pages in a built site's Pagefind index: url -> (the language of its index, its text)."""
    found = {}
    for fragment in sorted((out / SEARCH_DIR / "fragment").iterdir()):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        found[record["url"]] = (fragment.name.split("_")[0], record["content"])
    return found


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small site (sitefiles.py), built cold: (project, output folder)."""
    folder = tmp_path_factory.mktemp("search")
    root = make_site(folder / "src")
    code, _out, err = run(root, "build", "--out", str(folder / "site"), "--no-cache")
    assert code == 0, err
    return root, folder / "site"


def test_the_index_holds_every_page_in_its_language_and_nothing_else(small):
    root, out = small
    site = load_site(root)
    indexed = index_of(out)
    assert set(indexed) == {"/" + page.output_path for page in site.pages}
    assert {url: lang for url, (lang, _text) in indexed.items()} == {
        "/" + page.output_path: page.language for page in site.pages}
    for url in indexed:   # never the chooser, a 404 page or a search page
        assert url != "/index.html" and not url.endswith(("/404.html", "/search/index.html")), url
    entry = json.loads((out / SEARCH_DIR / "pagefind-entry.json").read_bytes())
    assert {code: found["page_count"] for code, found in entry["languages"].items()} == {
        lang.code: len([p for p in site.pages if p.language == lang.code]) for lang in site.config.languages}
    assert list(entry["languages"]) == sorted(entry["languages"])    # written with sorted keys


def test_only_the_main_text_is_indexed(small):
    _root, out = small
    for url, (_lang, text) in index_of(out).items():
        page = (out / url.lstrip("/")).read_text(encoding="utf-8")
        title = parse_html(url, page).find("h1").text()
        assert text.startswith(title), url
        # the header, the menu, "On this page", the next step and the footer stay out
        for outside in ("Test Clinic", "1 Test Street", "info@clinic.example"):
            assert outside not in text, (url, outside)
    english = {url: text for url, (lang, text) in index_of(out).items() if lang == "en"}
    assert not any(text.count("On this page") for text in english.values())
    assert not any("About this information" in text or "Your next step" in text for text in english.values())


def test_only_the_search_files_the_site_uses_are_published(small):
    _root, out = small
    names = {p.relative_to(out / SEARCH_DIR).as_posix() for p in (out / SEARCH_DIR).rglob("*") if p.is_file()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.it.pagefind", "wasm.en.pagefind",
            "wasm.ru.pagefind"} <= names
    assert not [name for name in names if "-ui" in name or "highlight" in name or "playground" in name]


def test_each_language_has_a_search_page_and_every_page_a_search_box(small):
    root, out = small
    site = load_site(root)
    for lang in site.config.languages:
        home = site.home(lang.code)
        doc = parse_html("search", (out / home.url / "search/index.html").read_text(encoding="utf-8"))
        assert doc.find("html").attrs["lang"] == lang.code
        assert doc.find("meta", name="robots").attrs["content"] == "noindex"
        script = doc.find("script")
        assert script.attrs["type"] == "module" and set(script.attrs) == {"type", "src"}
        assert re.fullmatch(r"\.\./\.\./static/search\.[0-9a-f]{10}\.js", script.attrs["src"])   # fingerprinted
        forms = [f for f in doc.find_all("form") if f.attrs.get("role") == "search"]
        assert len(forms) == 2            # the header's box and the page's own form
        assert all(f.attrs["action"] == "index.html" and f.attrs["method"] == "get" for f in forms)   # this page
        listed = [a.attrs["href"] for a in doc.find("ul", **{"class": "all-pages"}).find_all("a")]
        assert len(listed) == len(site.nav(lang.code))     # without script, every page is one click away
        assert "data-pagefind-body" not in doc.find("main").attrs
    for page in site.pages:
        doc = parse_html(page.output_path, (out / page.output_path).read_text(encoding="utf-8"))
        assert "data-pagefind-body" in doc.find("main").attrs
        form = doc.find("form", **{"class": "site-search"})
        assert form.attrs["role"] == "search" and form.attrs["aria-label"]
        target = os.path.normpath(os.path.join(os.path.dirname(page.output_path), form.attrs["action"]))
        assert target == f"{site.home(page.language).url}search/index.html"
        field = form.find("input")
        assert field.attrs["name"] == "q" and doc.find("label", **{"for": field.attrs["id"]}) is not None
    for lang in site.config.languages:      # the 404 pages link root-relative
        doc = parse_html("404", (out / site.home(lang.code).url / "404.html").read_text(encoding="utf-8"))
        assert doc.find("form", **{"class": "site-search"}).attrs["action"] == f"/{lang.prefix}/search/"
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "search" not in sitemap


def test_two_cold_builds_give_the_same_index_byte_for_byte(small, tmp_path):
    _root, out = small
    again = make_site(tmp_path / "again")
    code, _out, err = run(again, "build", "--out", str(tmp_path / "site"), "--no-cache")
    assert code == 0, err
    first, second = snapshot(out), snapshot(tmp_path / "site")
    assert len([path for path in first if path.startswith(SEARCH_DIR + "/")]) >= 10
    assert first == second


def _fake_pagefind(folder: Path, script: str) -> Path:
    path = folder / "pagefind"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


BROKEN_PAGEFIND = {
    "missing": (lambda folder: folder / "nowhere" / "pagefind", "is not installed"),
    "a folder": (lambda folder: folder, "is not installed"),
    "not executable": (lambda folder: _not_executable(folder), "could not index the site: [Errno 13]"),
    "fails": (lambda folder: _fake_pagefind(folder, "echo 'Error: out of cheese' >&2\nexit 3\n"),
              "could not index the site (exit 3): Error: out of cheese"),
    "writes nothing": (lambda folder: _fake_pagefind(folder, "exit 0\n"),
                       "could not index the site (exit 0): no message"),
}


def _not_executable(folder: Path) -> Path:
    path = folder / "pagefind"
    path.write_text("not a program\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", sorted(BROKEN_PAGEFIND))
def test_a_missing_or_failing_pagefind_fails_the_build_and_publishes_nothing(small, tmp_path, monkeypatch, kind):
    root, _out = small
    out = tmp_path / "site"
    code, _stdout, err = run(root, "build", "--out", str(out), "--no-cache")
    assert code == 0, err
    before = snapshot(out)
    make, said = BROKEN_PAGEFIND[kind]
    (tmp_path / "bin").mkdir()
    binary = make(tmp_path / "bin")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
    code, _stdout, err = run(root, "build", "--out", str(out), "--no-cache")
    assert code == 1 and "Traceback" not in err
    assert re.search(rf"^error: {re.escape(str(binary))}: (the )?Pagefind[^\n]*{re.escape(said)}", err, re.M), err
    assert "pip install -e ." in err and "PAGEFIND_BINARY_PATH" in err
    assert err.rstrip().endswith(PUBLISHED_NOTHING), err
    assert snapshot(out) == before


SAID = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40)
                .filter(str.strip), min_size=1, max_size=8)


@pytest.fixture(scope="module")
def small_model(small):
    root, out = small
    return load_site(root), sorted(snapshot(out).items())


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(code=st.integers(1, 255), said=SAID, to_stdout=st.booleans())
def test_whatever_a_failing_pagefind_says_is_one_message_with_its_last_lines(small_model, tmp_path_factory, code,
                                                                            said, to_stdout):
    site, files = small_model
    folder = tmp_path_factory.mktemp("said")
    (folder / "said.txt").write_text("\n".join(said) + "\n", encoding="utf-8")
    binary = _fake_pagefind(folder, f"cat '{folder / 'said.txt'}'{'' if to_stdout else ' >&2'}\nexit {code}\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAGEFIND_BINARY_PATH", str(binary))
        with pytest.raises(BuildError) as raised:
            list(index_site(site, dict(files)))
    [problem] = raised.value.problems
    assert (problem.path, problem.line) == (str(binary), None)
    last = " / ".join(line.strip() for line in said[-5:])
    assert problem.message == f"Pagefind could not index the site (exit {code}): {last}"
    assert "pip install -e ." in problem.hint


BAD_INDEX_PATHS = ["../escaped.txt", "pagefind/../../escaped.txt", "pagefind/../../../escaped.txt",
                   "elsewhere/x.pf_index", "pagefind//x", "pagefind/./x", "pagefind"]


@settings(max_examples=14, deadline=None, suppress_health_check=list(HealthCheck))
@given(bad=st.sampled_from(BAD_INDEX_PATHS), which=st.integers(0, 2))
def test_a_search_index_kept_with_a_path_out_of_pagefind_is_not_used(tmp_path_factory, bad, which):
    """`.cache/search` keeps each language's index by its pages' bytes. An entry whose files would land
    outside pagefind/ (a damaged or planted cache) is not used: Pagefind indexes that language again,
    nothing is written outside the site, and the site is the one a build without the cache makes."""
    from patientsite.render.cache import RenderCache, pack
    from patientsite.render.search import _pack, _unpack

    top = tmp_path_factory.mktemp("planted")
    folder = top / "a" / "b"           # an escaping path lands inside `top`, where the test looks
    root = make_site(folder / "src")
    assert run(root, "build", "--out", str(folder / "site"))[0] == 0
    clean = snapshot(folder / "site")
    entries = sorted(p for p in (root / ".cache/search").rglob("*") if p.is_file())
    assert len(entries) == 3                                     # one per language
    entry = entries[which]
    files = _unpack(RenderCache(root / ".cache/search").get(entry.name))
    files[0] = (bad, b"planted")
    entry.write_bytes(pack(entry.name, _pack(files)))
    assert _unpack(RenderCache(root / ".cache/search").get(entry.name))[0] == (bad, b"planted")   # read back whole
    code, _out, err = run(root, "build", "--out", str(folder / "site"))
    assert code == 0, err
    assert snapshot(folder / "site") == clean
    assert not [name for _, _, names in os.walk(top) for name in names if name == "escaped.txt"]   # (walk skips
    # the old site's folder, removed in the background)


def test_a_save_while_the_pages_are_copied_for_pagefind_stops_before_it_runs(small, tmp_path, monkeypatch):
    """The preview's gathering gives way to a save while it reads and copies a language's pages for
    Pagefind (seconds of work on a large site), not only once Pagefind runs; its copy is removed."""
    import tempfile
    import threading

    from patientsite.errors import Interrupted
    from patientsite.render.search import _index_language

    root, out = small
    site = load_site(root)
    ran = tmp_path / "pagefind-ran"
    binary = tmp_path / "pagefind"
    binary.write_text(f"#!/bin/sh\ntouch {ran}\n")
    binary.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stop = threading.Event()
    en = [page.output_path for page in site.pages if page.language == "en"]

    class Saved(dict):     # the pages as published; a save comes while the second one is read
        def __getitem__(self, path):
            if path == en[1]:
                stop.set()
            return super().__getitem__(path)

    files = Saved((path, (out / path).read_bytes()) for path in en)
    with pytest.raises(Interrupted):
        _index_language(site, files, "en", None, stop)
    assert stop.is_set() and not list(tmp_path.glob("patientsite-search-*"))     # stopped before copying
    stop.clear()
    files = Saved((path, (out / path).read_bytes() + b"<!-- changed -->") for path in en)
    en[1] = ""            # the save comes while the pages are copied
    original = Path.write_bytes
    monkeypatch.setattr(Path, "write_bytes", lambda self, data: (original(self, data),
                                                                 self.name == "index.html" and stop.set())[0])
    with pytest.raises(Interrupted):
        _index_language(site, files, "en", None, stop)
    assert not ran.exists()
    for thread in [t for t in threading.enumerate() if t.name == "search-cleanup"]:
        thread.join(timeout=10)
    assert not list(tmp_path.glob("patientsite-search-*"))
