"""The preview's web server: the built files (or the error page while the build fails) and
livereload's WebSocket, answered only on this machine's loopback names.

A page on another site can make a browser send requests to 127.0.0.1 under its own host name (DNS
rebinding) or open a WebSocket to it: every request whose `Host` is not 127.0.0.1, localhost or
[::1] (with or without the preview's port) gets 421, and a WebSocket opened from a page of another
origin gets 403. Any path gets an answer, never a traceback: 414 when it is too long for a file name.
"""

from __future__ import annotations

import errno
import html
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import quote, urlsplit

from patientsite.errors import BuildError, Problem, count

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
LONGEST_PATH = 2048          # bytes; longer paths get 414 (a file name may have 255, a path 4096)
CONTEXT_LINES = 3
HTML = [("Content-Type", "text/html; charset=utf-8")]
NOT_FOUND = b"<!DOCTYPE html><html><head><title>Not found</title></head><body>Not found</body></html>"


def loopback_host(host: str, port: int) -> bool:
    """Whether a `Host` header names this machine's loopback interface (and the preview's port)."""
    host = host.lower()
    return any(host in (name, f"{name}:{port}") for name in LOOPBACK_NAMES)


def loopback_origin(origin: str, port: int) -> bool:
    """Whether a WebSocket's `Origin` is a page of the preview itself."""
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return (parts.scheme == "http" and parts.path == "" and not parts.query and not parts.fragment
            and "@" not in parts.netloc and loopback_host(parts.netloc, port))


def _parses(url: str) -> bool:
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


# -- answering the browser ----------------------------------------------------------------------
class PreviewApp:
    """A WSGI app: the built files, or the error page for every HTML page while the build fails."""

    def __init__(self, preview):
        self.preview = preview

    def __call__(self, environ, start_response):
        status, headers, body = self.respond(environ.get("PATH_INFO") or "/")
        start_response(status, headers + [("Content-Length", str(len(body))), ("Cache-Control", "no-store")])
        return [body]

    def respond(self, raw_path: str) -> tuple[str, list[tuple[str, str]], bytes]:
        if len(raw_path) > LONGEST_PATH:
            return "414 URI Too Long", HTML, b"<!DOCTYPE html><title>URI too long</title><p>This address is too long."
        path = raw_path.encode("latin-1", "replace").decode("utf-8", "replace")
        rel = posixpath.normpath("/" + path).lstrip("/")     # never above the output folder
        try:
            return self._answer(path, rel)
        except (OSError, ValueError) as exc:   # a name too long for the file system, a NUL byte...
            if getattr(exc, "errno", None) == errno.ENAMETOOLONG:
                return "414 URI Too Long", HTML, b"<!DOCTYPE html><title>URI too long</title><p>This address is too long."  # noqa: E501
            return self._not_found()

    def _answer(self, path: str, rel: str) -> tuple[str, list[tuple[str, str]], bytes]:
        out = self.preview.out
        target = out / rel if rel not in ("", ".") else out
        if target.is_dir():
            if not path.endswith("/"):
                return "301 Moved Permanently", [("Location", quote(path + "/"))], b""
            target = target / "index.html"
        is_page = target.suffix == ".html" or not target.is_file()
        if self.preview.failure is not None and is_page:
            return "500 Build Failed", HTML, error_page(self.preview.failure, self.preview.root).encode("utf-8")
        if target.is_file():
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith(("xml", "javascript", "json")):
                kind += "; charset=utf-8"
            return "200 OK", [("Content-Type", kind)], target.read_bytes()
        return self._not_found(rel)

    def _not_found(self, rel: str = "") -> tuple[str, list[tuple[str, str]], bytes]:
        """The 404 page of the language whose folder the path is under (`<lang>/404.html`, as a host
        configured for the site answers), else the site's; its links (absolute, to the published
        site) made to point inside the preview."""
        out = self.preview.out
        missing = out / "404.html"
        if "/" in rel:
            try:
                if (out / rel.split("/", 1)[0] / "404.html").is_file():
                    missing = out / rel.split("/", 1)[0] / "404.html"
            except (OSError, ValueError):
                pass
        body = missing.read_bytes() if missing.is_file() else NOT_FOUND
        base_url = self.preview.base_url
        if base_url:
            for quote_mark in (b'"', b"'"):
                body = body.replace(quote_mark + base_url.encode("utf-8"), quote_mark + b"/")
        return "404 Not Found", HTML, body


def source_excerpt(root: Path, problem: Problem) -> list[tuple[int, str, bool]]:
    """(line number, text, is the problem's line) for the lines around a problem, or []."""
    if problem.line is None:
        return []
    path = (root / problem.path).resolve()
    if not path.is_file() or not path.is_relative_to(root.resolve()):
        return []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    first, last = max(1, problem.line - CONTEXT_LINES), min(len(lines), problem.line + CONTEXT_LINES)
    return [(n, lines[n - 1], n == problem.line) for n in range(first, last + 1)]


_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#fff8f6;color:#1d1d1d}
header{background:#b3261e;color:#fff;padding:1rem 2rem}header h1{margin:0;font-size:1.4rem}
main{padding:1rem 2rem;max-width:60rem}section{margin:0 0 2rem}
h2{font:600 1.05rem ui-monospace,monospace;margin:0 0 .3rem}.message{font-size:1.1rem;margin:.2rem 0}
.hint{margin:.2rem 0;color:#444}pre{background:#fff;border:1px solid #e0c9c5;padding:.5rem 0;overflow:auto}
pre span{display:block;padding:0 1rem}pre .here{background:#fde2df;font-weight:bold}
.n{display:inline-block;min-width:3em;color:#888;user-select:none}
"""


def error_page(failure: BuildError, root: Path) -> str:
    """The page every HTML request gets while the build fails (the preview only; never published)."""
    sections = []
    for problem in failure.problems:
        rows = []
        for number, text, here in source_excerpt(root, problem):
            mark = ' class="here"' if here else ""
            rows.append(f'<span{mark}><span class="n">{number}</span>'
                        f"{html.escape(text) or ' '}</span>")
            if here and problem.column:
                rows.append(f'<span class="here"><span class="n"></span>{" " * (problem.column - 1)}^</span>')
        sections.append(
            f'<section class="problem"><h2>{html.escape(problem.location)}</h2>'
            f'<p class="message">{html.escape(problem.message)}</p>'
            + (f'<p class="hint">{html.escape(problem.hint)}</p>' if problem.hint else "")
            + (f"<pre>{''.join(rows)}</pre>" if rows else "") + "</section>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Build failed</title>'
            f"<style>{_STYLE}</style></head><body>"
            f"<header><h1>The site could not be built: {count(len(failure.problems), 'error')} while "
            f"{html.escape(failure.stage)}</h1></header><main>{''.join(sections)}"
            "<p>Fix the file and save it: this page reloads by itself.</p></main></body></html>\n")




# -- the server ---------------------------------------------------------------------------------
LIVE_SCRIPT = (  # livereload's own: loads livereload.js from the page's host, which opens the WebSocket
    '<script type="text/javascript">(function(){var s=document.createElement("script");'
    'var port=(window.location.port || (window.location.protocol == "https:" ? 443: 80));'
    's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
    'document.head.appendChild(s);})();</script>')


def bind(port: int) -> list:
    """The listening sockets on 127.0.0.1:`port` (OSError EADDRINUSE if the port is taken)."""
    from tornado.netutil import bind_sockets

    return bind_sockets(port, address="127.0.0.1")


def preview_server(app, watcher, sockets: list, port: int):
    """A livereload `Server` answering on the already bound `sockets`, loopback names only."""
    from livereload import Server
    from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
    from livereload.server import LiveScriptContainer, LiveScriptInjector
    from tornado import web
    from tornado.httpserver import HTTPServer

    class Guarded:
        """Refuse a request addressed to another host name (421) before any handler sees it."""

        def prepare(self):
            if not loopback_host(self.request.headers.get("Host", ""), port):
                self.set_status(421)
                self.set_header("Content-Type", "text/plain; charset=utf-8")
                self.finish(f"This preview answers only at http://127.0.0.1:{port}/\n")
                return None
            return super().prepare()

    class LiveReload(Guarded, LiveReloadHandler):
        def prepare(self):
            origin = self.request.headers.get("Origin")
            if origin is not None and not _parses(origin):    # tornado's own origin check would crash
                self.set_status(403)
                self.finish()
                return None
            return super().prepare()

        def check_origin(self, origin: str) -> bool:
            return loopback_origin(origin, port)

    class ForceReload(Guarded, ForceReloadHandler):
        pass

    class LiveReloadJS(Guarded, LiveReloadJSHandler):
        pass

    class Files(Guarded, web.FallbackHandler):
        pass

    class LoopbackServer(Server):
        def application(self, port_, host, liveport=None, debug=None, live_css=True):
            LiveReloadHandler.watcher = self.watcher
            LiveReloadHandler.live_css = live_css
            script = LIVE_SCRIPT.encode("utf-8")

            class Injector(LiveScriptInjector):
                pass
            Injector.script = script
            handlers = [(r"/livereload", LiveReload), (r"/forcereload", ForceReload), (r"/livereload.js", LiveReloadJS),
                        (r".*", Files, {"fallback": LiveScriptContainer(self.app, script)})]
            HTTPServer(web.Application(handlers, transforms=[Injector])).add_sockets(sockets)

    return LoopbackServer(app=app, watcher=watcher)
