"""Ready for any host (issue 13, for the web person), on the real site built cold in its own folder:
fingerprinted assets that every page refers to, a .gz and a .br beside every text file (the same
bytes in two cold builds), `_headers` that gives every file the security headers and exactly one
Cache-Control, no inline script or style on any page, and --base-url / PATIENTSITE_BASE_URL."""

from __future__ import annotations

import gzip
import hashlib
import re
import string

import brotli
import pytest
from badinput import Previous, run
from hostserver import headers_for, read_headers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from published import asset
from siteassertions import tree_bytes
from test_real_site import build_cold, copy_project

from patientsite.errors import shown
from patientsite.render.assets import HASH_LENGTH, STABLE, TEXT_SUFFIXES
from patientsite.render.hosting import CACHE_ASSETS, CACHE_PAGES, CACHE_STABLE, SECURITY_HEADERS
from patientsite.write import MARKER

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hosting")
    build_cold(copy_project(folder / "project"), folder / "site")
    return folder / "site"


def published(out) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_two_cold_builds_are_byte_identical_compressed_copies_included(real, tmp_path):
    build_cold(copy_project(tmp_path / "again"), tmp_path / "site")
    first, second = tree_bytes(real), tree_bytes(tmp_path / "site")
    assert first == second
    assert sum(path.endswith(".br") for path in first) == sum(path.endswith(".gz") for path in first) >= 30


def test_every_text_file_has_a_gz_and_a_br_of_its_bytes(real):
    files = tree_bytes(real)
    originals = [path for path in files if not path.endswith((".gz", ".br"))]
    for path in originals:
        if path.endswith(TEXT_SUFFIXES):
            assert gzip.decompress(files[path + ".gz"]) == files[path], path
            assert brotli.decompress(files[path + ".br"]) == files[path], path
            assert files[path + ".gz"][4:8] == b"\0\0\0\0", path          # no time stamp
        else:
            assert path + ".gz" not in files and path + ".br" not in files, path
    assert set(files) == {*originals, *[p + e for p in originals if p.endswith(TEXT_SUFFIXES) for e in (".gz", ".br")]}


def test_no_page_has_inline_script_or_style(real):
    """What lets the CSP go without 'unsafe-inline': no <script> without src (JSON-LD data blocks are
    not scripts), no <style>, no style= or on...= attribute, no javascript: address."""
    pages = [path for path in published(real) if path.endswith(".html")]
    assert len(pages) > 30
    for path in pages:
        html = (real / path).read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", html, re.I):
            assert "src=" in tag or 'type="application/ld+json"' in tag, (path, tag)
        assert not re.search(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:", html, re.I), path


def test_every_page_refers_to_the_fingerprinted_assets(real):
    names = {rendered: asset(real, rendered) for rendered in ("static/style.css", "brand.css", "static/logo.svg")}
    for rendered, name in names.items():
        digest = hashlib.sha256((real / name).read_bytes()).hexdigest()[:HASH_LENGTH]
        assert re.fullmatch(rf"static/[a-z-]+\.{digest}\.(css|svg)", name), (rendered, name)
    assert not (real / "brand.css").exists() and not (real / "static/style.css").exists()
    for stable in STABLE.values():
        assert (real / stable).is_file() and not (real / "static" / stable).exists()
    for path in (p for p in published(real) if p.endswith(".html")):
        html = (real / path).read_text(encoding="utf-8")
        assert names["static/style.css"] in html and names["brand.css"] in html, path
        for url in re.findall(r'(?:href|src)="([^"#?:]+\.(?:css|svg|png))"', html):
            target = url[1:] if url.startswith("/") else (real / path).parent.joinpath(url).resolve().relative_to(real).as_posix()
            assert (real / target).is_file(), (path, url)


def test_headers_give_every_file_the_security_headers_and_one_cache_control(real):
    rules = read_headers((real / "_headers").read_text())
    for path in published(real):
        if path.endswith((".gz", ".br")) or path in ("_headers", "_redirects", MARKER):   # MARKER: no page
            continue
        for url in ["/" + path] + (["/" + path.removesuffix("index.html")] if path.endswith("index.html") else []):
            headers = headers_for(rules, url)
            names = [name for name, _ in headers]
            assert len(names) == len(set(names)), (url, headers)      # no header twice: the hosts would join them
            assert dict(headers) == {**dict(SECURITY_HEADERS), "Cache-Control": (
                CACHE_ASSETS if path.startswith("static/") else CACHE_STABLE if path in STABLE.values()
                else CACHE_PAGES)}, url


def test_the_base_url_option_moves_every_absolute_address(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "project")
    base = "https://staging.clinic.example/patients/"
    code, _, err = run(root, "build", "--out", str(tmp_path / "site"), "--no-cache", "--base-url", base)
    assert code == 0, err
    monkeypatch.setenv("PATIENTSITE_BASE_URL", base)
    code, _, err = run(root, "build", "--out", str(tmp_path / "env"), "--no-cache")
    assert code == 0, err
    assert tree_bytes(tmp_path / "site") == tree_bytes(tmp_path / "env")
    site = tmp_path / "site"
    for path in (p for p in published(site) if p.endswith(".html") and not p.endswith("404.html")
                 and "/leaflet/" not in p and "/search/" not in p):   # noindex pages name no address of their own
        html = (site / path).read_text(encoding="utf-8")
        absolute = re.findall(r'(?:href|content)="(https?://[^"]+)"', html)
        assert absolute and all(url.startswith(base) for url in absolute), (path, absolute)
        assert f'<link rel="canonical" href="{base}' in html and f'<meta property="og:url" content="{base}' in html
    locs = re.findall(r"(?:<loc>|href=\")(https?://[^<\"]+)", (site / "sitemap.xml").read_text())
    assert locs and all(url.startswith(base) for url in locs)
    robots = (site / "robots.txt").read_text()
    assert robots.startswith("# This site lives under /patients/. Crawlers read robots.txt only at the root of a host\n"
                             "# (https://staging.clinic.example/robots.txt), never here")
    assert robots.endswith(f"User-agent: *\nAllow: /patients/\n\nSitemap: {base}sitemap.xml\n")
    assert (site / "_headers").read_text().splitlines()[1] == "/patients/*"
    assert '<a href="/patients/en/">' in (site / "en/404.html").read_text()


def test_robots_txt_at_a_hosts_root(real):
    assert (real / "robots.txt").read_text() == "User-agent: *\nAllow: /\n\nSitemap: https://www.clinica-esempio.it/sitemap.xml\n"


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    return Previous(tmp_path_factory.mktemp("baseurl"))


HOST = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=10).map(lambda s: s + ".example")
BAD_BASE_URLS = st.one_of(
    HOST.map(lambda h: f"https://{h}"),                                   # no / at the end
    st.tuples(HOST, st.text(string.ascii_lowercase, min_size=1, max_size=8)).map(lambda t: f"https://{t[0]}/{t[1]}"),
    st.tuples(st.sampled_from(["ftp", "file", "javascript", "mailto", ""]), HOST).map(lambda t: f"{t[0]}://{t[1]}/"),
    HOST.map(lambda h: f"{h}/"),                                          # no scheme
    st.tuples(HOST, st.sampled_from(["?a=1", "#top", " x", "\n", "\\", "/a b/"])).map(lambda t: f"https://{t[0]}/{t[1]}"),
)


@SETTINGS
@given(value=BAD_BASE_URLS, how=st.sampled_from(["option", "environment"]))
def test_a_base_url_that_is_not_an_absolute_address_ending_in_slash_is_refused(previous, value, how):
    if how == "option":
        err = previous.refused({}, "--base-url", value)
        where = "--base-url"
    else:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PATIENTSITE_BASE_URL", value)
            err = previous.refused({})
        where = "PATIENTSITE_BASE_URL"
    assert (f'error: {where}: the base URL "{shown(value)}" is not an absolute http(s) address ending in /\n'
            "    Write it like https://staging.clinic.example/ or https://clinic.example/patients/.") in err, err
