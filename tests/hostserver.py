"""The built site served as Netlify or Cloudflare Pages would serve it: the headers of every rule of
its `_headers` that matches the path (a rule is a path, or a path ending in * for everything below),
and the nearest 404.html for a missing page. Used by the browser tests, so that Chromium loads every
page with exactly the documented headers."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path


def read_headers(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """`_headers` -> [(path pattern, [(name, value)])]; a malformed line fails the test."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            assert line.startswith("/") and " " not in line, f"_headers:{number}: a rule's path: {line!r}"
            rules.append((line, []))
            continue
        name, colon, value = line.strip().partition(":")
        assert rules and colon and name and value.strip(), f"_headers:{number}: a header: {line!r}"
        rules[-1][1].append((name.strip(), value.strip()))
    return rules


def matches(pattern: str, path: str) -> bool:
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


def headers_for(rules, path: str) -> list[tuple[str, str]]:
    """Every matching rule's headers, in order (both hosts join a header given by two rules)."""
    return [header for pattern, headers in rules if matches(pattern, path) for header in headers]


class _HostHandler(http.server.SimpleHTTPRequestHandler):
    rules: list = []

    def send_head(self):
        path = self.path.split("?")[0].split("#")[0]
        target = Path(self.translate_path(path))
        if target.is_dir() and path.endswith("/"):
            target = target / "index.html"
        if not target.is_file() or target.name in ("_headers", "_redirects"):
            return self._not_found(path)
        return super().send_head()

    def _not_found(self, path: str):
        root = Path(self.directory)
        folder = Path(path.lstrip("/")).parent if not path.endswith("/") else Path(path.lstrip("/"))
        for candidate in [folder, *folder.parents]:
            page = root / candidate / "404.html"
            if page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return _Body(body)
        self.send_error(404)
        return None

    def end_headers(self):
        for name, value in headers_for(self.rules, self.path.split("?")[0]):
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@functools.cache
def host_server(folder: str) -> str:
    """Serve a built folder with its own `_headers`; the address ends with /."""
    rules = read_headers((Path(folder) / "_headers").read_text(encoding="utf-8"))
    handler = type("Handler", (_HostHandler,), {"rules": rules})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"
