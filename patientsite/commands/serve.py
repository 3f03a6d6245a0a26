"""`python build.py serve [--port N]`: the live preview on 127.0.0.1, rebuilding on every save and
showing build errors in the browser (preview/serve.py holds the preview's state,
preview/watcher.py the watcher)."""

from __future__ import annotations

import errno
import logging
import os
import signal
import sys
import tempfile
from pathlib import Path

from patientsite.preview.serve import WATCHED, Preview, make_watcher
from patientsite.preview.server import PreviewApp, bind, preview_server
from patientsite.preview.watcher import QUIET_MS, QUIET_VARIABLE, quiet_ms


def add_arguments(parser) -> None:
    parser.add_argument("--port", type=_port, default=8000, help="the port on 127.0.0.1 (default: 8000)")


def _port(text: str) -> int:
    import argparse

    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f'"{text}" is not a port: give a number from 1 to 65535, e.g. 8001')
    return int(text)


def _stop(signum, frame):
    raise KeyboardInterrupt


def _warnings_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


def _nothing(record: logging.LogRecord) -> bool:
    return False


# livereload's chatter and tornado's access log would repeat on every request what we say once
QUIET_LOGS = {"livereload": _warnings_only, "tornado.access": _nothing}


def run(args, root: Path) -> int:
    from livereload.handlers import LiveReloadHandler

    def echo(text: str) -> None:
        print(text, flush=True)

    quiet = quiet_ms(os.environ)
    if quiet is None:
        print(f'error: ${QUIET_VARIABLE}: "{os.environ[QUIET_VARIABLE].strip()}" is not a number of milliseconds '
              f"from 1 to 10000; set it to one (e.g. {QUIET_VARIABLE}=50) or unset it for {QUIET_MS} ms",
              file=sys.stderr)
        return 1
    try:
        sockets = bind(args.port)
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
            raise
        what = "already in use (another preview?)" if exc.errno == errno.EADDRINUSE else "not open to this user"
        print(f"error: 127.0.0.1:{args.port}: port {args.port} is {what}; choose another one: "
              f"python build.py serve --port {args.port + 1 if args.port < 65535 else 8000}", file=sys.stderr)
        return 1
    try:
        with tempfile.TemporaryDirectory(prefix="patientsite-preview-") as folder:
            preview = Preview(root, Path(folder) / "site", echo)

            def on_change(changed: tuple[str, ...]) -> None:
                ok = preview.rebuild(changed, watcher.seen, gather=False)    # what the watcher has just seen
                css_only = ok and all(p.endswith(".css") for p in changed)
                LiveReloadHandler.reload_waiters(changed[0] if css_only else "*")
                preview.gather_later()       # the leaflets and search index, once the saves stop

            watcher = make_watcher(root, on_change, quiet)
            preview.rebuild()
            server = preview_server(PreviewApp(preview), watcher, sockets, args.port)
            for name, keep in QUIET_LOGS.items():
                logging.getLogger(name).addFilter(keep)
            previous = signal.signal(signal.SIGTERM, _stop)
            echo(f"Preview: http://127.0.0.1:{args.port}/ (every language; press Ctrl+C to stop)")
            try:
                watcher.start()
            except OSError as exc:      # e.g. the system's limit of watched folders
                watcher.stop()
                print(f"error: {root}: the operating system cannot watch the project's folders ({exc}); "
                      "on Linux raise the limit, e.g. sudo sysctl fs.inotify.max_user_watches=524288, "
                      "then start the preview again", file=sys.stderr)
                return 1
            echo(f"Watching {', '.join(WATCHED)} (told of each save by {watcher.backend()}): saving a file "
                 "rebuilds the site and reloads the browser.")
            try:
                server.serve(port=args.port, host="127.0.0.1", debug=False)
            finally:
                watcher.stop()
                preview.close()                    # nothing gathered into a folder being removed
                signal.signal(signal.SIGTERM, previous)
                for name, keep in QUIET_LOGS.items():
                    logging.getLogger(name).removeFilter(keep)
    finally:
        for sock in sockets:
            sock.close()
    echo("Preview stopped.")
    return 0
