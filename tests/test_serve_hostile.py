"""The preview against a hostile browser: a page on another site reaching it by DNS rebinding (any
`Host`), a WebSocket opened from another origin, any path at all; and its memory over many full
rebuilds. Every case runs against a real preview server on 127.0.0.1."""

from __future__ import annotations

import gc
import http.client
import re
import signal
import socket
import string
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefiles import make_site

from patientsite.preview.serve import Preview, PreviewApp
from patientsite.preview.server import loopback_host, loopback_origin

REPO = Path(__file__).resolve().parent.parent
HYPOTHESIS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A running `build.py serve` on the small site: (port, log path)."""
    folder = tmp_path_factory.mktemp("serve")
    root = make_site(folder / "project")
    port = _free_port()
    log_path = folder / "serve.log"
    log = log_path.open("w")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), "serve", "--port",
                                str(port)], stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    deadline = time.monotonic() + 30
    while True:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=1).status == 200:
                break
        except OSError as exc:
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(log_path.read_text()) from exc
            time.sleep(0.1)
    yield port, log_path
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    log.close()
    printed = log_path.read_text()
    assert "Traceback" not in printed and printed.endswith("Preview stopped.\n"), printed


def get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", f"127.0.0.1:{port}" if host is None else host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def websocket(port: int, origin: str | None, host: str | None = None) -> int:
    """The status of a WebSocket handshake with livereload's endpoint."""
    lines = ["GET /livereload HTTP/1.1", f"Host: {host or f'127.0.0.1:{port}'}", "Upgrade: websocket",
             "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        reply = b""
        while b"\r\n" not in reply:
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    return int(reply.split(b" ", 2)[1])


LOOPBACK = ["127.0.0.1", "localhost", "[::1]", "LOCALHOST", "LocalHost"]
HOSTILE = ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "evil.localhost", "127.0.0.2",
           "0.0.0.0", "[::2]", "[::ffff:127.0.0.1]", "2130706433", "0x7f000001", "127.1", "localhost.",
           "", "attacker.test:{port}", "127.0.0.1:{port}0", "localhost:1", "127.0.0.1@evil.example",
           "evil.example#127.0.0.1", "[::1]:{port}x", "127.0.0.1:{port}:{port}"]
HOST_TEXT = st.text(alphabet=string.ascii_letters + string.digits + ".-:[]_@", max_size=60)


@pytest.mark.parametrize("name", LOOPBACK)
@pytest.mark.parametrize("with_port", [True, False])
def test_loopback_names_are_answered(server, name, with_port):
    port, _ = server
    status, body = get(port, "/en/the-treatment/", f"{name}:{port}" if with_port else name)
    assert status == 200 and b"<h1>The treatment</h1>" in body


@pytest.mark.parametrize("host", HOSTILE)
@pytest.mark.parametrize("path", ["/en/the-treatment/", "/livereload.js", "/forcereload", "/nowhere"])
def test_other_host_names_get_421(server, host, path):
    port, _ = server
    status, body = get(port, path, host.format(port=port))
    assert status in (400, 421) and b"The treatment" not in body and b"LiveReload" not in body


@HYPOTHESIS
@given(host=HOST_TEXT)
def test_any_generated_host_name_is_refused_unless_loopback(server, host):
    port, _ = server
    status, body = get(port, "/en/the-treatment/", host)
    if loopback_host(host, port):
        assert status == 200
    else:
        assert status in (400, 421) and b"The treatment" not in body


@pytest.mark.parametrize("name", LOOPBACK)
def test_a_websocket_from_the_preview_itself_is_accepted(server, name):
    port, _ = server
    assert websocket(port, f"http://{name}:{port}") == 101
    assert websocket(port, None) == 101            # not a browser: no Origin, the Host still checked


@pytest.mark.parametrize("origin", [
    "http://evil.example", "https://evil.example:{port}", "http://127.0.0.1.evil.example:{port}", "null",
    "http://localhost:{port}@evil.example", "http://evil.example/127.0.0.1:{port}", "file://", "",
    "http://127.0.0.1:1", "http://[::1]:{port}/x", "chrome-extension://abc", "http://[", "http://[::1"])
def test_a_websocket_from_another_origin_gets_403(server, origin):
    port, _ = server
    assert websocket(port, origin.format(port=port)) == 403


@HYPOTHESIS
@given(origin=st.builds(lambda scheme, host: f"{scheme}://{host}", st.sampled_from(["http", "https", "ws", "x"]),
                        HOST_TEXT))
def test_any_generated_origin_is_refused_unless_the_preview(server, origin):
    port, _ = server
    try:
        same = urlsplit(origin).netloc.lower() == f"127.0.0.1:{port}"    # tornado: the origin is the Host
    except ValueError:
        same = False
    assert websocket(port, origin) == (101 if same or loopback_origin(origin, port) else 403)


def test_a_websocket_to_another_host_name_gets_421(server):
    port, _ = server
    assert websocket(port, f"http://127.0.0.1:{port}", host="evil.example") == 421


# -- any path -------------------------------------------------------------------------------------
PATH_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=3000)


@HYPOTHESIS
@given(path=PATH_TEXT, repeat=st.integers(1, 40))
def test_any_path_gets_an_answer_never_a_traceback(server, path, repeat):
    port, _ = server
    text = path * repeat
    while len(quote(text, safe="/")) > 16_000:       # below tornado's limit for a request line
        text = text[:len(text) // 2]
    status, body = get(port, "/" + quote(text, safe="/"))
    assert status in (200, 301, 404, 414), (status, body[:200])
    assert b"Traceback" not in body


@pytest.mark.parametrize("path", ["/" + "a" * 256, "/" + "a/" * 2100, "/%00", "/en/%00/", "/" + "é" * 200,
                                  "/" + "x" * 5000, "/en/" + "b" * 255 + "/"])
def test_long_and_strange_paths_get_404_or_414(server, path):
    port, _ = server
    status, _ = get(port, quote(path, safe="/%"))
    assert status in (404, 414)


def test_the_404_page_links_inside_the_preview(server):
    port, _ = server
    status, body = get(port, "/no-such-page/")
    assert status == 404 and b"clinic.example" not in body
    for lang in ("it", "en", "ru"):
        assert f'<a href="/{lang}/" hreflang="{lang}">'.encode() in body
    style = re.search(rb'href="(/static/style\.[0-9a-f]{10}\.css)"', body)      # fingerprinted (render/assets.py)
    assert style and get(port, style.group(1).decode())[0] == 200
    status, body = get(port, "/en/no-such-page/")
    assert status == 404 and b"clinic.example" not in body and b'href="/en/"' in body


LANGUAGE_404_TITLE = {"it": "Questa pagina non esiste", "en": "This page does not exist", "ru": "Такой страницы нет"}
SEGMENT = st.text(st.characters(whitelist_categories=("L", "N"), whitelist_characters="-_.~"), min_size=1, max_size=40)


@HYPOTHESIS
@given(lang=st.sampled_from(sorted(LANGUAGE_404_TITLE)), rest=st.lists(SEGMENT, min_size=1, max_size=4),
       slash=st.booleans())
def test_an_unknown_path_under_a_language_gets_that_languages_404(server, lang, rest, slash):
    port, _ = server
    path = f"/{lang}/" + "/".join(quote(part) for part in rest) + ("/" if slash else "")
    status, body = get(port, path)
    if status == 404:
        assert f'<html lang="{lang}">'.encode() in body, path
        assert f"<h1>{LANGUAGE_404_TITLE[lang]}</h1>".encode() in body, path
    else:                           # a generated path that happens to be a page of the site
        assert status in (200, 301), (path, status)


@pytest.mark.parametrize("path", ["/nothing", "/nothing/", "/static/nothing.css", "/xx/nothing/", "/EN/nothing/",
                                  "/it", "/404/", "/sitemap.xml/x"])
def test_an_unknown_path_elsewhere_gets_the_sites_404(server, path):
    port, _ = server
    status, body = get(port, path)
    if path == "/it":
        assert status == 301
        return
    assert status == 404 and b'<html lang="it">' in body and b"<h1>404</h1>" in body, (path, status)
    for lang in ("it", "en", "ru"):
        assert f'<a href="/{lang}/" hreflang="{lang}">'.encode() in body


# -- memory ---------------------------------------------------------------------------------------
def test_memory_does_not_grow_with_full_rebuilds(site_root, tmp_path):
    """A full rebuild used to keep ~200 KB for ever (the frozen objects of the build before); 20 now
    keep less than 2 MB in all (a one-time table growth of about 1 MB included)."""
    state = Preview(site_root, tmp_path / "out", lambda text: None)
    template = site_root / "templates/page.html"
    original = template.read_text()

    def full_rebuild(n: int) -> None:
        template.write_text(original + f"{{# edit {n} #}}\n")
        assert state.rebuild(("templates/page.html",))
        assert state.last is not None

    for n in range(5):
        full_rebuild(n)
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for n in range(5, 25):
            full_rebuild(n)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 2_000_000, f"{grown / 20 / 1000:.0f} KB kept per full rebuild"
    assert PreviewApp(state).respond("/en/the-treatment/")[0] == "200 OK"
