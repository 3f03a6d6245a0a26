"""The printable leaflet (render/leaflet.py): per language one page with every page's text in the
patient's order, one h1 and a sane outline, unique ids, working anchors, linked from every page, out of
the sitemap; and `build --pdf` without WeasyPrint: one line that says how to install it."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from siteassertions import tree_bytes
from sitefiles import REPO, make_site, page_text

from patientsite.checks.htmldoc import Document, parse_html
from patientsite.commands.status import mark_current
from patientsite.errors import BuildError
from patientsite.load.config import load_config
from patientsite.load.content import KEY
from patientsite.model.site import Page
from patientsite.pipeline import build
from patientsite.render.leaflet import leaflet_pages, one_document
from patientsite.render.pdf import INSTALL

LANGUAGES = ("it", "en", "ru")
NO_WEASYPRINT = f"error: build --pdf: WeasyPrint is not installed; {INSTALL}\n"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small site with its translations marked current, then an Italian edit: the English and
    Russian treatment pages carry the out-of-date notice. (folder, BuildResult)"""
    root = make_site(tmp_path_factory.mktemp("leaflet") / "project")
    for code in ("en", "ru"):
        mark_current(load_config(root), root / "templates", code, ["all"], datetime.date(2026, 11, 20))
    text = page_text("it", "treatment.md")
    (root / "content/it/treatment.md").write_text(text.replace("## ", "Un paragrafo nuovo.\n\n## ", 1), encoding="utf-8")
    out = root.parent / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATIENTSITE_TODAY", "2026-11-28")
        return out, build(root, out, use_cache=False, jobs=1)


def _doc(out: Path, rel: str) -> Document:
    return parse_html(rel, (out / rel).read_text(encoding="utf-8"))


def _not_nav(element) -> bool:
    return element.tag == "nav"


def page_blocks(out: Path, page: Page) -> list[str]:
    """What a patient reads on a page: its main text (title, review line, notice, body), block by block."""
    return _doc(out, page.output_path).find("main").block_texts(skip=_not_nav)


def leaflet_blocks(leaflet: Document, page: Page) -> list[str]:
    return leaflet.find("section", data_page=page.key).block_texts()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_leaflet_holds_every_page_text_in_the_patients_order(small, lang):
    out, result = small
    site = result.site
    leaflet = _doc(out, f"{lang}/leaflet/index.html")
    pages = leaflet_pages(site, lang)
    assert [p.key for p in pages] == ["home", *(p.key for p in site.nav(lang) if p.key != "home"),
                                      *sorted(p.key for p in site.pages if p.language == lang and p.nav is None
                                              and p.key != "home")]
    assert {p.key for p in pages} == {p.key for p in site.pages if p.language == lang}
    sections = [s.attrs["data-page"] for s in leaflet.find_all("section") if "data-page" in s.attrs]
    assert sections == [p.key for p in pages]
    for page in pages:
        assert leaflet_blocks(leaflet, page) == page_blocks(out, page), page.src_path
    contents = [a.text() for a in leaflet.find("nav", **{"class": "contents leaflet-contents"}).find_all("a")]
    assert contents == [p.title for p in pages]


def test_a_stale_translation_keeps_its_notice_in_the_leaflet(small):
    out, _result = small
    for lang in ("en", "ru"):
        notices = _doc(out, f"{lang}/leaflet/index.html").find_all("aside", **{"class": "translation-notice"})
        assert [next(n.ancestors()).attrs.get("data-page") for n in notices] == ["treatment"]
    assert _doc(out, "it/leaflet/index.html").find("aside", **{"class": "translation-notice"}) is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_leaflet_has_one_h1_a_sane_outline_unique_ids_and_working_anchors(small, lang):
    out, _result = small
    leaflet = _doc(out, f"{lang}/leaflet/index.html")
    levels = [int(e.tag[1]) for e in leaflet.iter() if re.fullmatch(r"h[1-6]", e.tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:], strict=False)), levels
    ids = [e.attrs["id"] for e in leaflet.iter() if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    anchors = [e.attrs["href"] for e in leaflet.find_all("a") if e.attrs.get("href", "").startswith("#")]
    assert anchors and all(a[1:] in ids for a in anchors)
    main = leaflet.find("main")
    for link in main.find_all("a"):     # a link to a page of the leaflet leads to its section
        href = link.attrs["href"]
        assert href.startswith(("#", "tel:", "mailto:", "../../it/")), href


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_links_its_languages_leaflet(small, lang):
    out, result = small
    wording = {"it": "Foglio da stampare: tutte le informazioni in una pagina",
               "en": "Printable leaflet: all the information on one page",
               "ru": "Памятка для печати: вся информация на одной странице"}[lang]
    for page in (p for p in result.site.pages if p.language == lang):
        links = [a for a in _doc(out, page.output_path).find_all("a") if a.text() == wording]
        assert len(links) == 1, page.output_path
        target = os.path.normpath(os.path.join(os.path.dirname(page.output_path), links[0].attrs["href"]))
        assert target == f"{lang}/leaflet/index.html"


def test_the_leaflet_is_not_indexed_and_switches_language_to_the_other_leaflets(small):
    out, _result = small
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "leaflet" not in sitemap
    for lang in LANGUAGES:
        leaflet = _doc(out, f"{lang}/leaflet/index.html")
        assert leaflet.meta("robots") == "noindex" and leaflet.head_links("alternate") == []
        switcher = {a.attrs["hreflang"]: a.attrs["href"] for a in leaflet.find("nav", **{"class": "languages"}).find_all("a")}
        assert switcher == {code: "index.html" if code == lang else f"../../{code}/leaflet/index.html"
                            for code in LANGUAGES}


def test_without_pdf_the_leaflet_links_no_pdf_and_none_is_written(small):
    out, result = small
    assert not list(out.rglob("*.pdf")) and not any(path.endswith(".pdf") for path in result.files)
    for lang in LANGUAGES:
        assert ".pdf" not in (out / f"{lang}/leaflet/index.html").read_text(encoding="utf-8")


# -- one page's body made a part of the leaflet ------------------------------------------------------

def _page(key: str, url: str = "") -> Page:
    url = url or f"en/{key}/"
    return Page("en", key, f"content/en/{key}.md", "T", "D", None, "T", datetime.date(2026, 11, 20),
                url, f"{url}index.html", "", 1, (), (), (), (), ())


LEAFLET = "en/leaflet/"
LINKS = {"en/what-is/index.html": "page-what-is", "en/what-is/": "page-what-is", "en/index.html": "page-home",
         "en/": "page-home"}


@pytest.mark.parametrize("html, expected", [
    ('<h2 id="a">A</h2><h3 id="b">B</h3>', '<h3 id="page-k--a">A</h3><h4 id="page-k--b">B</h4>'),
    ('<h5>five</h5><h6>six</h6>', '<h6>five</h6><h6>six</h6>'),
    ('<p>Write id="x" and &lt;h2 id="y"&gt; as text.</p>', '<p>Write id="x" and &lt;h2 id="y"&gt; as text.</p>'),
    ('<a href="#a">a</a><a href="#">top</a>', '<a href="#page-k--a">a</a><a href="#">top</a>'),
    ('<a href="../what-is/index.html">w</a><a href="../what-is/">w</a>', '<a href="#page-what-is">w</a><a href="#page-what-is">w</a>'),
    ('<a href="../what-is/index.html#how">w</a>', '<a href="#page-what-is--how">w</a>'),
    ('<a href="../index.html">h</a><a href="../">h</a>', '<a href="#page-home">h</a><a href="#page-home">h</a>'),
    ('<a href="https://example.org/#a">e</a><a href="tel:+39">t</a><a href="/x">r</a>',
     '<a href="https://example.org/#a">e</a><a href="tel:+39">t</a><a href="/x">r</a>'),
    ('<a href="../../it/cosa/index.html#x">x</a>', '<a href="../../it/cosa/index.html#x">x</a>'),
    ('<a href="../../ru/a/b/index.html?q=1">x</a>', '<a href="../../ru/a/b/index.html?q=1">x</a>'),
    ('<nav aria-labelledby="h x"><label for="f">', '<nav aria-labelledby="page-k--h page-k--x"><label for="page-k--f">'),
    ('<details class="faq-entry"><summary><h2>Q</h2></summary></details>',
     '<details class="faq-entry" open><summary><h3>Q</h3></summary></details>'),
    ('<details open class="x">', '<details open class="x">'),
    ('<img src="../../static/x.png" alt="a > b">', '<img src="../../static/x.png" alt="a > b">'),
])
def test_a_page_body_becomes_a_part_of_one_document(html, expected):
    assert one_document(html, _page("k"), LEAFLET, LINKS) == expected


@pytest.mark.parametrize("html, expected", [       # the home page is a folder higher than the leaflet
    ('<a href="what-is/index.html#a">w</a>', '<a href="#page-what-is--a">w</a>'),
    ('<img src="../static/x.png" alt=""><a href="elsewhere/index.html">e</a>',
     '<img src="../../static/x.png" alt=""><a href="../elsewhere/index.html">e</a>'),
    ('<a href="index.html">h</a><a href="#top">t</a>', '<a href="#page-home">h</a><a href="#page-home--top">t</a>'),
])
def test_addresses_are_rebased_from_the_page_to_the_leaflet(html, expected):
    assert one_document(html, _page("home", "en/"), LEAFLET, LINKS) == expected


SLUGS = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(first=st.from_regex(KEY, fullmatch=True), second=st.from_regex(KEY, fullmatch=True),
       ids=st.lists(SLUGS, min_size=1, max_size=4), others=st.lists(SLUGS, min_size=1, max_size=4))
def test_ids_of_two_pages_never_collide(first, second, ids, others):
    made = []
    for key, names in ((first, ids), (second, others)):
        made.append({*re.findall(r'id="([^"]*)"', one_document("".join(f'<h2 id="{n}">x</h2>' for n in names),
                                                              _page(key), LEAFLET, {}))})
    assert all(name.startswith(f"page-{first}--") for name in made[0])
    if first != second:
        assert not made[0] & made[1]
        assert not made[0] & {f"page-{second}"} and not made[1] & {f"page-{first}"}


# -- build --pdf without WeasyPrint --------------------------------------------------------------------

def test_build_pdf_without_weasyprint_says_how_to_install_it_and_publishes_nothing(tmp_path):
    root = make_site(tmp_path / "project")
    out = tmp_path / "site"
    assert build(root, out, jobs=1).files
    before = tree_bytes(out)
    code = ("import sys; sys.modules['weasyprint'] = None\n"      # `import weasyprint` raises ImportError
            "from patientsite.cli import main\n"
            f"sys.exit(main(['--root', {str(root)!r}, 'build', '--pdf', '--out', {str(out)!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PATIENTSITE_TODAY": "2026-11-28"}, timeout=300)
    assert (done.returncode, done.stderr, done.stdout) == (1, NO_WEASYPRINT, "")
    assert tree_bytes(out) == before


def test_the_build_stage_without_weasyprint_fails_with_the_same_advice(tmp_path, monkeypatch):
    root = make_site(tmp_path / "project")
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(BuildError) as failed:
        build(root, tmp_path / "site", jobs=1, pdf=True)
    assert str(failed.value) == f"1 error while writing the leaflets as PDF:\nerror: pyproject.toml: {NO_WEASYPRINT[7:-1]}"
    assert not (tmp_path / "site").exists()


def test_a_page_template_without_the_body_markers_fails_the_build_and_keeps_the_site(tmp_path, capsys):
    from patientsite.cli import main

    root = make_site(tmp_path / "project")
    out = tmp_path / "site"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    before = tree_bytes(out)
    template = root / "templates/page.html"
    template.write_text(template.read_text(encoding="utf-8").replace("<!--/page-body-->", ""), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(root), "build", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    hint = "    Keep <!--page-body--> and <!--/page-body--> around {{ body }} in templates/page.html."
    assert err == "3 errors while rendering:\n" + "".join(
        f"error: templates/page.html: {lang}/index.html has no <!--page-body-->...<!--/page-body--> around its "
        f"body, which the leaflet gathers\n{hint}\n" for lang in ("en", "it", "ru")
    ) + "Nothing was published: the previous site is unchanged.\n"
    assert "Traceback" not in err and tree_bytes(out) == before
