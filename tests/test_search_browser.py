"""Search in Chromium on the real site, served on 127.0.0.1 with the documented Content-Security-Policy:
a query in each language finds its page through that language's stemming (the query's word form is on
no page of the language), results come only from the reader's language, no request leaves the
loopback, no CSP violation, axe finds nothing on a page of results; without script the search page
says so and lists every page, and the header's box still leads there."""

from __future__ import annotations

import re

import pytest
from test_clinic_browser import CSP, LISTEN, csp_server
from test_search import index_of
from test_validators import AXE, AXE_TAGS, REPO, _server, browser, site  # noqa: F401  (fixtures)

from patientsite.pipeline import load_site

# language -> (the query, the word form the expected page has instead, the key of that page)
STEMMED = {
    "it": ("arrossamenti", "arrossamento", "side-effects"),
    "en": ("bruised", "bruises", "side-effects"),
    "ru": ("синяками", "синяки", "side-effects"),
}
EVERYWHERE = "2026"    # the year of the review date under every title, in every language


@pytest.fixture(scope="module")
def model():
    return load_site(REPO)


def _words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"\w+", text)}


def _search(browser, local: str, lang: str, query: str, requests: list[str], violations: list[str],  # noqa: F811
            width: int = 1280) -> list[str]:
    """Type `query` on the language's search page; the result links as site paths."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(LISTEN)
    context.on("request", lambda r: requests.append(r.url))
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(local) else r.abort())
    page = context.new_page()
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        response = page.goto(f"{local}{lang}/search/index.html")
        assert response is not None and response.headers["content-security-policy"] == CSP
        page.locator("#search-query").press_sequentially(query)
        page.locator(".search-results li").first.wait_for(timeout=15000)
        assert "JavaScript" not in page.locator(".search-status").inner_text()    # the script took over
        violations += page.evaluate("window.__violations || []")
        return [href[len(local):] for href in page.eval_on_selector_all(".search-results a", "as => as.map(a => a.href)")]
    finally:
        context.close()


@pytest.mark.parametrize("lang", sorted(STEMMED))
def test_a_query_finds_its_page_through_the_languages_stemming(site, browser, model, lang):  # noqa: F811
    out, _pages, _base = site
    query, form, key = STEMMED[lang]
    expected = model.page(lang, key).output_path
    indexed = {url: text for url, (code, text) in index_of(out).items() if code == lang}
    assert form.casefold() in _words(indexed["/" + expected])
    assert not any(query.casefold() in _words(text) for text in indexed.values())   # only a stem can match
    local = csp_server(str(out))
    requests: list[str] = []
    violations: list[str] = []
    found = _search(browser, local, lang, query, requests, violations)
    assert expected in found
    assert found and all(path.startswith(f"{lang}/") for path in found), found
    assert [url for url in requests if not url.startswith(local)] == []
    assert any("/pagefind/" in url for url in requests)        # Pagefind really answered
    assert violations == []


def test_a_query_typed_while_the_index_loads_is_searched_once_it_has_loaded(site, browser, model):  # noqa: F811
    """On a slow phone the reader types before Pagefind has loaded: no input event follows the load,
    so the script searches what the box holds then (held here: pagefind.js answered only after typing)."""
    out, _pages, _base = site
    query, _form, key = STEMMED["en"]
    local = csp_server(str(out))
    context = browser.new_context(viewport={"width": 390, "height": 800})
    held: list = []
    context.route("**/pagefind/pagefind.js", lambda route: held.append(route))
    page = context.new_page()
    try:
        page.goto(f"{local}en/search/index.html")
        while not held:
            page.wait_for_timeout(20)
        page.locator("#search-query").press_sequentially(query)
        assert page.locator(".search-results li").count() == 0
        held[0].continue_()
        page.locator(".search-results li").first.wait_for(timeout=15000)
        found = page.eval_on_selector_all(".search-results a", "as => as.map(a => a.href)")
        assert f"{local}{model.page('en', key).output_path}" in found
    finally:
        context.close()


@pytest.mark.parametrize("lang", sorted(STEMMED))
def test_results_come_only_from_the_readers_language(site, browser, model, lang):  # noqa: F811
    out, _pages, _base = site
    everywhere = [url for url, (_code, text) in index_of(out).items() if EVERYWHERE in text]
    assert {url.split("/")[1] for url in everywhere} == set(STEMMED)          # the word is in every language
    requests: list[str] = []
    violations: list[str] = []
    found = _search(browser, csp_server(str(out)), lang, EVERYWHERE, requests, violations)
    assert sorted(found) == sorted(p.output_path for p in model.pages if p.language == lang)
    assert violations == []


@pytest.mark.parametrize("width,scheme", [(390, "light"), (1280, "dark")])
def test_a_page_of_results_passes_axe(site, browser, width, scheme):  # noqa: F811
    out, _pages, _base = site
    local = _server(str(out))         # without the CSP, which would refuse axe's inline script
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(local) else r.abort())
    page = context.new_page()
    try:
        page.goto(f"{local}ru/search/index.html?q=" + STEMMED["ru"][0])
        page.locator(".search-results li").first.wait_for(timeout=15000)
        assert page.locator("#search-query").input_value() == STEMMED["ru"][0]    # the query from the address
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                               "resultTypes: ['violations']})", AXE_TAGS)
        assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_the_header_box_leads_to_the_results(site, browser, model):  # noqa: F811
    out, _pages, _base = site
    local = csp_server(str(out))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(local + model.page("en", "contraindications").output_path)
        page.get_by_role("search", name="Search this site").get_by_role("searchbox").fill("bruised")
        page.keyboard.press("Enter")
        page.locator(".search-results li").first.wait_for(timeout=15000)
        assert page.url == f"{local}en/search/index.html?q=bruised"
        assert page.locator(".search-results a", has_text="Side effects").count() == 1
    finally:
        context.close()


def test_without_script_the_search_page_says_so_and_lists_every_page(site, browser, model):  # noqa: F811
    out, _pages, _base = site
    local = csp_server(str(out))
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(local + model.page("ru", "side-effects").output_path)
        page.get_by_role("search", name="Поиск по сайту").get_by_role("button", name="Поиск").click()
        page.wait_for_url(re.compile(r"/ru/search/index\.html\?q=$"))
        assert page.get_by_role("status").inner_text().startswith("Для поиска нужен JavaScript")
        links = page.locator("ul.all-pages a")
        assert links.count() == len(model.nav("ru"))
        assert all(links.nth(i).is_visible() for i in range(links.count()))
        assert page.locator(".search-results").is_hidden()
        page.locator("#search-query").fill("синяками")
        page.keyboard.press("Enter")        # the form still works: it comes back to this page
        page.wait_for_url(re.compile(r"\?q=%D1%81"))
        assert page.get_by_role("status").is_visible()
    finally:
        context.close()
