"""A generated site large enough that rendering takes seconds (process and memory tests)."""

from __future__ import annotations

from pathlib import Path

from sitefiles import make_site

PARAGRAPH = ("Text {n} about the treatment: {{{{ fact('course.sessions') }}}}, then {{{{ fact('interval') }}}}. "
             "Ask the doctor about **every** detail of session {n}.\n\n")
# each language's pages in that language (English text in content/ru/ is a copy: checks/copies.py)
PARAGRAPHS = {
    "it": ("Testo {n} sul trattamento: {{{{ fact('course.sessions') }}}}, poi {{{{ fact('interval') }}}}. "
           "Chieda al medico di **ogni** dettaglio della seduta {n}, anche se non è chiaro.\n\n"),
    "en": PARAGRAPH,
    "ru": ("Текст {n} о процедуре: {{{{ fact('course.sessions') }}}}, затем {{{{ fact('interval') }}}}. "
           "Спросите врача о **каждой** подробности сеанса {n}.\n\n"),
}


def make_big_site(root: Path, pages: int) -> Path:
    """The small site plus `pages` generated pages in each language, each a few screens long."""
    changes = {}
    for n in range(pages):
        for lang in ("it", "en", "ru"):
            body = "".join(PARAGRAPHS[lang].format(n=n) for _ in range(12))
            body += "## List\n\n{{ fact_list('contraindications') }}\n\n{{ fact_table(['course.sessions', 'point.volume']) }}\n"
            changes[f"content/{lang}/p{n:04d}.md"] = (
                f"---\ntitle: Page {n}\ndescription: Generated page {n}\nkey: p{n:04d}\nslug: p-{n:04d}\n"
                f"reviewed: 2026-11-20\n---\n{body}")
    return make_site(root, changes)
