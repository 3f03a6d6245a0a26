"""Screenshots of each language's home page at 390 px (a phone) and 1280 px (a laptop), first screen
only, for the README: build the site, then

    /work/main/.venv/bin/python scripts/screenshots.py SITE_FOLDER [docs/screenshots]
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

VIEWS = {390: 844, 1280: 800}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    site = Path(sys.argv[1]).resolve()
    target = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
    target.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_address[1]}/"
    languages = sorted(p.parent.name for p in site.glob("*/index.html"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        for width, height in VIEWS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, color_scheme="light")
            page = context.new_page()
            for code in languages:
                page.goto(f"{local}{code}/index.html")
                page.screenshot(path=str(target / f"{code}-{width}.png"))
            context.close()
        browser.close()
    server.shutdown()
    print("wrote", len(languages) * len(VIEWS), "screenshots in", target)


if __name__ == "__main__":
    main()
