"""Issue 13 in Chromium: the title starts within the top quarter of a 390×844 phone screen, and every
page loads, served with exactly the headers of the built `_headers` (render/hosting.py: a strict
Content-Security-Policy without 'unsafe-inline', HSTS, ...), without a violation or a complaint.
Uses the real site and the browser of test_validators.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostserver import host_server
from test_validators import browser, site  # noqa: F401  (fixtures)

from patientsite.render.hosting import CONTENT_SECURITY_POLICY as CSP  # noqa: F401  (the search tests)
from patientsite.render.hosting import SECURITY_HEADERS, headers_file

PHONE = {"width": 390, "height": 844}
LISTEN = """document.addEventListener('securitypolicyviolation', (e) => {
  (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI);
});"""
BAD_PAGE = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bad</title>'
            '<style>p { color: red; }</style></head><body><main><h1 style="color: blue">Bad</h1>'
            '<p>Inline.</p></main></body></html>')
# what the browser says about a header it refuses or does not understand
COMPLAINTS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy", "Refused", "Unrecognized")


def csp_server(folder: str) -> str:
    """The built folder served with its own _headers, as Netlify or Cloudflare Pages would (hostserver.py)."""
    return host_server(folder)


def csp_violations(browser, local: str, pages: list[str], status: int = 200) -> list[str]:  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(local) else r.abort())
    context.add_init_script(LISTEN)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if any(c in m.text for c in COMPLAINTS) else None)
    found = []
    try:
        for rel in pages:
            console.clear()
            response = page.goto(local + rel)
            assert response is not None and response.status == status, rel
            for name, value in SECURITY_HEADERS:        # exactly the documented headers
                assert response.headers.get(name.lower()) == value, (rel, name)
            page.wait_for_load_state("load")
            seen = page.evaluate("window.__violations || []")
            found += [f"{rel}: {v}" for v in seen] + [f"{rel}: {m}" for m in console]
    finally:
        context.close()
    return found


def phone_pages(out: Path) -> list[str]:
    """The chooser, every home page, one content page per language and every 404 page."""
    homes = sorted(p.parent.name for p in out.glob("*/index.html"))
    content = [sorted(p.relative_to(out).as_posix() for p in (out / code).glob("*/index.html"))[0] for code in homes]
    return ["index.html", *[f"{code}/index.html" for code in homes], *content,
            *[f"{code}/404.html" for code in homes]]


def test_the_title_starts_in_the_top_quarter_of_a_phone(site, browser):  # noqa: F811
    out, _pages, _base = site
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    local = csp_server(str(out))
    tops = {}
    try:
        for rel in phone_pages(out):
            page.goto(local + rel)
            tops[rel] = page.evaluate("document.querySelector('h1').getBoundingClientRect().top")
    finally:
        context.close()
    assert len(tops) == 1 + 3 * 3
    assert {rel: top for rel, top in tops.items() if not 0 <= top <= PHONE["height"] / 4} == {}


def test_every_page_loads_under_a_strict_csp_without_violation(site, browser):  # noqa: F811
    out, pages, _base = site
    assert csp_violations(browser, csp_server(str(out)), pages) == []


def test_every_missing_page_gets_its_404_under_the_csp_without_violation(site, browser):  # noqa: F811
    out, _pages, _base = site
    missing = ["no-such-page/", *[f"{p.parent.name}/no-such-page/" for p in sorted(out.glob("*/404.html"))]]
    assert len(missing) == 4
    assert csp_violations(browser, csp_server(str(out)), missing, status=404) == []


def test_the_csp_check_catches_inline_style(tmp_path, browser):  # noqa: F811
    (tmp_path / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    (tmp_path / "_headers").write_text(headers_file("https://clinic.example/", ["bad.html"]), encoding="utf-8")
    found = csp_violations(browser, csp_server(str(tmp_path)), ["bad.html"])
    assert any("style-src" in f for f in found) and len(found) >= 2, found


def test_the_phone_menu_opens_without_script(site, browser):  # noqa: F811
    out, _pages, _base = site
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(csp_server(str(out)) + "en/index.html")
        links = page.locator("details.menu .site-nav a")
        assert not links.first.is_visible() and not page.locator(".wide-menu").is_visible()
        page.locator("details.menu > summary").click()
        assert links.count() >= 5 and all(links.nth(i).is_visible() for i in range(links.count()))
    finally:
        context.close()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small site (sitefiles.py), whose treatment page has a fact table."""
    from badinput import run
    from sitefiles import make_site

    folder = tmp_path_factory.mktemp("cards")
    code, _out, err = run(make_site(folder / "src"), "build", "--out", str(folder / "site"), "--no-cache")
    assert code == 0, err
    return folder / "site"


@pytest.mark.parametrize("width,cards", [(390, True), (1280, False)])
def test_a_table_becomes_cards_on_a_phone(small, browser, width, cards):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        page.goto(csp_server(str(small)) + "en/the-treatment/index.html")
        rows = page.locator(".fact-table tbody tr")
        assert rows.count() == 2
        shown = page.evaluate("""() => [...document.querySelectorAll('.fact-table tbody tr')].map(tr => ({
            display: getComputedStyle(tr).display,
            label: getComputedStyle(tr.querySelector('td'), '::before').content,
            head: document.querySelector('.fact-table thead').getBoundingClientRect().height}))""")
        for row in shown:
            assert (row["display"] == "block") is cards, row
            assert (row["label"].startswith('"Figure')) is cards, row      # each value names its column
            assert (row["head"] <= 1) is cards, row                        # the column headings are hidden
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
