"""Lighthouse (npm `lighthouse`, Debian's chromium) on the real site: 100 in performance,
accessibility, best practices and SEO, on a phone (Lighthouse's default, a throttled Moto G) and on
a desktop (`--preset=desktop`), for the language chooser, each home page and one content page per
language. One Lighthouse run per page and form factor, one after another.

The site is served on 127.0.0.1 by a small static server, with the headers of the build's
`_headers` file when it writes one (the headers a host serves the site with). What differs from a
published site, on purpose and visibly:
- Lighthouse counts http://127.0.0.1 as secure (its "like localhost" rule), so `is-on-https` passes
  here and `redirects-http` is not applicable; on a host the site must be served over HTTPS, with
  http:// redirected to it (the host's job, docs/deploy.md), or both would fail there. The header audits (`has-hsts`, `csp-xss`, `clickjacking-mitigation`, ...) are
  informative in Lighthouse 12: they carry no weight in the score, here or on a host.
- The pages' canonical and hreflang addresses name the published host (site.yaml's base_url), not
  127.0.0.1; Lighthouse's `canonical` and `hreflang` audits check their form, and pass.
- Performance is Lighthouse's simulation (slow 4G and a 4x slower CPU on a phone) from a trace taken
  on this machine, so heavy load on the machine can lower it: a page of 23 KB and 130 elements, with
  no long task when the machine is idle, once got a Total Blocking Time of 110 ms (99) at a load
  average of 10. When performance alone is below 100, the page is run twice more and judged by the
  median run, as Lighthouse advises for variable metrics; a warning says so, with the scores and the
  load average. The other three categories do not vary: they are judged on the first run.
No audit is skipped or filtered: every category's score is asserted whole, and a failure lists the
audits that cost points. `bash scripts/setup.sh test` installs what this needs.
"""

from __future__ import annotations

import fnmatch
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
import warnings
from pathlib import Path

import pytest

from patientsite.checks import review
from patientsite.pipeline import build

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "node_modules/.bin/lighthouse"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FORM_FACTORS = {"mobile": [], "desktop": ["--preset=desktop"]}
TARGETS = ("chooser", "home it", "home en", "home ru", "content it", "content en", "content ru")
SETUP = "run `bash scripts/setup.sh test` to install it"
BAD_PAGE = """<!DOCTYPE html>
<html><head><title>x</title></head>
<body><p style="color:#ccc;font-size:9px">Low contrast, tiny, no language, no description.</p>
<a href="javascript:void(0)">click here</a></body></html>
"""


# -- the site, served as a host would serve it ---------------------------------------------------
def host_headers(out: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """The build's `_headers` (Netlify and Cloudflare Pages' format: a path pattern, then indented
    `Name: value` lines), or [] if the build writes none."""
    path = out / "_headers"
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    if not path.is_file():
        return rules
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules and ":" in line:
            name, value = line.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


class _Host(http.server.SimpleHTTPRequestHandler):
    rules: list = []

    def end_headers(self):
        path = self.path.split("?")[0]
        for pattern, headers in self.rules:
            if fnmatch.fnmatchcase(path, pattern.replace(":splat", "*")):
                for name, value in headers:
                    self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        if code == 404 and (Path(self.directory) / "404.html").is_file():
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args):
        pass


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = type("Host", (_Host,), {"rules": host_headers(folder)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The real site, built once and served: (base address, target -> path)."""
    out = tmp_path_factory.mktemp("lighthouse") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(review.TODAY_VARIABLE, "2026-11-28")
        result = build(REPO, out)
    site = result.site
    # the content page: the one with the most text in the first language (its FAQ, tables, lists)
    first = site.config.languages[0].code
    key = max((p for p in site.pages if p.language == first and p.url != site.home(first).url),
              key=lambda p: len(p.body)).key
    paths = {"chooser": ""}
    for lang in site.config.languages:
        paths[f"home {lang.code}"] = site.home(lang.code).url
        paths[f"content {lang.code}"] = site.page(lang.code, key).url
    address, server = serve(out)
    yield address, paths
    server.shutdown()


# -- Lighthouse ---------------------------------------------------------------------------------
def lighthouse(url: str, form_factor: str, report: Path, categories=CATEGORIES) -> dict:
    """One Lighthouse run; its JSON report."""
    if not LIGHTHOUSE.exists():
        pytest.fail(f"lighthouse (npm) is missing: {SETUP}")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is missing: {SETUP}")
    command = [str(LIGHTHOUSE), url, *FORM_FACTORS[form_factor], f"--chrome-path={CHROMIUM}",
               "--chrome-flags=--headless=new --no-sandbox", f"--only-categories={','.join(categories)}",
               "--output=json", f"--output-path={report}", "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and report.is_file(), done.stdout + done.stderr
    return json.loads(report.read_text(encoding="utf-8"))


def shortfalls(result: dict) -> dict[str, list[str]]:
    """For each category below 100: its score and each weighted audit that cost points."""
    found = {}
    for name, category in result["categories"].items():
        if category["score"] == 1:
            continue
        lost = []
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                lost.append(f"{ref['id']} ({audit['score']}): {audit['title']} {audit.get('displayValue', '')}".strip())
        found[name] = [f"score {category['score']}", *lost]
    return found


@pytest.mark.browser
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("form_factor", sorted(FORM_FACTORS))
def test_lighthouse_scores_100_in_every_category(site, tmp_path, form_factor, target):
    address, paths = site
    url = address + paths[target]
    result = lighthouse(url, form_factor, tmp_path / "report.json")
    assert result["finalDisplayedUrl"] == url and not result.get("runtimeError"), result.get("runtimeError")
    assert set(result["categories"]) == set(CATEGORIES)
    first = shortfalls(result)
    assert set(first) <= {"performance"}, f"{form_factor} {url}: {first}"
    if first:
        runs = [result] + [lighthouse(url, form_factor, tmp_path / f"report{n}.json") for n in (2, 3)]
        runs.sort(key=lambda run: run["categories"]["performance"]["score"])
        scores = [run["categories"]["performance"]["score"] for run in runs]
        warnings.warn(f"{form_factor} {url}: performance {first['performance']} on the first run at a load average "
                      f"of {os.getloadavg()[0]:.1f}; three runs gave {scores}, the median run is judged", stacklevel=1)
        result = runs[1]
    assert shortfalls(result) == {}, f"{form_factor} {url}"


@pytest.mark.browser
def test_lighthouse_finds_a_bad_page(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(BAD_PAGE, encoding="utf-8")
    address, server = serve(tmp_path / "site")
    try:
        result = lighthouse(address, "mobile", tmp_path / "report.json", ("accessibility", "seo"))
    finally:
        server.shutdown()
    found = shortfalls(result)
    assert set(found) == {"accessibility", "seo"}
    lost = " ".join(found["accessibility"] + found["seo"])
    for audit in ("html-has-lang", "color-contrast", "meta-description", "crawlable-anchors"):
        assert f"{audit} (0)" in lost, lost
