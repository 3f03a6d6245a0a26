"""Real validators on every page of the built site: the Nu HTML Checker (vnu-jar on Java) and
axe-core in headless Chromium (Debian's chromium, driven by Playwright) at 1280, 390 and 320 px wide, in
the light and the dark colour scheme.

`bash scripts/setup.sh test` installs what they need (chromium, Java, npm's vnu-jar and axe-core).
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from published import asset

from patientsite.checks import review
from patientsite.pipeline import build

REPO = Path(__file__).resolve().parent.parent
VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
AXE = REPO / "node_modules/axe-core/axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VIEWS = ((1280, "light"), (1280, "dark"), (390, "light"), (390, "dark"), (320, "light"))   # width, scheme
SETUP = "run `bash scripts/setup.sh test` (or scripts/test.sh) to install it"
BAD_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Bad</title></head>
<body>
<div><h1>Bad page</h1><h3>Skipped a level</h3>
<p style="color:#bbb">Low contrast.</p><img src="missing.png">
<div id="twice"></div><div id="twice"></div><p><a href="#"></a></p></div>
</body>
</html>
"""


def _need(path_or_command: str | Path, what: str) -> None:
    if not (Path(path_or_command).exists() or shutil.which(str(path_or_command))):
        pytest.fail(f"{what} is missing: {SETUP}")


def vnu_errors(folder: Path, files: list[str]) -> list[str]:
    """The Nu HTML Checker's errors, one Java start for all files; no message is filtered out."""
    _need(VNU, "vnu-jar (npm)")
    _need("java", "Java")
    run = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--also-check-css",
                          *[str(folder / f) for f in files]], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    return [f"{m.get('url', '').rsplit(str(folder), 1)[-1].lstrip('/')}:{m.get('lastLine')}: {m['message']}"
            for m in messages if m["type"] in ("error", "non-document-error")]


def axe_violations(browser, local: str, pages: list[str], width: int, route=None, scheme: str = "light") -> list[str]:
    """axe-core's violations of the WCAG 2.2 A/AA and best-practice rules, and sideways scrolling."""
    axe = AXE.read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(local) else r.abort())
    if route:
        context.route(*route)
    page = context.new_page()
    found = []
    try:
        for rel in pages:
            page.goto(local + rel)
            page.add_script_tag(content=axe)
            result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                                   "resultTypes: ['violations']})", AXE_TAGS)
            for violation in result["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.append(f"{rel} at {width}px ({scheme}): {violation['id']} ({violation['impact']}): "
                             f"{violation['help']} {targets}")
            # WCAG 1.4.10 reflow, which axe cannot test: no sideways scrolling
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                found.append(f"{rel} at {width}px: the page is {wide}px wide and scrolls sideways")
    finally:
        context.close()
    return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@functools.cache
def _server(folder: str) -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def _built_file(out: Path, rel: str) -> Path:
    rel = rel.split("#")[0].split("?")[0]
    return out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, list[str], str]:
    """The real site, built once: (folder, every HTML page, base URL)."""
    out = tmp_path_factory.mktemp("validators") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(review.TODAY_VARIABLE, "2026-11-28")
        result = build(REPO, out)
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    # every language's pages, its 404 page, its leaflet and its search page, the chooser, the root 404 page
    assert len(pages) == 3 * (len(list((REPO / "content" / "it").glob("*.md"))) + 3) + 2
    return out, pages, result.site.config.base_url


@pytest.fixture(scope="module")
def browser():
    _need(AXE, "axe-core (npm)")
    _need(CHROMIUM, "Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_every_page_passes_the_nu_html_checker(site):
    out, pages, _base = site
    assert vnu_errors(out, [*pages, asset(out, "static/style.css"), asset(out, "brand.css")]) == []


@pytest.mark.parametrize("width,scheme", VIEWS)
def test_every_page_passes_axe(site, browser, width, scheme):
    out, pages, base = site
    # served on 127.0.0.1; the 404 page's absolute links (to base_url) are answered from the built site
    route = (f"{base}**", lambda r: r.fulfill(path=str(_built_file(out, r.request.url[len(base):]))))
    assert axe_violations(browser, _server(str(out)), pages, width, route, scheme) == []


def test_the_validators_catch_a_bad_page(tmp_path, browser):
    (tmp_path / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    found = vnu_errors(tmp_path, ["bad.html"])
    assert any('Duplicate ID “twice”' in f for f in found) and any("alt" in f for f in found)
    rules = {f.split(": ")[1].split(" ")[0] for f in axe_violations(browser, _server(str(tmp_path)), ["bad.html"], 320)}
    assert {"color-contrast", "image-alt", "heading-order", "landmark-one-main", "link-name"} <= rules
