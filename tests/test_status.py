"""Translation status the way a translator meets it: `status`, `--mark-current`, stale notices on
published pages, and the build failing on stale critical words."""

import datetime
import json
import os

import pytest

from patientsite.cli import main
from patientsite.commands.status import changed_sections

TREATMENT_IT = "content/it/treatment.md"


def cli(root, *args, capsys):
    code = main(["--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def mark_all(root, capsys):
    for lang in ("en", "ru"):
        code, out, _ = cli(root, "status", "--mark-current", lang, "all", capsys=capsys)
        assert code == 0 and f"Recorded in content/{lang}/translations.lock" in out


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def units(root, capsys, lang):
    code, out, _ = cli(root, "status", "--json", capsys=capsys)
    assert code == 0
    return {(u["kind"], u["id"]): u for u in json.loads(out)["languages"][lang]["units"]}


def test_a_new_project_is_untracked_and_builds_without_translation_warnings(site_root, tmp_path, capsys):
    code, out, _ = cli(site_root, "status", capsys=capsys)
    assert code == 0
    assert "en English    pages              0      0        0      0          3" in out
    assert "once checked, run: python build.py status --mark-current en all" in out
    assert cli(site_root, "status", "--fail-on", "missing,stale", capsys=capsys)[0] == 0
    assert cli(site_root, "status", "--fail-on", "untracked", capsys=capsys)[0] == 1
    code, _, err = cli(site_root, "build", "--out", str(tmp_path / "site"), capsys=capsys)
    assert code == 0 and "translation" not in err
    assert not (site_root / "content/en/translations.lock").exists()


def test_editing_an_italian_page_makes_its_translations_stale_until_marked(site_root, tmp_path, capsys):
    mark_all(site_root, capsys)
    assert cli(site_root, "status", "--fail-on", "missing,stale", capsys=capsys)[0] == 0
    edit(site_root, TREATMENT_IT, "## Details\n", "## Details\n\nChiedere al medico prima della seduta.\n")

    code, out, err = cli(site_root, "status", "--fail-on", "stale", capsys=capsys)
    assert code == 1 and "status: 2 units are stale" in err
    assert "en English    pages              2      1        0      0          0" in out
    assert "ru Русский    pages              2      1        0      0          0" in out
    assert "  stale    page treatment" in out and 'Italian changed in: "Details"' in out
    assert "+Chiedere al medico prima della seduta." in out
    assert "when updated: python build.py status --mark-current en treatment" in out
    en = units(site_root, capsys, "en")[("page", "treatment")]
    assert en["status"] == "stale" and en["changed_sections"] == ["Details"] and en["path"] == "content/en/treatment.md"
    assert "\n+Chiedere al medico prima della seduta." in en["diff"]

    # published, with a notice in the reader's language linking to the Italian page, dated the day
    # the Italian changed (the file's time outside a git checkout: load/history.py)
    changed = datetime.datetime(2027, 1, 15, 12, tzinfo=datetime.UTC).timestamp()
    os.utime(site_root / TREATMENT_IT, (changed, changed))
    code, _, err = cli(site_root, "build", "--out", str(tmp_path / "site"), capsys=capsys)
    assert code == 0
    assert ("warning: content/en/treatment.md: published with an out-of-date notice: the Italian page changed "
            "since this translation was marked current") in err
    en_html = (tmp_path / "site/en/the-treatment/index.html").read_text()
    assert '<aside class="translation-notice" role="note" lang="en">' in en_html
    assert "This page was updated in Italian on 15 January 2027; this translation may be out of date." in en_html
    assert ('The Italian page: <a href="../../it/il-trattamento/index.html" hreflang="it" lang="it">'
            "Il trattamento</a>") in en_html
    ru_html = (tmp_path / "site/ru/procedura/index.html").read_text()
    assert '<aside class="translation-notice" role="note" lang="ru">' in ru_html
    assert "Эта страница обновлена на итальянском языке 15 января 2027" in ru_html
    for page in ("it/il-trattamento", "en/contraindications", "ru/protivopokazaniya"):
        assert "translation-notice" not in (tmp_path / f"site/{page}/index.html").read_text()

    # the English translator updates the page and marks it current; Russian stays stale
    edit(site_root, "content/en/treatment.md", "## Details\n", "## Details\n\nAsk the doctor before the session.\n")
    code, out, err = cli(site_root, "status", "--mark-current", "en", "treatment", capsys=capsys)
    assert code == 0 and "marked current: page treatment (content/en/treatment.md)" in out and not err
    assert units(site_root, capsys, "en")[("page", "treatment")]["status"] == "current"
    assert units(site_root, capsys, "ru")[("page", "treatment")]["status"] == "stale"
    cli(site_root, "build", "--out", str(tmp_path / "site"), capsys=capsys)
    assert "translation-notice" not in (tmp_path / "site/en/the-treatment/index.html").read_text()
    assert "translation-notice" in (tmp_path / "site/ru/procedura/index.html").read_text()

    cli(site_root, "status", "--mark-current", "ru", "treatment", capsys=capsys)
    assert cli(site_root, "status", "--fail-on", "missing,stale", capsys=capsys)[0] == 0


def test_marking_an_unchanged_translation_warns(site_root, capsys):
    mark_all(site_root, capsys)
    edit(site_root, TREATMENT_IT, "## Details", "## Dettagli")
    code, out, err = cli(site_root, "status", "--mark-current", "en", "treatment", capsys=capsys)
    assert code == 0 and "marked current: page treatment" in out
    assert ("warning: content/en/treatment.md: the en translation of page treatment has not changed since it was "
            "last marked current, although the Italian has: check that the translation was updated") in err


def test_stale_critical_words_are_replaced_by_a_notice_until_updated_and_marked(site_root, tmp_path, capsys):
    mark_all(site_root, capsys)
    edit(site_root, "content/it/words.yaml", "reason: Le sostanze sono attive.", "reason: Le sostanze sono molto attive.")
    code, _, err = cli(site_root, "build", "--out", str(tmp_path / "site"), capsys=capsys)
    assert code == 0            # the Italian correction is published at once
    assert ('warning: content/en/words.yaml:18: the en words for the critical fact "contraindications" were '
            "translated from an older Italian text: the pages that show them are not published in en\n    Critical "
            "text is never published out of date. See what changed: python build.py status; update the words here, "
            "then run: python build.py status --mark-current en words:contraindications") in err
    assert ('warning: content/ru/contraindications.md:1: published in ru as a "being updated" notice: the critical '
            'words of "contraindications" are not ready') in err
    assert "Le sostanze sono molto attive." in (tmp_path / "site/it/controindicazioni/index.html").read_text()
    en_html = (tmp_path / "site/en/contraindications/index.html").read_text()
    assert "The substances are active." not in en_html and "This page is being updated" in en_html
    assert "MedicalContraindication" not in (tmp_path / "site/en/index.html").read_text()   # nor in JSON-LD
    assert "MedicalContraindication" in (tmp_path / "site/it/index.html").read_text()
    code, out, _ = cli(site_root, "status", capsys=capsys)
    assert "stale    words contraindications" in out and "CRITICAL: the pages that show it are replaced" in out
    assert "-    reason: Le sostanze sono attive.\n           +    reason: Le sostanze sono molto attive." in out

    # the id is also a page key: a bare name is ambiguous
    code, _, err = cli(site_root, "status", "--mark-current", "en", "contraindications", capsys=capsys)
    assert code == 1 and ('error: content/en: "contraindications" is both page:contraindications and '
                          "words:contraindications\n    Say which one: page:contraindications or "
                          "words:contraindications.") in err
    for lang, text in (("en", "The substances are very active."), ("ru", "Вещества очень активны.")):
        edit(site_root, f"content/{lang}/words.yaml", {"en": "The substances are active.",
                                                        "ru": "Вещества активны."}[lang], text)
        assert cli(site_root, "status", "--mark-current", lang, "words:contraindications", capsys=capsys)[0] == 0
    assert cli(site_root, "build", "--out", str(tmp_path / "site"), capsys=capsys)[0] == 0
    assert "The substances are very active." in (tmp_path / "site/en/contraindications/index.html").read_text()


def test_stale_list_words_put_a_notice_on_the_pages_showing_them(site_root, tmp_path, capsys):
    files = {"content/facts.yaml": (site_root / "content/facts.yaml").read_text().replace(
        "    critical: true\n", "")}
    for rel, text in files.items():
        (site_root / rel).write_text(text)
    mark_all(site_root, capsys)
    edit(site_root, "content/it/words.yaml", "label: Calcoli biliari", "label: Calcoli della colecisti")
    code, _, err = cli(site_root, "build", "--out", str(tmp_path / "site"), capsys=capsys)
    assert code == 0
    assert ('warning: content/en/contraindications.md: published with an out-of-date notice: the Italian words of '
            '"contraindications" changed since this translation was marked current\n    Update the translation, '
            "then run: python build.py status --mark-current en words:contraindications") in err
    assert "translation-notice" in (tmp_path / "site/en/contraindications/index.html").read_text()
    assert "translation-notice" not in (tmp_path / "site/en/the-treatment/index.html").read_text()


def test_stale_statement_words_put_a_notice_on_the_pages_showing_them(site_root, tmp_path, capsys):
    mark_all(site_root, capsys)
    edit(site_root, "content/it/words.yaml", "text: Può fare un po' male.", "text: Può fare male per qualche giorno.")
    code, _, err = cli(site_root, "build", "--out", str(tmp_path / "site"), capsys=capsys)
    assert code == 0
    assert ('warning: content/ru/treatment.md: published with an out-of-date notice: the Italian words of '
            '"procedure.pain" changed since this translation was marked current\n    Update the translation, '
            "then run: python build.py status --mark-current ru procedure.pain") in err
    assert "translation-notice" in (tmp_path / "site/ru/procedura/index.html").read_text()
    assert "translation-notice" not in (tmp_path / "site/ru/protivopokazaniya/index.html").read_text()


def test_missing_translations_are_listed_even_though_the_build_fails(site_root, capsys):
    (site_root / "content/en/treatment.md").unlink()
    edit(site_root, "content/en/words.yaml", "allergy: {label: Allergy, reason: The substances are active.}",
         "allergy: {label: Allergy}")
    code, out, err = cli(site_root, "status", "--fail-on", "missing", capsys=capsys)
    assert code == 1 and "status: 2 units are missing" in err
    assert "  missing  page treatment                     content/it/treatment.md  no en page with key: treatment" in out
    assert ('  missing  words contraindications            content/en/words.yaml:18  item "allergy" has no "reason"'
            '  CRITICAL: the pages that show it are replaced by a "being updated" notice until this is fixed') in out
    code, _, err = cli(site_root, "status", "--mark-current", "en", "treatment", capsys=capsys)
    assert code == 1 and ('the en translation of "treatment" cannot be marked current: no en page '
                          "with key: treatment") in err
    code, out, _ = cli(site_root, "status", "--mark-current", "en", "all", capsys=capsys)
    assert code == 0 and "skipped, not translated yet: page treatment, words contraindications" in out


def test_ui_strings_fuzzy_plural_and_stale(site_root, capsys):
    (site_root / "templates/partials/count.html").write_text(
        "{% trans count=n %}{{ count }} page{% pluralize %}{{ count }} pages{% endtrans %}\n")
    assert cli(site_root, "i18n", "update", capsys=capsys)[0] == 0
    for lang, forms in (("it", ("%(count)s pagina", "%(count)s pagine")), ("en", ("%(count)s page", "%(count)s pages")),
                        ("ru", ("%(count)s страница", "%(count)s страницы"))):
        edit(site_root, f"content/{lang}/messages.po", 'msgstr[0] ""\nmsgstr[1] ""',
             f'msgstr[0] "{forms[0]}"\nmsgstr[1] "{forms[1]}"')
    edit(site_root, "content/en/messages.po", 'msgid "Phone"', '#, fuzzy\nmsgid "Phone"')
    code, out, _ = cli(site_root, "status", "--fail-on", "missing", capsys=capsys)
    assert code == 1
    assert 'fuzzy    UI "Phone"' in out and "marked fuzzy" in out
    assert 'missing  UI "%(count)s page"' in out and "not translated in all 3 plural forms" in out
    code, _, err = cli(site_root, "build", "--out", str(site_root / "out"), capsys=capsys)  # the same rule
    assert code == 1 and 'content/en/messages.po:' in err and 'the translation of "Phone" is marked fuzzy' in err
    edit(site_root, "content/en/messages.po", '#, fuzzy\nmsgid "Phone"', 'msgid "Phone"')
    code, _, err = cli(site_root, "build", "--out", str(site_root / "out"), capsys=capsys)
    assert code == 0     # a string not translated yet leaves Russian not ready; the site builds
    assert 'warning: content/ru/messages.po:' in err
    assert 'the UI string "%(count)s page" is not translated in all 3 plural forms' in err
    edit(site_root, "content/ru/messages.po", 'msgstr[1] "%(count)s страницы"\nmsgstr[2] ""',
         'msgstr[1] "%(count)s страницы"\nmsgstr[2] "%(count)s страниц"')
    mark_all(site_root, capsys)
    edit(site_root, "content/it/messages.po", 'msgstr "Telefono"', 'msgstr "Telefono della clinica"')
    ru = units(site_root, capsys, "ru")
    assert ru[("ui", "Phone")]["status"] == "stale" and ru[("ui", "%(count)s page")]["status"] == "current"
    assert '+msgstr: Telefono della clinica' in ru[("ui", "Phone")]["diff"]
    code, out, _ = cli(site_root, "status", capsys=capsys)
    assert "when updated: python build.py status --mark-current ru ui:Phone" in out


def test_the_lock_file_is_stable_readable_and_pruned(site_root, capsys):
    mark_all(site_root, capsys)
    lock = site_root / "content/en/translations.lock"
    first = lock.read_text()
    assert first.startswith("# The Italiano source each English translation was made from.\n")
    assert "&id" not in first and "  treatment:\n    hash: " in first
    assert "    source: |\n      title: Il trattamento\n      description: Come si svolge\n" in first
    mark_all(site_root, capsys)
    assert lock.read_text() == first
    for lang in ("it", "en", "ru"):
        (site_root / f"content/{lang}/treatment.md").unlink()
    cli(site_root, "status", "--mark-current", "en", "pages", capsys=capsys)
    assert "  treatment:" not in lock.read_text() and "  home:" in lock.read_text()


def test_a_damaged_lock_file_is_an_error_naming_its_line(site_root, capsys):
    mark_all(site_root, capsys)
    lock = site_root / "content/en/translations.lock"
    lock.write_text(lock.read_text().replace("    hash: ", "    hush: ", 1))
    code, _, err = cli(site_root, "status", capsys=capsys)
    assert code == 1
    assert 'error: content/en/translations.lock:4: the entry "contraindications" is damaged' in err
    assert "Restore it from version control, or delete it and mark the checked translations current again." in err


@pytest.mark.parametrize("args, message", [
    (["en", "treatmnt"], 'error: content/en: nothing called "treatmnt" to mark current\n    did you mean "treatment"?'),
    (["it", "all"], 'error: site.yaml: "it" is not a translated language\n    Translated languages: en, ru.'),
    (["de", "all"], 'error: site.yaml: "de" is not a translated language'),
])
def test_mark_current_errors(site_root, capsys, args, message):
    code, _, err = cli(site_root, "status", "--mark-current", *args, capsys=capsys)
    assert code == 1 and message in err


def test_mark_current_needs_a_unit(site_root, capsys):
    with pytest.raises(SystemExit):
        main(["--root", str(site_root), "status", "--mark-current", "en"])
    assert "--mark-current needs a language and what to mark, e.g. --mark-current en treatment" in capsys.readouterr().err


def test_changed_sections_names_the_headings():
    old = "title: T\n\nIntro\n\n## A\n\none\n\n## B\n\ntwo\n"
    assert changed_sections(old, old.replace("two", "three")) == ["B"]
    assert changed_sections(old, old.replace("Intro", "Start")) == ["(start of the page)"]
    assert changed_sections(old, old.replace("## B", "## C")) == ["B", "C"]


def test_the_italian_source_row_shows_its_own_gaps(site_root, capsys):
    edit(site_root, "content/it/words.yaml", "  interval: intervallo tra le sedute\n", "")
    edit(site_root, "content/it/messages.po", 'msgstr "Telefono"', 'msgstr ""')
    code, out, _ = cli(site_root, "status", "--fail-on", "missing", capsys=capsys)
    assert code == 1
    assert "it Italiano   fact words        13      -        1      0          -" in out
    assert "  missing  words interval                     content/it/words.yaml  no it words" in out
    assert '  missing  UI "Phone"                         content/it/messages.po:' in out and "not translated" in out
