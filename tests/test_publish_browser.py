"""In Chromium: the language switcher of a page missing in one language shows that language as not
available (text, not a link, read as such), and the pages it touches, the "being updated" notice and a
draft in the preview pass axe-core. A copy of the real site, with the browser of test_validators.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_validators import VIEWS, _server, axe_violations, browser  # noqa: F401  (fixture)

from patientsite.checks import review
from patientsite.pipeline import build

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gaps(tmp_path_factory) -> Path:
    """The real site with the Russian FAQ missing, the English contraindications' critical words stale
    (a notice) and the Italian "after" page a draft, built as the preview builds it (drafts shown)."""
    root = tmp_path_factory.mktemp("gaps") / "project"
    root.mkdir()
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    (root / "content/ru/faq.md").unlink()
    words = root / "content/it/words.yaml"
    words.write_text(words.read_text(encoding="utf-8").replace("        label: Allergie\n",
                                                               "        label: Allergie (anche lievi)\n", 1))
    after = root / "content/it/after.md"
    after.write_text(after.read_text(encoding="utf-8").replace("reviewed:", "draft: true\nreviewed:", 1))
    out = root.parent / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(review.TODAY_VARIABLE, "2026-11-28")
        build(root, out, drafts=True)
    return out


PAGES = ["it/domande-frequenti/index.html", "en/frequently-asked-questions/index.html",
         "en/contraindications/index.html", "ru/protivopokazaniya/index.html"]


def test_the_switcher_shows_a_missing_language_as_text_in_chromium(gaps, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(_server(str(gaps)) + "it/domande-frequenti/index.html")
        switcher = page.locator("nav.languages")
        assert switcher.get_by_role("link", name="Русский").count() == 0
        assert switcher.get_by_role("link", name="English").count() == 1
        missing = switcher.locator("li.unavailable")
        assert missing.count() == 1 and missing.inner_text() == "Русский (non disponibile)"
        assert missing.locator("[lang=ru]").inner_text() == "Русский"
        snapshot = switcher.aria_snapshot()
        assert '- listitem: Русский (non disponibile)' in snapshot and 'link "Русский"' not in snapshot
        assert missing.is_visible()
        # the Russian menus leave the missing page out; a link in the text leads to the Italian page
        page.goto(_server(str(gaps)) + "ru/index.html")
        assert page.locator("nav.site-nav a[href*='domande'], nav.site-nav a[href*='faq']").count() == 0
        links = page.locator("main a[href*='domande']")
        assert links.count() >= 1
        for index in range(links.count()):
            assert links.nth(index).get_attribute("hreflang") == "it"
            assert links.nth(index).get_attribute("href").endswith("it/domande-frequenti/index.html")
    finally:
        context.close()


def test_the_notice_page_and_the_draft_read_in_chromium(gaps, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(_server(str(gaps)) + "en/contraindications/index.html")
        notice = page.get_by_role("region", name="This page is being updated")
        assert notice.is_visible()
        assert notice.get_by_role("link", name="Chi non deve fare la mesoterapia").get_attribute("hreflang") == "it"
        assert notice.locator("a[href^='tel:']").count() == 1
        page.goto(_server(str(gaps)) + "it/dopo-la-seduta/index.html")
        banner = page.locator(".draft-banner")
        assert banner.is_visible() and banner.inner_text().startswith("Bozza")
    finally:
        context.close()


@pytest.mark.parametrize("width,scheme", VIEWS)
def test_the_pages_with_gaps_pass_axe(gaps, browser, width, scheme):  # noqa: F811
    assert (gaps / "it/dopo-la-seduta/index.html").is_file()
    assert axe_violations(browser, _server(str(gaps)), [*PAGES, "it/dopo-la-seduta/index.html"], width,
                          scheme=scheme) == []
