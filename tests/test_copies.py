"""Copied text (checks/copies.py): a page or a fact's words mostly in another language is an error with
its path and line; the real content never trips it. Many generated copies per kind, many real texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sitefiles import WORDS, make_site, page_text

from patientsite.checks.copies import foreign_language, plain
from patientsite.cli import main
from patientsite.load.content import split_front_matter

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("it", "en", "ru")


def _paragraphs(lang: str) -> list[str]:
    """The real pages' paragraphs of running text (not headings, lists of calls or tables)."""
    found = []
    for path in sorted((REPO / "content" / lang).glob("*.md")):
        _, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
        for block in body.split("\n\n"):
            text = plain(block).strip()
            if len(re.findall(r"\w+", text)) >= 12 and not text.startswith(("#", "|")):
                found.append(block.strip())
    return found


def _word_texts(lang: str) -> list[str]:
    """Each fact's words in the real words.yaml, as one text per fact (labels, items, statements)."""
    data = yaml.safe_load((REPO / "content" / lang / "words.yaml").read_text(encoding="utf-8"))

    def strings(value) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        return []
    return ["\n".join(strings(value)) for value in data["facts"].values()]


PARAGRAPHS = {lang: _paragraphs(lang) for lang in LANGUAGES}
WORD_TEXTS = {lang: _word_texts(lang) for lang in LANGUAGES}
# German, French and Spanish paragraphs, as a clinic adding those languages would copy them around
OTHERS = {
    "de": ["Die Mesotherapie ist eine Behandlung, bei der kleine Mengen von Wirkstoffen in die Haut gespritzt "
           "werden. Sie ist nicht für jeden geeignet, und der Arzt spricht mit Ihnen über die Risiken.",
           "Nach der Sitzung können kleine Blutergüsse auftreten, die nach einigen Tagen von selbst wieder "
           "verschwinden. Wenn Sie Fragen haben, rufen Sie die Praxis an."],
    "fr": ["La mésothérapie est un traitement dans lequel de petites quantités de produits sont injectées dans "
           "la peau. Elle ne convient pas à tout le monde et le médecin vous explique les risques avant.",
           "Après la séance, de petits bleus peuvent apparaître; ils disparaissent en quelques jours. Pour toute "
           "question, appelez le cabinet avec votre carnet de santé."],
    "es": ["La mesoterapia es un tratamiento en el que se inyectan pequeñas cantidades de sustancias en la piel. "
           "No es para todos y el médico le explica los riesgos antes de empezar, también los más raros.",
           "Después de la sesión pueden aparecer pequeños moratones, que desaparecen en pocos días. Si tiene "
           "preguntas, llame a la clínica y pida cita con el médico."],
}


@settings(max_examples=150, deadline=None)
@given(lang=st.sampled_from(LANGUAGES), data=st.data())
def test_real_pages_and_words_are_never_taken_for_copies(lang, data):
    paragraphs = data.draw(st.lists(st.sampled_from(PARAGRAPHS[lang]), min_size=1, max_size=8))
    assert foreign_language("\n\n".join(paragraphs), lang) is None
    words = data.draw(st.sampled_from(WORD_TEXTS[lang]))
    assert foreign_language(words, lang) is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_real_page_and_words_entry_passes(lang):
    for path in sorted((REPO / "content" / lang).glob("*.md")):
        assert foreign_language(path.read_text(encoding="utf-8"), lang) is None, path
    for text in WORD_TEXTS[lang]:
        assert foreign_language(text, lang) is None, text


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_page_copied_from_another_language_is_caught(data):
    folder = data.draw(st.sampled_from((*LANGUAGES, "de", "fr", "es")))
    # Italian and Spanish share too many small words for this cheap check to tell apart (a known limit)
    origin = data.draw(st.sampled_from([o for o in (*LANGUAGES, *OTHERS) if o != folder
                                        and {o, folder} != {"it", "es"}]))
    pool = PARAGRAPHS.get(origin) or OTHERS[origin]
    copied = data.draw(st.lists(st.sampled_from(pool), min_size=2, max_size=6))
    # a copied page, not one short sentence (a sentence of 11 words may hold too few small words to judge)
    assume(len(re.findall(r"\w+", " ".join(copied))) >= 40)
    found = foreign_language("\n\n".join(copied), folder)
    assert found is not None
    if origin in OTHERS or folder == "ru" or origin == "ru":
        assert found in (origin, "latin", "cyrillic")
    else:
        assert found == origin


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_words_copied_from_another_language_are_caught(data):
    folder, origin = data.draw(st.sampled_from([(f, o) for f in LANGUAGES for o in LANGUAGES if f != o]))
    # the list facts' words: labels, reasons and answers (a single short label is too short to judge)
    texts = [t for t in WORD_TEXTS[origin] if len(re.findall(r"\w+", t)) >= 25]
    copied = data.draw(st.sampled_from(texts))
    assert foreign_language(copied, folder) is not None


# -- in a build: the error names the file and line, the previous site stays -----------------------------
ENGLISH_TREATMENT = page_text("en", "treatment.md") + (
    "\nThe doctor explains the treatment and its risks before the first session. If you have any questions, ask "
    "them: there is always time for them, and the clinic will call you back when you leave a message.\n")


@pytest.mark.parametrize("case", ["en page in ru", "en page in it", "it words in ru", "ru words in en"])
def test_a_copy_fails_the_build_with_its_path_and_line(case, tmp_path, capsys):
    root = make_site(tmp_path / "project")
    out = tmp_path / "site"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()
    if case.endswith("page in ru") or case.endswith("page in it"):
        lang = case[-2:]
        text = ENGLISH_TREATMENT.replace("slug: the-treatment", f"slug: copy-{lang}")
        (root / f"content/{lang}/treatment.md").write_text(text, encoding="utf-8")
        line = text.split("\n").index("The doctor explains the treatment and its risks before the first session. "
                                      "If you have any questions, ask them: there is always time for them, and the "
                                      "clinic will call you back when you leave a message.") + 1
        name = {"ru": "Русский", "it": "Italiano"}[lang]
        expected = (f"error: content/{lang}/treatment.md:{line}: this page is mostly in "
                    f"{'Latin script' if lang == 'ru' else 'English'}, not {name}: a copy of another language?\n"
                    f"    Translate it into {name} (content/{lang}/ holds only {name} text).")
    else:
        origin, lang = case[:2], case[-2:]
        words = WORDS[lang].replace(WORDS[lang].split("  contraindications:\n")[1],
                                    WORDS[origin].split("  contraindications:\n")[1])
        words = words.replace("reason: Le sostanze sono attive.", "reason: Le sostanze sono attive e per questo "
                              "non si devono usare con una allergia della pelle.")
        words = words.replace("reason: Вещества активны.", "reason: Вещества активны и поэтому их нельзя "
                              "использовать при аллергии кожи.")
        (root / f"content/{lang}/words.yaml").write_text(words, encoding="utf-8")
        line = words.split("\n").index("  contraindications:") + 1
        name = {"ru": "Русский", "en": "English"}[lang]
        found = {"ru": "Latin script", "en": "Cyrillic script"}[lang]
        expected = (f'error: content/{lang}/words.yaml:{line}: the words of "contraindications" are mostly in '
                    f"{found}, not {name}: a copy of another language?")
    assert main(["--root", str(root), "build", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraph=st.sampled_from(PARAGRAPHS["en"]), extra=st.sampled_from(PARAGRAPHS["en"]))
def test_any_english_page_copied_into_the_russian_folder_fails(tmp_path_factory, paragraph, extra):
    root = make_site(tmp_path_factory.mktemp("copy") / "project")
    text = page_text("ru", "treatment.md").split("---\n")
    body = f"{paragraph}\n\n{extra}\n"
    (root / "content/ru/treatment.md").write_text("---\n" + text[1] + "---\n" + body, encoding="utf-8")
    assert main(["--root", str(root), "-q", "build", "--out", str(root / "site")]) == 1


def test_the_verdicts_kept_for_the_preview_do_not_keep_the_texts():
    """A build judges every page's whole text once; the verdicts are kept (the preview judges the
    same texts after every save), the texts are not (24 MB at 3,000 pages)."""
    import tracemalloc

    def text(n: int) -> str:        # made anew each time, as a build joins a page's title and body
        return f"Il paziente {n} " + "della terapia e il medico. " * 400          # 10 KB

    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(100):
            assert foreign_language(text(n), "it") is None
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 100 * 1000, kept       # about 200 bytes a verdict; the texts would be 1 MB
    english = "the patient and the doctor with the therapy, before and after it. " * 5
    assert [foreign_language(english, "it"), foreign_language(english, "it"), foreign_language(english, "en")] \
        == ["en", "en", None]         # a verdict by text and language, the same when kept
