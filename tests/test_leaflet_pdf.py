"""`build --pdf` on the real site: each language's leaflet as an A4 PDF (WeasyPrint) that holds every
page's text in order (the Russian included: Cyrillic extracts as written), dated by the review, linked
from the leaflet page and byte-identical between builds; a missing stylesheet is an error. And the
leaflet printed by a real browser: no menus, each page on a new sheet.

`bash scripts/setup.sh test` installs what they need (WeasyPrint with Debian's Pango, pypdf, chromium)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pypdf
import pytest
from published import asset
from test_real_site import copy_project

from patientsite.checks.htmldoc import parse_html
from patientsite.errors import BuildError
from patientsite.pipeline import build
from patientsite.render.leaflet import leaflet_pages, pdf_path, review_date
from patientsite.render.pdf import render_pdfs

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("it", "en", "ru")
A4 = (595, 842)        # points, rounded
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """The real site built cold with --pdf: (project, folder, BuildResult)."""
    project = copy_project(tmp_path_factory.mktemp("pdf") / "project")
    out = project.parent / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATIENTSITE_TODAY", "2026-11-28")
        return project, out, build(project, out, use_cache=False, pdf=True)


def squeezed(text: str) -> str:
    """Text compared without its whitespace (lines break anywhere in a PDF) and in NFKC (ligatures)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def page_blocks(out: Path, rel: str) -> list[str]:
    """A page's main text block by block (title, review line, body), without its "On this page" links."""
    doc = parse_html(rel, (out / rel).read_text(encoding="utf-8"))
    return doc.find("main").block_texts(skip=lambda e: e.tag == "nav")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_holds_every_page_text_in_order(real, lang):
    _project, out, result = real
    text = squeezed(pdf_text(out / pdf_path(result.site, lang)))
    position = 0
    for page in leaflet_pages(result.site, lang):
        blocks = page_blocks(out, page.output_path)
        assert len(blocks) > 3, page.output_path
        for block in blocks:
            found = text.find(squeezed(block), position)
            assert found >= 0, f"{page.src_path}: not in the PDF (in order): {block!r}"
            position = found + len(squeezed(block))


def test_the_russian_pdf_extracts_as_cyrillic(real):
    _project, out, result = real
    text = pdf_text(out / pdf_path(result.site, "ru"))
    assert "Мезотерапия: памятка для пациента" in text
    letters = [c for c in text if c.isalpha()]
    assert sum("\u0400" <= c <= "\u04ff" for c in letters) > 0.8 * len(letters)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_is_a4_dated_by_the_review_and_linked_from_the_leaflet(real, lang):
    _project, out, result = real
    site = result.site
    reader = pypdf.PdfReader(out / pdf_path(site, lang))
    assert len(reader.pages) > len(leaflet_pages(site, lang))          # a new sheet for every page
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages} == {A4}
    day = review_date(site, lang).strftime("%Y%m%d")
    assert (reader.metadata["/CreationDate"], reader.metadata["/ModDate"]) == (f"D:{day}", f"D:{day}")
    leaflet = parse_html("leaflet", (out / lang / "leaflet/index.html").read_text(encoding="utf-8"))
    assert reader.metadata["/Title"] == leaflet.find("title").text()
    links = [a for a in leaflet.find_all("a") if a.attrs.get("type") == "application/pdf"]
    assert [a.attrs["href"] for a in links] == [f"leaflet-{lang}.pdf"]
    assert (out / lang / "leaflet" / links[0].attrs["href"]).is_file()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_ends_with_the_trust_block_and_contact_together_and_no_faq_markers(real, lang):
    """The contact block is not alone on a last sheet (the next step follows the last page rather
    than opening a sheet of its own), and a printed question has no "+"/"-" disclosure sign."""
    _project, out, result = real
    leaflet = parse_html("leaflet", (out / lang / "leaflet/index.html").read_text(encoding="utf-8"))
    headings = {e.attrs.get("id"): e.text() for e in leaflet.find_all("h2")}
    last = squeezed(pypdf.PdfReader(out / pdf_path(result.site, lang)).pages[-1].extract_text())
    assert squeezed(headings["trust-heading"]) in last and squeezed(headings["contact-heading"]) in last
    text = squeezed(pdf_text(out / pdf_path(result.site, lang)))
    questions = [squeezed(e.find("summary").text()) for e in leaflet.find_all("details")
                 if "faq-entry" in e.attrs.get("class", "").split()]
    assert questions, "the leaflet has its questions"
    for question in questions:
        assert question in text, question
        assert question + "\u2212" not in text and question + "+" not in text, question


def test_the_pdfs_are_byte_identical_between_builds(real, tmp_path):
    project, out, _result = real
    other = tmp_path / "again"
    done = subprocess.run([sys.executable, "build.py", "--root", str(project), "build", "--pdf", "--no-cache",
                           "--out", str(other)], cwd=REPO, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PATIENTSITE_TODAY": "2026-11-28", "PYTHONHASHSEED": "random"})
    assert done.returncode == 0, done.stderr
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert pdfs == [f"{lang}/leaflet/leaflet-{lang}.pdf" for lang in ("en", "it", "ru")]
    assert sorted(p.relative_to(other).as_posix() for p in other.rglob("*.pdf")) == pdfs
    for rel in pdfs:
        assert (other / rel).read_bytes() == (out / rel).read_bytes(), rel


def test_a_stylesheet_the_pdf_cannot_find_is_an_error(real):
    _project, _out, result = real
    style = asset(result.files, "static/style.css")      # the leaflet refers to its published name
    files = [(path, content) for path, content in result.files.items() if path != style]
    with pytest.raises(BuildError) as failed:
        render_pdfs(result.site, files)
    message = str(failed.value)
    assert message.startswith("3 errors while writing the leaflets as PDF:\n")
    for lang in LANGUAGES:
        assert (f"error: {lang}/leaflet/index.html: the PDF could not use a file the leaflet refers to: "
                f"Failed to load stylesheet at {result.site.config.base_url}{style}") in message
    assert "Traceback" not in message


# -- printed by a real browser ---------------------------------------------------------------------

HIDDEN_IN_PRINT = (".skip", ".site-header .languages", ".site-header .menu", ".site-header .wide-menu",
                   ".call-button", ".leaflet-pdf")


def test_a_browser_prints_the_leaflet_without_menus_each_page_on_a_new_sheet(real):
    _project, out, result = real
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `bash scripts/setup.sh test`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto((out / "en/leaflet/index.html").as_uri())
            shown = {selector: page.eval_on_selector(selector, "e => getComputedStyle(e).display")
                     for selector in HIDDEN_IN_PRINT}
            assert shown[".site-header .wide-menu"] != "none" or shown[".site-header .menu"] != "none"
            page.emulate_media(media="print")
            hidden = {selector: page.eval_on_selector(selector, "e => getComputedStyle(e).display")
                      for selector in HIDDEN_IN_PRINT}
            assert set(hidden.values()) == {"none"}, hidden
            assert page.eval_on_selector(".leaflet-contents", "e => getComputedStyle(e).display") == "block"
            breaks = page.eval_on_selector_all(".leaflet-section", "s => s.map(e => getComputedStyle(e).breakBefore)")
            assert breaks == ["page"] * len(leaflet_pages(result.site, "en"))
            printed = page.pdf(format="A4")
            content = parse_html("page", (out / "en/index.html").read_text(encoding="utf-8"))
            assert content.find("p", **{"class": "leaflet-link"}) is not None
            page.goto((out / "en/index.html").as_uri())
            page.emulate_media(media="print")
            assert page.eval_on_selector(".leaflet-link", "e => getComputedStyle(e).display") == "none"
        finally:
            browser.close()
    sheets = pypdf.PdfReader(io.BytesIO(printed)).pages
    assert len(sheets) > len(leaflet_pages(result.site, "en"))
    assert squeezed("Mesotherapy: leaflet for patients") in squeezed(sheets[0].extract_text())
