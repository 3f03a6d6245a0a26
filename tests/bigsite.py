"""A generated site large enough that rendering takes seconds (process and memory tests)."""

from __future__ import annotations

from pathlib import Path

from sitefiles import make_site

PARAGRAPH = ("Text {n} about the treatment: {{{{ fact('course.sessions') }}}}, then {{{{ fact('interval') }}}}. "
             "Ask the doctor about **every** detail of session {n}.\n\n")


def make_big_site(root: Path, pages: int) -> Path:
    """The small site plus `pages` generated pages in each language, each a few screens long."""
    changes = {}
    for n in range(pages):
        body = "".join(PARAGRAPH.format(n=n) for _ in range(12))
        body += "## List\n\n{{ fact_list('contraindications') }}\n\n{{ fact_table(['course.sessions', 'point.volume']) }}\n"
        for lang in ("it", "en", "ru"):
            changes[f"content/{lang}/p{n:04d}.md"] = (
                f"---\ntitle: Page {n}\ndescription: Generated page {n}\nkey: p{n:04d}\nslug: p-{n:04d}\n"
                f"reviewed: 2026-11-20\n---\n{body}")
    return make_site(root, changes)
