"""What makes a translation stale (docs/translators.md, "Stale is decided by content"): changing the
Italian title, description, navigation title, text or a fact's words does; changing only spaces at the
ends of lines, line endings, the page's `reviewed:`, `slug:` or `sources:` does not."""

from __future__ import annotations

import pytest
from sitefiles import WORDS, make_site, page_text

from patientsite.cli import main
from patientsite.load.config import load_config
from patientsite.load.translation import assess_translations, read_translation_sources

IT = page_text("it", "treatment.md")
PAGE = "content/it/treatment.md"


def _with_sources(text: str) -> str:
    return text.replace("reviewed: 2026-11-20", "reviewed: 2026-11-20\nsources: [doc-a]")


NOT_STALE = {
    "trailing spaces on every line": lambda t: "\n".join(line if line == "---" else line + "  "
                                                         for line in t.split("\n")),
    "trailing tab after the title": lambda t: t.replace("title: Il trattamento", "title: Il trattamento\t"),
    "CRLF line endings": lambda t: t.replace("\n", "\r\n"),
    "blank lines at the end": lambda t: t + "\n\n\n",
    "reviewed date": lambda t: t.replace("reviewed: 2026-11-20", "reviewed: 2026-11-22"),
    "slug": lambda t: t.replace("slug: il-trattamento", "slug: la-cura"),
    "sources added": _with_sources,
    "spaces inside the title": lambda t: t.replace("title: Il trattamento", "title: Il   trattamento"),
}
STALE = {
    "title": lambda t: t.replace("title: Il trattamento", "title: La cura"),
    "description": lambda t: t.replace("description: Come si svolge", "description: Come si fa"),
    "navigation title changed": lambda t: t.replace("nav_title: Il trattamento", "nav_title: Cura"),
    "a word of the text": lambda t: t.replace("## Details", "## Dettagli"),
    "a line of text added": lambda t: t + "Una frase nuova.\n",
    "indentation of a line": lambda t: t.replace("## Details", "    ## Details"),
    "a character at the start of the text": lambda t: t.replace("---\nA course", "---\nXA course"),
}


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    """The small site with every translation marked current."""
    root = make_site(tmp_path_factory.mktemp("stale") / "project")
    for lang in ("en", "ru"):
        assert main(["--root", str(root), "status", "--mark-current", lang, "all"]) == 0
    return root


def status_after(root, rel: str, text: str, kind: str, unit: str) -> dict[str, str]:
    path = root / rel
    before = path.read_bytes()
    try:
        path.write_bytes(text.encode("utf-8"))
        status = assess_translations(read_translation_sources(load_config(root), root / "templates"))
        return {lang: status.language(lang).find(kind, unit).status for lang in ("en", "ru")}
    finally:
        path.write_bytes(before)


def test_a_marked_site_is_current(marked):
    assert status_after(marked, PAGE, IT, "page", "treatment") == {"en": "current", "ru": "current"}


@pytest.mark.parametrize("edit", sorted(NOT_STALE))
def test_an_edit_that_does_not_count(marked, edit):
    changed = NOT_STALE[edit](IT)
    assert changed != IT
    assert status_after(marked, PAGE, changed, "page", "treatment") == {"en": "current", "ru": "current"}


@pytest.mark.parametrize("edit", sorted(STALE))
def test_an_edit_that_makes_the_translations_stale(marked, edit):
    changed = STALE[edit](IT)
    assert changed != IT
    assert status_after(marked, PAGE, changed, "page", "treatment") == {"en": "stale", "ru": "stale"}


WORDS_IT = WORDS["it"]
WORDS_NOT_STALE = {
    "trailing spaces": lambda t: t.replace("volume per punto", "volume per punto   "),
    "flow mapping written as a block": lambda t: t.replace(
        "      allergy: {label: Allergia, reason: Le sostanze sono attive.}",
        "      allergy:\n        reason: Le sostanze sono attive.\n        label: Allergia"),
}
WORDS_STALE = {
    "a label": lambda t: t.replace("volume per punto", "volume in ogni punto"),
    "an item's text": lambda t: t.replace("Le sostanze sono attive.", "Le sostanze sono molto attive."),
}


@pytest.mark.parametrize("edit", sorted(WORDS_NOT_STALE))
def test_a_words_edit_that_does_not_count(marked, edit):
    changed = WORDS_NOT_STALE[edit](WORDS_IT)
    unit = "point.volume" if "spaces" in edit else "contraindications"
    assert status_after(marked, "content/it/words.yaml", changed, "words", unit) == {"en": "current", "ru": "current"}


@pytest.mark.parametrize("edit", sorted(WORDS_STALE))
def test_a_words_edit_that_makes_the_translations_stale(marked, edit):
    changed = WORDS_STALE[edit](WORDS_IT)
    unit = "point.volume" if edit == "a label" else "contraindications"
    assert status_after(marked, "content/it/words.yaml", changed, "words", unit) == {"en": "stale", "ru": "stale"}
