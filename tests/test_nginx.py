"""The nginx recipe of docs/deploy.md, run as written against a built site: only the listen address,
the certificates, the web root and the redirects file's path are replaced. Every response carries
exactly the documented headers (render/hosting.py), each file its Cache-Control, the .br and .gz are
sent to a browser that takes them, a missing page gets its language's 404 page, and an old address
(aliases:) a 301 through the docs' awk line. `bash scripts/setup.sh test` installs nginx."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from badinput import run
from published import asset
from sitefiles import make_site, page_text
from test_aliases import with_aliases

from patientsite.render.hosting import CACHE_ASSETS, CACHE_PAGES, CACHE_STABLE, SECURITY_HEADERS

REPO = Path(__file__).resolve().parent.parent
DOCS = (REPO / "docs/deploy.md").read_text(encoding="utf-8")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def docs_block(marker: str) -> str:
    """The fenced block of docs/deploy.md that holds `marker`."""
    blocks = re.findall(r"```[a-z]*\n(.*?)```", DOCS, re.S)
    found = [block for block in blocks if marker in block]
    assert len(found) == 1, marker
    return found[0]


def snippet(site: Path, port: int, redirects: Path) -> str:
    text = docs_block("# patientsite: nginx")
    text = re.sub(r"\n    listen [^\n]*;", f"\n    listen 127.0.0.1:{port};", text)
    text = re.sub(r"\n    ssl_certificate[^\n]*;", "", text)
    text = text.replace("root /var/www/patientsite/site;", f"root {site};")
    text = text.replace("/etc/nginx/snippets/patientsite-redirects.conf", str(redirects))
    if not BROTLI.is_file():
        text = text.replace("    brotli_static on;\n", "")
    return text


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    if not Path(NGINX).is_file():
        pytest.fail("nginx is missing: run `bash scripts/setup.sh test`")
    folder = tmp_path_factory.mktemp("nginx")
    moved = with_aliases(page_text("en", "treatment.md"), "/en/old-treatment/", "/treatment.html")
    root = make_site(folder / "src", {"content/en/treatment.md": moved})
    code, _, err = run(root, "build", "--out", str(folder / "site"), "--no-cache")
    assert code == 0, err
    site = folder / "site"
    redirects = folder / "redirects.conf"
    awk = docs_block("awk ").split("\\\n")[0].replace("site/_redirects", str(site / "_redirects")).strip()
    redirects.write_bytes(subprocess.run(awk, shell=True, check=True, capture_output=True).stdout)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conf = folder / "nginx.conf"
    conf.write_text(
        (f"load_module {BROTLI};\n" if BROTLI.is_file() else "")
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n  client_body_temp_path {folder};\n"
        f"{snippet(site, port, redirects)}\n}}\n")
    test = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(conf)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline and process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.05)
    try:
        yield port, site
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(port: int, path: str, encoding: str = "") -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def assert_headers(headers: dict, cache: str, where: str) -> None:
    for name, value in SECURITY_HEADERS:
        assert headers.get(name.lower()) == value, (where, name, headers)
    assert headers.get("cache-control") == cache, (where, headers)


def test_every_file_is_served_with_the_documented_headers(nginx):
    port, site = nginx
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
                   and not p.name.endswith((".gz", ".br")) and p.name not in ("_headers", "_redirects", ".patientsite-output"))
    moved = {line.split()[0] for line in (site / "_redirects").read_text().splitlines() if not line.startswith("#")}
    assert len(files) > 20 and moved == {"/en/old-treatment/", "/treatment.html"}
    for rel in (rel for rel in files if "/" + rel not in moved):      # those: test_an_old_address_is_a_301
        status, headers, body = get(port, "/" + rel)
        assert status == 200 and body == (site / rel).read_bytes(), rel
        cache = CACHE_ASSETS if rel.startswith("static/") else CACHE_STABLE if "/" not in rel and rel.endswith(".png") \
            or rel == "favicon.svg" else CACHE_PAGES
        assert_headers(headers, cache, rel)
    status, headers, _ = get(port, "/en/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("encoding, suffix", [("br", ".br"), ("gzip", ".gz"), ("gzip, deflate, br", ".br"), ("", "")])
def test_the_compressed_copies_are_sent_to_a_browser_that_takes_them(nginx, encoding, suffix):
    port, site = nginx
    if suffix == ".br" and not BROTLI.is_file():
        pytest.fail("nginx's brotli module is missing: run `bash scripts/setup.sh test`")
    for rel in ("en/the-treatment/index.html", asset(site, "static/style.css"), "sitemap.xml"):
        status, headers, body = get(port, "/" + rel, encoding)
        assert status == 200 and body == (site / (rel + suffix)).read_bytes(), (rel, encoding)
        assert headers.get("content-encoding", "") == {".br": "br", ".gz": "gzip", "": ""}[suffix], rel


@pytest.mark.parametrize("path, page", [("/it/nessuna/", "it/404.html"), ("/en/none/x.html", "en/404.html"),
                                        ("/ru/нет/", "ru/404.html"), ("/nowhere/", "404.html"), ("/_headers", "404.html"),
                                        ("/_redirects", "404.html")])
def test_a_missing_page_gets_its_languages_404_page(nginx, path, page):
    port, site = nginx
    from urllib.parse import quote
    status, headers, body = get(port, quote(path))
    assert status == 404 and body == (site / page).read_bytes(), path
    assert_headers(headers, CACHE_PAGES, path)


@pytest.mark.parametrize("old", ["/en/old-treatment/", "/treatment.html"])
def test_an_old_address_is_a_301_to_its_page(nginx, old):
    port, _site = nginx
    status, headers, _ = get(port, old)
    assert status == 301 and headers["location"] == "/en/the-treatment/", headers
    assert_headers(headers, CACHE_PAGES, old)


def test_the_docs_headers_are_the_builds(nginx):
    text = docs_block("# patientsite: nginx")
    documented = re.findall(r'add_header ([\w-]+) "([^"]*)" always;', text)
    assert documented == list(SECURITY_HEADERS)
    for name, value in SECURITY_HEADERS:
        assert f"| `{name}` | `{value}` |" in DOCS, name
    for value in (CACHE_ASSETS, CACHE_STABLE, CACHE_PAGES):
        assert f'"{value}"' in text and f"`{value}`" in DOCS
