"""Make the PNG fallbacks of the favicon and the default share image from the SVGs in templates/static/
(Chromium draws them; run after changing favicon.svg or logo.svg, then commit the PNGs):

    /work/main/.venv/bin/python scripts/make_icons.py [--colour "#0b5394"]
"""

from __future__ import annotations

import argparse
import base64
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parent.parent / "templates" / "static"
ICONS = {"favicon-32.png": 32, "apple-touch-icon.png": 180}


def data_url(name: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode((STATIC / name).read_bytes()).decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--colour", default="#0b5394", help="the brand colour behind the share image's logo")
    colour = parser.parse_args().colour
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        for name, size in ICONS.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(f'<body style="margin:0"><img src="{data_url("favicon.svg")}" '
                             f'width="{size}" height="{size}" style="display:block"></body>')
            page.screenshot(path=str(STATIC / name), omit_background=True)
            page.close()
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(f'<body style="margin:0;background:{colour};display:grid;place-items:center;height:630px">'
                         f'<img src="{data_url("logo.svg")}" width="300" height="300"></body>')
        page.screenshot(path=str(STATIC / "og-image.png"))
        browser.close()
    print("wrote", ", ".join([*ICONS, "og-image.png"]), "in", STATIC)


if __name__ == "__main__":
    main()
