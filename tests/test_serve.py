"""The live preview: its answers, its error page, one rebuild per burst of saves, and a real browser
(Debian's chromium through Playwright) following a translator's edits without reloading by hand."""

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from published import asset
from sitefiles import FACTS_YAML

from patientsite.errors import BuildError, Problem
from patientsite.preview.serve import WATCHED, Preview, PreviewApp, error_page, make_watcher, snapshot
from patientsite.preview.watcher import QUIET_MS, QUIET_VARIABLE, SaveWatcher, quiet_ms

REPO = Path(__file__).resolve().parent.parent
BROKEN_RANGE = ("      - range: [10, 14]\n", "      - range: [10, 14\n")
BROKEN_AT = f"content/facts.yaml:{FACTS_YAML[:FACTS_YAML.index(BROKEN_RANGE[0])].count(chr(10)) + 1}:"   # its line


@pytest.fixture
def preview(site_root, tmp_path):
    printed = []
    result = Preview(site_root, tmp_path / "out", printed.append)
    assert result.rebuild()
    return result, printed


def test_serves_the_built_files(preview):
    app = PreviewApp(preview[0])
    status, headers, body = app.respond("/en/the-treatment/")
    assert status == "200 OK" and ("Content-Type", "text/html; charset=utf-8") in headers
    assert b"<h1>The treatment</h1>" in body
    assert app.respond("/ru")[:2] == ("301 Moved Permanently", [("Location", "/ru/")])
    assert app.respond("/" + asset(preview[0].out, "static/style.css"))[1] == [("Content-Type", "text/css; charset=utf-8")]
    # a WSGI path is UTF-8 bytes read as latin-1
    status, _, body = app.respond("/../../etc/passwd")
    assert status == "404 Not Found" and b"root:" not in body
    assert app.respond("/it/nessuna-pagina/")[0] == "404 Not Found"


def test_a_failed_build_keeps_the_last_site_and_shows_the_error_on_every_page(preview):
    state, printed = preview
    facts = state.root / "content/facts.yaml"
    facts.write_text(facts.read_text().replace(*BROKEN_RANGE))
    assert not state.rebuild(("content/facts.yaml",))
    assert printed[-1].startswith("[") and "content/facts.yaml changed: the build failed; the browser shows the " \
        f"errors until they are fixed\n1 error while reading the facts:\nerror: {BROKEN_AT}" in printed[-1]
    app = PreviewApp(state)
    for path in ("/", "/it/", "/en/the-treatment/", "/ru/missing/"):
        status, headers, body = app.respond(path)
        assert status == "500 Build Failed" and BROKEN_AT.encode() in body
    assert app.respond("/" + asset(state.out, "static/style.css"))[0] == "200 OK"     # the last good site's files
    assert (state.out / "en/the-treatment/index.html").is_file()

    assert not state.rebuild(("content/it/index.md",))           # the same error: said once, not again
    assert "the build still fails with the same 1 error" in printed[-1] and "error:" not in printed[-1]

    facts.write_text(facts.read_text().replace(BROKEN_RANGE[1], BROKEN_RANGE[0]))
    assert state.rebuild(("content/facts.yaml",))
    assert printed[-1].endswith("; fixed") and app.respond("/en/")[0] == "200 OK"


def test_the_error_page_names_the_file_and_line_with_the_source_around_it(site_root):
    failure = BuildError("reading the pages", [
        Problem("content/en/treatment.md", 4, 8, 'key "<b>" may only use a-z', "Use the same key."),
        Problem("content/ru", None, None, "no Русский translation", "Translate it.")])
    page = error_page(failure, site_root)
    assert "<title>Build failed</title>" in page and "</style></head>" in page   # livereload goes before </head>
    assert "The site could not be built: 2 errors while reading the pages" in page
    assert "<h2>content/en/treatment.md:4:8</h2>" in page
    assert '<p class="message">key &quot;&lt;b&gt;&quot; may only use a-z</p>' in page
    assert '<span class="here"><span class="n">4</span>key: treatment</span>' in page
    assert '<span class="here"><span class="n"></span>       ^</span>' in page
    numbers = re.findall(r'<span class="n">(\d+)</span>', page)
    assert numbers == ["1", "2", "3", "4", "5", "6", "7"]
    assert "<h2>content/ru</h2>" in page and page.count("<pre>") == 1


def test_a_bug_in_the_generator_does_not_stop_the_preview(preview, monkeypatch):
    state, printed = preview
    monkeypatch.setattr("patientsite.preview.serve.build", lambda root, out, **options: 1 / 0)
    assert not state.rebuild(("templates/page.html",))
    assert "ZeroDivisionError" in printed[-2] and "internal error: ZeroDivisionError" in printed[-1]
    assert b"This is a bug in the generator" in PreviewApp(state).respond("/it/")[2]


# -- the watcher: the operating system tells of each save -----------------------------------------
def _watch(site_root, monkeypatch, saves, settle: float = 0.3, quiet_ms: int = QUIET_MS) -> tuple[list, SaveWatcher]:
    """Start a watcher on its own loop, make the `saves`, and return the `on_change` calls once the
    first has come and nothing more came for `settle` seconds. Nothing may poll: tornado's
    PeriodicCallback is refused."""
    from tornado.ioloop import IOLoop

    def no_polling(*args, **kwargs):
        raise AssertionError("the preview polls")
    monkeypatch.setattr("tornado.ioloop.PeriodicCallback", no_polling)
    calls: list = []
    watcher = make_watcher(site_root, calls.append, quiet_ms)

    async def scenario():
        assert watcher.start(lambda: None, loop=IOLoop.current()) is True    # livereload then polls nothing
        assert watcher.backend() == "inotify"
        await asyncio.sleep(0.05)           # the first look: nothing changed yet
        assert calls == []
        saves(site_root)
        deadline = time.monotonic() + 10
        while not calls and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        count = -1
        while count != len(calls):          # until nothing more comes
            count = len(calls)
            await asyncio.sleep(settle)
    try:
        asyncio.run(scenario())
    finally:
        watcher.stop()
    assert not any(thread.is_alive() for thread in watcher.threads)
    return calls, watcher


def _append(rel: str, text: str = "\nMore.\n"):
    def save(root: Path) -> None:
        path = root / rel
        path.write_text(path.read_text() + text)
    return save


def _by_rename(rel: str, text: str = "\n"):
    """Save as many editors do: write a temporary file beside it, then rename it over the file."""
    def save(root: Path) -> None:
        path = root / rel
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(path.read_text() + text)
        os.replace(temporary, path)
    return save


def _new_folder(root: Path) -> None:
    """A folder with a page, made elsewhere and moved in at once (the system reports only the folder)."""
    made = root / "made"
    (made / "sub").mkdir(parents=True)
    (made / "sub" / "page.md").write_text("---\ntitle: T\n---\nText.\n")
    os.replace(made, root / "content/en/extra")


def _burst(root: Path) -> None:
    for save in (_append("content/en/index.md", "\nOne."), _append("content/en/index.md", "\nTwo."),
                 _append("content/en/words.yaml", "\n")):
        save(root)


def _editor_files(root: Path) -> None:
    for name in (".index.md.swp", "index.md~", "4913", "#index.md#", ".index.md.tmp"):
        (root / "content/en" / name).write_text("editor")


# a burst: saves closer together than the quiet time (several saves get 100 ms here, so that a test
# process descheduled between two of them on a loaded machine does not split its burst)
BURST_MS = 100
SAVES = {
    "a page written in place": (_append("content/en/treatment.md"), ("content/en/treatment.md",)),
    "a burst of saves": (_burst, ("content/en/index.md", "content/en/words.yaml")),
    "facts.yaml renamed over": (_by_rename("content/facts.yaml"), ("content/facts.yaml",)),
    "site.yaml renamed over": (_by_rename("site.yaml"), ("site.yaml",)),
    "site.yaml written in place": (_append("site.yaml", "\n"), ("site.yaml",)),
    "a template": (_append("templates/page.html", "\n"), ("templates/page.html",)),
    "a page deleted": (lambda root: (root / "content/ru/treatment.md").unlink(), ("content/ru/treatment.md",)),
    "a folder moved in": (_new_folder, ("content/en/extra/sub/page.md",)),
    "two languages at once": (lambda root: [_append(f"content/{lang}/index.md")(root) for lang in ("it", "ru")],
                              ("content/it/index.md", "content/ru/index.md")),
}


@pytest.mark.parametrize("kind", sorted(SAVES))
def test_each_kind_of_save_gives_one_rebuild_of_what_changed(site_root, monkeypatch, kind):
    saves, expected = SAVES[kind]
    several = kind in ("a burst of saves", "two languages at once")
    calls, watcher = _watch(site_root, monkeypatch, saves, quiet_ms=BURST_MS if several else QUIET_MS)
    assert calls == [expected]
    assert watcher.seen == snapshot(site_root, [site_root / name for name in WATCHED])


@pytest.mark.parametrize("kind", ["editor files", "a file outside the watched folders", "a touch of nothing"])
def test_what_is_not_a_watched_file_gives_no_rebuild(site_root, monkeypatch, kind):
    def saves(root: Path) -> None:
        if kind == "editor files":
            _editor_files(root)
        elif kind == "a file outside the watched folders":
            (root / "notes.txt").write_text("notes")
            (root / "other").mkdir()
            (root / "other/page.md").write_text("x")
        else:
            (root / "content/en").touch()       # a folder's own time is no file's signature
    calls, _ = _watch(site_root, monkeypatch, saves, settle=0.5)
    assert calls == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=12).filter(lambda v: v.strip() and not (v.strip().isascii() and v.strip().isdigit()
                                                                       and 1 <= int(v.strip()) <= 10_000))
       | st.integers(10_001, 10**30).map(str) | st.just("0") | st.just("-5") | st.just("1e3"))
def test_a_bad_quiet_time_is_a_plain_error(site_root, capsys, monkeypatch, value):
    from patientsite.cli import main

    if "\x00" in value:
        return                  # an environment variable cannot hold a NUL
    monkeypatch.setenv(QUIET_VARIABLE, value)
    code = main(["--root", str(site_root), "serve", "--port", str(_free_port())])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and "Traceback" not in err
    assert err == (f'error: $PATIENTSITE_PREVIEW_QUIET_MS: "{value.strip()}" is not a number of milliseconds from 1 '
                   "to 10000; set it to one (e.g. PATIENTSITE_PREVIEW_QUIET_MS=50) or unset it for 10 ms\n")


@pytest.mark.parametrize("value,expected", [("", QUIET_MS), ("  ", QUIET_MS), ("1", 1), (" 50 ", 50),
                                            ("10000", 10_000), ("0", None), ("10001", None), ("٣", None)])
def test_the_quiet_time_comes_from_the_environment(value, expected):
    assert quiet_ms({QUIET_VARIABLE: value}) == expected


# -- a real browser ---------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, what: str, seconds: float = 15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            found = condition()
        except Exception:       # the page is reloading
            found = None
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _connected(page) -> None:
    """Wait until livereload's script in the tab has shaken hands with the server."""
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol >= 7", timeout=10_000)
    time.sleep(0.3)


SHOWN_WITHIN = 5.0      # seconds from a save to the new text in the tab: tens of ms idle, bounded under load


@pytest.mark.browser
def test_a_translator_previews_edits_and_errors_in_a_real_browser(site_root, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed (bash scripts/setup.sh test)")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(site_root), "serve",
                               "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
                              env={**os.environ, QUIET_VARIABLE: str(BURST_MS)})
    url = f"http://127.0.0.1:{port}/en/the-treatment/"
    try:
        _wait_for(lambda: urllib.request.urlopen(url, timeout=1).status == 200, "the preview to start")
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = browser.new_page()
            page.goto(url)
            assert page.inner_text("h1") == "The treatment"
            _connected(page)

            treatment = site_root / "content/en/treatment.md"
            original = treatment.read_text()
            saved = time.monotonic()
            for word in ("Draft.", "Second draft.", "Ask your doctor first."):   # a burst of saves
                treatment.write_text(original.replace("## Details", f"{word}\n\n## Details"))
            _wait_for(lambda: "Ask your doctor first." in page.inner_text("main"), "the new text", seconds=SHOWN_WITHIN)
            assert time.monotonic() - saved < SHOWN_WITHIN
            _connected(page)

            facts = site_root / "content/facts.yaml"
            facts.write_text(facts.read_text().replace(*BROKEN_RANGE))
            _wait_for(lambda: BROKEN_AT in page.inner_text("h2"), "the error page")
            text = page.inner_text("body")
            assert "The site could not be built: 1 error while reading the facts" in text
            assert "YAML syntax error" in text and "range: [10, 14" in text
            _connected(page)

            facts.write_text(facts.read_text().replace(BROKEN_RANGE[1], BROKEN_RANGE[0]))
            _wait_for(lambda: page.inner_text("h1") == "The treatment", "the page again")
            assert "Ask your doctor first." in page.inner_text("main")
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
        log.close()
    printed = (tmp_path / "serve.log").read_text()
    assert "(told of each save by inotify)" in printed, printed                 # the system's notice, no polling
    assert printed.count("content/en/treatment.md changed: built") == 1, printed      # one rebuild per burst
    assert printed.count(f"error: {BROKEN_AT}") == 1, printed                 # the error, once
    assert printed.count("content/facts.yaml changed: built") == 1 and "; fixed" in printed
    assert "Traceback" not in printed and printed.endswith("Preview stopped.\n")


def test_a_port_in_use_is_a_plain_error(site_root, capsys):
    from patientsite.cli import main

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        code = main(["--root", str(site_root), "serve", "--port", str(port)])
    out, err = capsys.readouterr()
    assert out == ""           # no URL, no build: nothing happens on a port the preview cannot have
    assert code == 1 and err == (f"error: 127.0.0.1:{port}: port {port} is already in use (another preview?); "
                                 f"choose another one: python build.py serve --port {port + 1}\n")


def test_warnings_are_said_once_not_on_every_rebuild(preview, capsys):
    from patientsite.cli import main

    state, printed = preview
    for lang in ("en", "ru"):
        assert main(["--root", str(state.root), "status", "--mark-current", lang, "all"]) == 0
    capsys.readouterr()
    treatment = state.root / "content/it/treatment.md"
    treatment.write_text(treatment.read_text().replace("## Details", "Nuovo.\n\n## Details"))
    assert state.rebuild(("content/it/treatment.md",))
    warned = [line for line in printed if line.startswith("warning:")]
    assert len(warned) == 2 and "published with an out-of-date notice" in warned[0]
    assert state.rebuild(("content/it/index.md",))
    assert printed[-1].endswith("; 2 warnings as before") and len(printed) == len(warned) + 3
    assert b"translation-notice" in PreviewApp(state).respond("/en/the-treatment/")[2]


def test_the_leaflet_and_search_index_catch_up_once_the_saves_stop(preview, site_root):
    """After a save the preview builds the pages at once and leaves the leaflet and search index
    (seconds on a large site); `gather_later` makes them once no save came for a while, and a save in
    between puts it off again. Then the site is what the full build makes."""
    from test_search import index_of

    from patientsite.pipeline import build

    shown, printed = preview
    rel = "content/en/treatment.md"
    treatment = site_root / rel

    def indexed(word: str) -> bool:
        return any(word in text for lang, text in index_of(shown.out).values() if lang == "en")

    treatment.write_text(treatment.read_text().replace("## Details", "Zanzibarword.\n\n## Details"))
    assert shown.rebuild((rel,), gather=False)
    assert "Zanzibarword" in (shown.out / "en/the-treatment/index.html").read_text() and not indexed("Zanzibarword")
    assert "Zanzibarword" not in (shown.out / "en/leaflet/index.html").read_text()
    assert shown.last.state.output.ungathered == {"en"}
    shown.gather_later(0.5)
    treatment.write_text(treatment.read_text().replace("Zanzibarword.", "Quokkaword."))
    assert shown.rebuild((rel,), gather=False)          # a save before the index was made: put off again
    time.sleep(1.0)
    assert not indexed("Quokkaword") and not indexed("Zanzibarword")
    shown.gather_later(0.2)
    _wait_for(lambda: indexed("Quokkaword"), "the search index", seconds=20)
    _wait_for(lambda: any("built the leaflets and search index in" in line for line in printed), "the log line")
    assert shown.last.state.output.ungathered == frozenset() and not indexed("Zanzibarword")
    assert "Quokkaword" in (shown.out / "en/leaflet/index.html").read_text()
    full = site_root.parent / "full"
    build(site_root, full, drafts=True, use_cache=False)
    assert {p.relative_to(full): p.read_bytes() for p in full.rglob("*") if p.is_file()} == \
        {p.relative_to(shown.out): p.read_bytes() for p in shown.out.rglob("*") if p.is_file()}


def test_a_save_interrupts_the_gathering_and_its_pages_show_at_once(preview, site_root, monkeypatch):
    """A save while the leaflets and search index are being made (Pagefind running) stops that
    gathering within moments: Pagefind is killed, nothing of the gathering is written, the save's
    page is built, and the gathering follows later."""
    from test_search import index_of

    shown, printed = preview
    rel = "content/en/treatment.md"
    treatment = site_root / rel
    slow = site_root.parent / "slow-pagefind"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")         # a Pagefind that takes its time
    slow.chmod(0o755)
    treatment.write_text(treatment.read_text().replace("## Details", "Wombatword.\n\n## Details"))
    assert shown.rebuild((rel,), gather=False)
    before = {p: p.read_bytes() for p in (shown.out / "pagefind").rglob("*") if p.is_file()}
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow))
    gathering = threading.Thread(target=shown.gather_now)
    gathering.start()
    time.sleep(1.0)                                  # Pagefind is sleeping in the slow binary
    treatment.write_text(treatment.read_text().replace("Wombatword.", "Numbatword."))
    started = time.monotonic()
    assert shown.rebuild((rel,), gather=False)
    assert time.monotonic() - started < 5.0          # not the 30 s the gathering would have taken
    gathering.join(timeout=5)
    assert not gathering.is_alive()
    assert "Numbatword" in (shown.out / "en/the-treatment/index.html").read_text()
    assert {p: p.read_bytes() for p in (shown.out / "pagefind").rglob("*") if p.is_file()} == before
    assert shown.last.state.output.ungathered == {"en"} and shown.failure is None
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    shown.gather_now()
    assert any("Numbatword" in text for lang, text in index_of(shown.out).values() if lang == "en")


def test_a_save_stops_the_gathering_at_the_end_of_the_stage_it_is_in(preview, site_root, monkeypatch):
    """A save that comes while the gathering is still in the stages before the leaflets (on a large
    site they take tens of milliseconds) waits only for the stage under way, not for all of them."""
    import patientsite.pipeline as pipeline

    shown, printed = preview
    rel = "content/en/treatment.md"
    treatment = site_root / rel
    treatment.write_text(treatment.read_text().replace("## Details", "Okapiword.\n\n## Details"))
    assert shown.rebuild((rel,), gather=False)
    judge, render, in_stage, rendered = pipeline.judge_translations, pipeline.render_site, threading.Event(), []

    def slow_judge(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():    # the gathering's
            in_stage.set()
            assert shown.stop.wait(5)                  # the save came while this stage ran
        return judge(*args, **kwargs)

    monkeypatch.setattr(pipeline, "judge_translations", slow_judge)
    monkeypatch.setattr(pipeline, "render_site", lambda *args, **kwargs: (rendered.append(kwargs["gather"]),
                                                                          render(*args, **kwargs))[1])
    gathering = threading.Thread(target=shown.gather_now)
    gathering.start()
    assert in_stage.wait(5)
    treatment.write_text(treatment.read_text().replace("Okapiword.", "Tapirword."))
    assert shown.rebuild((rel,), gather=False)
    gathering.join(timeout=5)
    assert not gathering.is_alive() and rendered == [False]     # the gathering never reached the render stage
    assert "Tapirword" in (shown.out / "en/the-treatment/index.html").read_text()
    assert shown.last.state.output.ungathered == {"en"} and shown.failure is None


def test_after_a_saves_build_only_the_files_it_read_are_looked_at_again(preview, site_root, monkeypatch):
    """A scan of every watched file costs a save 10-20 ms at 3,000 pages: after a build from the
    previous one only the files it read are looked at again. One of them saved while it built makes
    the next build a full one; another file saved meanwhile is read by the next build from the previous
    one, when the watcher reports it."""
    import patientsite.preview.serve as serve

    shown, printed = preview
    looked, meanwhile = [], {}
    scan, build = serve.snapshot, serve.build

    def snapshot(root, paths):
        looked.append(sorted(Path(p).relative_to(root).as_posix() for p in paths))
        return scan(root, paths)

    def building(*args, **kwargs):
        result = build(*args, **kwargs)
        for path, text in meanwhile.items():
            path.write_text(text)
        meanwhile.clear()
        return result

    def save(rel, old, new):    # the watcher's report of a save, with what it has seen
        (site_root / rel).write_text((site_root / rel).read_text().replace(old, new))
        return shown.rebuild((rel,), scan(site_root, [site_root / name for name in WATCHED]), gather=False)

    monkeypatch.setattr(serve, "snapshot", snapshot)
    monkeypatch.setattr(serve, "build", building)
    ru = site_root / "content/ru/treatment.md"
    meanwhile[ru] = ru.read_text().replace("## Details", "Бетаслово.\n\n## Details")
    assert save("content/en/treatment.md", "## Details", "Alphaword.\n\n## Details")
    assert looked == [["content/en/treatment.md"]] and shown.last is not None
    assert save("content/ru/treatment.md", "Бетаслово.", "Бетаслово два.")
    assert "content/ru/treatment.md changed: built 1 page" in printed[-1]
    assert "Бетаслово два." in (shown.out / "ru/procedura/index.html").read_text()
    en = site_root / "content/en/treatment.md"
    meanwhile[en] = en.read_text().replace("Alphaword.", "Gammaword.")     # the file it reads, saved meanwhile
    assert save("content/en/treatment.md", "Alphaword.", "Alphaword two.") and shown.last is None
    assert shown.rebuild(("content/en/treatment.md",), scan(site_root, [site_root / name for name in WATCHED]),
                         gather=False)
    assert re.search(r"built \d+ files", printed[-1]) and "Gammaword." in (shown.out / "en/the-treatment/index.html").read_text()


def test_a_closed_preview_gathers_nothing_more(preview, site_root):
    """When the preview ends (its folder is about to be removed), a gathering that was waiting does
    nothing: no file is written into the folder."""
    shown, printed = preview
    rel = "content/en/treatment.md"
    treatment = site_root / rel
    treatment.write_text(treatment.read_text().replace("## Details", "Dugongword.\n\n## Details"))
    assert shown.rebuild((rel,), gather=False)
    shown.gather_later(0.3)
    before = {p: p.stat().st_mtime_ns for p in shown.out.rglob("*") if p.is_file()}
    shown.close()
    time.sleep(0.8)
    shown.gather_now()                               # a timer that had fired already
    assert {p: p.stat().st_mtime_ns for p in shown.out.rglob("*") if p.is_file()} == before
    assert shown.last.state.output.ungathered == {"en"}
