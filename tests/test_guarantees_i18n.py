"""Guarantees of i18n.py: every number, range, unit, plural and date is formatted by the reader's
locale (Babel, CLDR plural rules; no-break spaces); each UI string of the templates must be in every
catalogue, translated in full and not fuzzy, or the build names the catalogue line; a translation
holding markup is named as a warning; the compiled catalogues give the translators' text."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import PoFileError
from sitefiles import make_site

from patientsite.errors import BuildError
from patientsite.load.config import load_config
from patientsite.load.facts import Amount, load_facts
from patientsite.load.i18n import (
    FUZZY,
    extract_messages,
    format_amount,
    format_long_date,
    format_number,
    load_catalogs,
    markup_in,
    parse_catalog,
    read_catalog,
    template_messages,
    unusable,
)
from patientsite.load.posyntax import CatalogError

NB = "\u00a0"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("i18n") / "project")
    config = load_config(root)
    return config, load_facts(config)


# -- numbers, amounts, dates ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang, number, text", [
    ("it", D("0.05"), "0,05"), ("en", D("0.05"), "0.05"), ("ru", D("0.05"), "0,05"),
    ("it", D("12345.5"), "12345,5"), ("en", D("12345.5"), "12345.5"), ("ru", D("12345.5"), "12345,5"),
    ("en", 7, "7"), ("it", D("10"), "10"),
])
def test_numbers_follow_the_locale_without_grouping(site, lang, number, text):
    assert format_number(number, site[0].language(lang)) == text


AMOUNTS = [  # low, high, unit: it, en, ru
    (D("0.05"), D("0.1"), "ml", "0,05–0,1 ml", "0.05–0.1 ml", "0,05–0,1 мл"),
    (D(10), D(12), "session", "10–12 sedute", "10–12 sessions", "10–12 сеансов"),
    (D(1), None, "session", "1 seduta", "1 session", "1 сеанс"),
    (D(2), D(4), "session", "2–4 sedute", "2–4 sessions", "2–4 сеанса"),
    (D(1), D(2), "session", "1–2 sedute", "1–2 sessions", "1–2 сеанса"),
    (D(2), D(1), "session", "2–1 seduta", "2–1 session", "2–1 сеанс"),
    (D(5), None, "session", "5 sedute", "5 sessions", "5 сеансов"),
    (D(21), None, "session", "21 sedute", "21 sessions", "21 сеанс"),
    (D("1.5"), None, "session", "1,5 sedute", "1.5 sessions", "1,5 сеанса"),
    (D(7), D(30), "day", "7–30 giorni", "7–30 days", "7–30 дней"),
    (D(1), None, "day", "1 giorno", "1 day", "1 день"),
    (D(15), D(20), "minute", "15–20 minuti", "15–20 minutes", "15–20 минут"),
    (D(3), D(4), "mm", "3–4 mm", "3–4 mm", "3–4 мм"),
    (D(1), D(2), "hour", "1–2 ore", "1–2 hours", "1–2 часа"),
    (D(1), None, "week", "1 settimana", "1 week", "1 неделя"),
    (D(2), None, "month", "2 mesi", "2 months", "2 месяца"),
    (D(1), None, "year", "1 anno", "1 year", "1 год"),
]


@pytest.mark.parametrize("low, high, unit, it, en, ru", AMOUNTS)
def test_amounts_use_the_locale_and_the_plural_of_the_last_number(site, low, high, unit, it, en, ru):
    config, facts = site
    for lang, expected in (("it", it), ("en", en), ("ru", ru)):
        text = format_amount(Amount(low, high, unit), config.language(lang), facts.words[lang])
        assert text == expected.replace(" ", NB), (lang, text)


def test_a_missing_plural_form_falls_back_to_other(site):
    config, _ = site
    words = SimpleNamespace(units={"visit": {"one": "визит", "other": "визита"}})
    assert format_amount(Amount(D(5), None, "visit"), config.language("ru"), words) == f"5{NB}визита"
    assert format_amount(Amount(D(1), None, "visit"), config.language("ru"), words) == f"1{NB}визит"
    words = SimpleNamespace(units={"visit": {"one": "визит", "many": "", "other": "визита"}})
    assert format_amount(Amount(D(5), None, "visit"), config.language("ru"), words) == f"5{NB}визита"


@pytest.mark.parametrize("lang, text", [("it", "20 novembre 2026"), ("en", "20 November 2026"),
                                        ("ru", "20 ноября 2026\u202fг.")])
def test_dates_are_long_and_in_the_locale(site, lang, text):
    assert format_long_date(datetime.date(2026, 11, 20), site[0].language(lang)) == text


# -- catalogue entries ---------------------------------------------------------------------------------
def entry(string, fuzzy=False):
    return SimpleNamespace(string=string, fuzzy=fuzzy)


@pytest.mark.parametrize("string, plural, fuzzy, why", [
    ("Text", False, False, ""), ("Text", False, True, FUZZY), ("", False, False, "not translated"),
    ("  ", False, False, "not translated"), (None, False, False, "not translated"), ("", False, True, "not translated"),
    (("a", "b"), True, False, ""), (("a", "b"), True, True, FUZZY), (("a",), True, False, "not translated in all 2 plural forms"),
    (("a", ""), True, False, "not translated in all 2 plural forms"), (("", "b"), True, False, "not translated in all 2 plural forms"),
    (["a", " "], True, False, "not translated in all 2 plural forms"), ((None, "b"), True, False, "not translated in all 2 plural forms"),
    (("a", "b", "c"), True, False, ""), (("a", ""), False, False, "not translated"),
])
def test_what_makes_a_translation_unusable(string, plural, fuzzy, why):
    assert unusable(entry(string, fuzzy), plural, 2) == why


@pytest.mark.parametrize("string, found", [
    ("plain text", ""), ("<b>bold</b>", "<b"), ("a </b>", "</"), ("<!-- c -->", "<!"), ("<?php", "<?"),
    ("< script>", "< s"), ("AT&amp;T", "&amp;"), ("&#39;", "&#39;"), ("&#x27;", "&#x27;"), ("AT&T", ""),
    ("1 <3", ""), ("a & b;", ""), ("&;", ""), (None, ""), ("", ""), (("one", "<i>two</i>"), "<i"), (("a", "b"), ""),
    (["&nbsp;", "x"], "&nbsp;"),
])
def test_markup_in_a_translation_is_found(string, found):
    assert markup_in(entry(string)) == found


# -- template strings ------------------------------------------------------------------------------------
def write_templates(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_every_template_string_is_found_with_its_first_place(tmp_path):
    templates = write_templates(tmp_path / "templates", {
        "a.html": "<p>\n{{ _('Hello') }}\n{% trans %}Sources{% endtrans %}</p>\n",
        "partials/b.html": "\n\n{{ _('Hello') }} {{ ngettext('%(num)s day', '%(num)s days', n) }}\n",
        "sitemap.xml": "<x>{{ _('In XML') }}</x>\n", "notes.txt": "{{ _('Not a template') }}\n",
    })
    assert template_messages(templates) == {
        "Hello": ("templates/a.html", 2), "Sources": ("templates/a.html", 3),
        ("%(num)s day", "%(num)s days"): ("templates/partials/b.html", 3), "In XML": ("templates/sitemap.xml", 1)}


def test_strings_are_extracted_again_when_a_template_changes(tmp_path):
    templates = write_templates(tmp_path / "templates", {"a.html": "{{ _('One') }}\n"})
    assert [m[2] for m in extract_messages(templates)] == ["One"]
    (templates / "a.html").write_text("{{ _('One') }}{{ _('Two') }}\n")
    assert [m[2] for m in extract_messages(templates)] == ["One", "Two"]
    (templates / "b.html").write_text("{{ _('Three') }}\n")
    assert [m[2] for m in extract_messages(templates)] == ["One", "Two", "Three"]


# -- loading the catalogues --------------------------------------------------------------------------------
HEADER = """\
msgid ""
msgstr ""
"Language: {locale}\\n"
"Plural-Forms: {plural}\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"""
PLURALS = {"it": "nplurals=2; plural=(n != 1);", "en": "nplurals=2; plural=(n != 1);",
           "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"}
LOCALES = {"it": "it_IT", "en": "en_GB", "ru": "ru_RU"}
TEMPLATES = {"page.html": "{{ _('Hello') }}\n{{ _('Sources') }}\n{{ ngettext('%(num)s day', '%(num)s days', n) }}\n"}
GOOD = {
    "it": ['msgid "Hello"\nmsgstr "Ciao"', 'msgid "Sources"\nmsgstr "Fonti"',
           'msgid "%(num)s day"\nmsgid_plural "%(num)s days"\nmsgstr[0] "%(num)s giorno"\nmsgstr[1] "%(num)s giorni"'],
    "en": ['msgid "Hello"\nmsgstr "Hello"', 'msgid "Sources"\nmsgstr "Sources"',
           'msgid "%(num)s day"\nmsgid_plural "%(num)s days"\nmsgstr[0] "%(num)s day"\nmsgstr[1] "%(num)s days"'],
    "ru": ['msgid "Hello"\nmsgstr "Привет"', 'msgid "Sources"\nmsgstr "Источники"',
           'msgid "%(num)s day"\nmsgid_plural "%(num)s days"\nmsgstr[0] "%(num)s день"\nmsgstr[1] "%(num)s дня"\n'
           'msgstr[2] "%(num)s дней"'],
}


def catalogue(lang: str, entries: list[str]) -> str:
    return HEADER.format(locale=LOCALES[lang], plural=PLURALS[lang]) + "".join("\n" + e + "\n" for e in entries)


def load(root: Path, changes: dict[str, list[str] | str | None] | None = None):
    """load_catalogs over `root` with the GOOD catalogues, some replaced; (catalogs, problems as text)."""
    write_templates(root / "templates", TEMPLATES)
    for lang in ("it", "en", "ru"):
        value = (changes or {}).get(lang, GOOD[lang])
        path = root / "content" / lang / "messages.po"
        if value is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(value if isinstance(value, str) else catalogue(lang, value), encoding="utf-8")
    try:
        catalogs = load_catalogs(load_config(root), root / "templates")
    except BuildError as failed:
        return None, [f"{p.location}: {p.message}" for p in failed.problems]
    return catalogs, [f"warning: {p.location}: {p.message}" for p in catalogs.warnings]


@pytest.fixture
def root(tmp_path):
    root = make_site(tmp_path / "project")
    for path in (root / "templates").rglob("*.html"):
        path.unlink()
    return root


def line_in(lang: str, entries: list[str], needle: str) -> int:
    return catalogue(lang, entries).splitlines().index(needle) + 1


def test_complete_catalogues_give_the_translators_text(root):
    catalogs, problems = load(root)
    assert problems == []
    assert catalogs.msgids == frozenset({"Hello", "Sources", ("%(num)s day", "%(num)s days")})
    assert dict(catalogs.paths) == {lang: f"content/{lang}/messages.po" for lang in ("it", "en", "ru")}
    ru = catalogs.translations["ru"]
    assert ru.gettext("Hello") == "Привет" and catalogs.translations["it"].gettext("Sources") == "Fonti"
    assert [ru.ngettext("%(num)s day", "%(num)s days", n) for n in (1, 3, 5, 21)] == [
        "%(num)s день", "%(num)s дня", "%(num)s дней", "%(num)s день"]
    with pytest.raises(TypeError):
        catalogs.translations["xx"] = None


def test_a_missing_catalogue_is_named(root):
    _, problems = load(root, {"en": None, "ru": None})
    assert problems == ["content/en/messages.po: the UI string catalogue is missing",
                        "content/ru/messages.po: the UI string catalogue is missing"]


def test_a_missing_string_is_named_with_its_template_line(root):
    _, problems = load(root, {"en": GOOD["en"][1:], "ru": GOOD["ru"][:1]})
    assert problems == [
        'content/en/messages.po: the UI string "Hello" (used in templates/page.html:1) is not in the catalogue',
        'content/ru/messages.po: the UI string "%(num)s day" (used in templates/page.html:3) is not in the catalogue',
        'content/ru/messages.po: the UI string "Sources" (used in templates/page.html:2) is not in the catalogue']


def test_untranslated_strings_are_named_on_their_line(root):
    en = ['msgid "Hello"\nmsgstr ""', GOOD["en"][1],
          'msgid "%(num)s day"\nmsgid_plural "%(num)s days"\nmsgstr[0] "%(num)s day"\nmsgstr[1] ""']
    ru = GOOD["ru"][:2] + ['msgid "%(num)s day"\nmsgid_plural "%(num)s days"\nmsgstr[0] "a"\nmsgstr[1] "b"']
    catalogs, problems = load(root, {"en": en, "ru": ru})
    # a translation in progress warns and leaves the language not ready; the build goes on
    assert problems == [
        f'warning: content/en/messages.po:{line_in("en", en, "msgid " + chr(34) + "Hello" + chr(34))}: the UI string "Hello" is not translated',
        f'warning: content/en/messages.po:{line_in("en", en, "msgid " + chr(34) + "%(num)s day" + chr(34))}: '
        'the UI string "%(num)s day" is not translated in all 2 plural forms',
        f'warning: content/ru/messages.po:{line_in("ru", ru, "msgid " + chr(34) + "%(num)s day" + chr(34))}: '
        'the UI string "%(num)s day" is not translated in all 3 plural forms']
    assert catalogs.untranslated == frozenset({"en", "ru"})


def test_an_untranslated_string_of_the_source_language_is_an_error(root):
    it = ['msgid "Hello"\nmsgstr ""'] + GOOD["it"][1:]
    catalogs, problems = load(root, {"it": it})
    assert catalogs is None
    assert problems == [f'content/it/messages.po:{line_in("it", it, "msgid " + chr(34) + "Hello" + chr(34))}: '
                        'the UI string "Hello" is not translated']


def test_a_catalogue_with_nothing_translated_warns_once(root):
    en = ['msgid "Hello"\nmsgstr ""', 'msgid "Sources"\nmsgstr ""',
          'msgid "%(num)s day"\nmsgid_plural "%(num)s days"\nmsgstr[0] ""\nmsgstr[1] ""']
    catalogs, problems = load(root, {"en": en})
    assert problems == ["warning: content/en/messages.po: none of the 3 UI strings is translated into en yet"]
    assert catalogs.untranslated == frozenset({"en"})


def test_a_fuzzy_translation_is_named_on_its_line(root):
    en = ['#, fuzzy\nmsgid "Hello"\nmsgstr "Hi"'] + GOOD["en"][1:]
    _, problems = load(root, {"en": en})
    assert problems == [f'content/en/messages.po:{line_in("en", en, "msgid " + chr(34) + "Hello" + chr(34))}: '
                        'the translation of "Hello" is marked fuzzy']


def test_a_translation_with_markup_is_a_warning_on_its_line(root):
    en = ['msgid "Hello"\nmsgstr "<b>Hello</b>"', 'msgid "Sources"\nmsgstr "Sources &amp; notes"', GOOD["en"][2]]
    catalogs, problems = load(root, {"en": en})
    assert catalogs is not None
    assert problems == [
        f'warning: content/en/messages.po:{line_in("en", en, "msgid " + chr(34) + "Hello" + chr(34))}: '
        'the translation of "Hello" contains markup (<b); readers would see it as text',
        f'warning: content/en/messages.po:{line_in("en", en, "msgid " + chr(34) + "Sources" + chr(34))}: '
        'the translation of "Sources" contains markup (&amp;); readers would see it as text']


def test_an_unreadable_catalogue_is_an_error_not_a_traceback(root):
    broken = catalogue("en", GOOD["en"]) + "\ngarbage line\n"
    _, problems = load(root, {"en": broken})
    assert len(problems) == 1          # its line is Babel's to give (issue 9, item 6)
    assert problems[0].startswith("content/en/messages.po") and "the catalogue cannot be read" in problems[0]


def test_every_catalogue_problem_is_reported_together(root):
    _, problems = load(root, {"it": None, "en": GOOD["en"][1:], "ru": ['#, fuzzy\nmsgid "Hello"\nmsgstr "x"'] + GOOD["ru"][1:]})
    assert [p.split(":")[0] for p in problems] == ["content/en/messages.po", "content/it/messages.po",
                                                   "content/ru/messages.po"]


def test_a_broken_catalogue_does_not_hide_the_next_languages_problems(root):
    _, problems = load(root, {"en": catalogue("en", GOOD["en"]) + "\ngarbage line\n", "ru": None})
    assert len(problems) == 2 and problems[1] == "content/ru/messages.po: the UI string catalogue is missing"


def test_the_number_of_plural_forms_comes_from_the_language_without_a_header(root):
    two_forms = ('msgid "%(num)s day"\nmsgid_plural "%(num)s days"\nmsgstr[0] "%(num)s день"\n'
                 'msgstr[1] "%(num)s дня"')
    ru = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n' + "".join(
        "\n" + e + "\n" for e in GOOD["ru"][:2] + [two_forms])
    _, problems = load(root, {"ru": ru})
    assert problems == [f'warning: content/ru/messages.po:{ru.splitlines().index(two_forms.splitlines()[0]) + 1}: '
                        'the UI string "%(num)s day" is not translated in all 3 plural forms']


def test_a_long_unit_name_babel_lacks_falls_back_to_the_short_one(site, monkeypatch):
    """Babel lacks some long forms (it then returns the CLDR id): the short form is used instead."""
    import patientsite.load.i18n as i18n

    calls = []

    def fake_format_unit(number, unit, length, locale):
        calls.append((number, unit, length, str(locale)))
        return f"{number} {unit}" if length == "long" else f"{number} {number}d"

    monkeypatch.setattr(i18n, "format_unit", fake_format_unit)
    config, facts = site
    text = format_amount(Amount(D(7), D(30), "day"), config.language("it"), facts.words["it"])
    assert text == f"7–30{NB}30d"           # the range replaces the first number only
    assert calls == [(D(30), "duration-day", "long", "it_IT"), (D(30), "duration-day", "short", "it_IT")]
    calls.clear()
    assert format_amount(Amount(D(2), None, "mm"), config.language("ru"), facts.words["ru"]) == f"2{NB}2d"
    assert calls == [(D(2), "length-millimeter", "short", "ru_RU")]


@pytest.mark.parametrize("bad", ['msgstr "Sources', 'msgstr Sources', 'msgstrr "Sources"', 'garbage line'])
def test_a_malformed_catalogue_line_is_named(root, bad):
    text = catalogue("en", GOOD["en"]).replace('msgstr "Sources"', bad)
    _, problems = load(root, {"en": text})
    line = text.splitlines().index(bad) + 1
    assert any(p.startswith(f"content/en/messages.po:{line}: the catalogue cannot be read") for p in problems)
    assert all(p.startswith((f"content/en/messages.po:{line - 1}: ", f"content/en/messages.po:{line}: "))
               for p in problems), problems


# -- the catalogue's bytes: read once, digested, and checked line by line ----------------------------------
def test_each_catalogues_digest_is_the_sha256_of_its_bytes(root):
    catalogs, problems = load(root, {"ru": None})
    assert catalogs is None
    catalogs, problems = load(root)
    assert problems == []
    assert dict(catalogs.digests) == {
        lang: hashlib.sha256((root / "content" / lang / "messages.po").read_bytes()).hexdigest()
        for lang in ("it", "en", "ru")}
    with pytest.raises(TypeError):
        catalogs.digests["xx"] = ""


@pytest.mark.parametrize("bom, newline", [(b"", b"\n"), (b"\xef\xbb\xbf", b"\n"), (b"", b"\r\n"), (b"\xef\xbb\xbf", b"\r\n")])
def test_a_byte_order_mark_and_windows_line_ends_simply_work(root, bom, newline):
    load(root)
    data = bom + catalogue("ru", GOOD["ru"]).encode("utf-8").replace(b"\n", newline)
    (root / "content" / "ru" / "messages.po").write_bytes(data)
    catalogs = load_catalogs(load_config(root), root / "templates")
    assert catalogs.warnings == ()
    assert catalogs.translations["ru"].gettext("Sources") == "Источники"
    assert catalogs.translations["ru"].ngettext("%(num)s day", "%(num)s days", 5) == "%(num)s дней"
    assert catalogs.digests["ru"] == hashlib.sha256(data).hexdigest()     # the bytes as read, BOM and all


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_every_malformed_line_is_named_with_its_line_and_what_to_do(root, newline):
    en = catalogue("en", GOOD["en"])
    bad = (en.replace('msgstr "Hello"', 'msgstr "Hello')
           .replace('msgstr "Sources"', 'msgstr "Sources" x')
           .replace('msgstr[1] "%(num)s days"', 'msgstr[1] "%(num)s \\q days"'))
    _, problems = load(root, {"en": bad.replace("\n", newline)})
    lines = bad.splitlines()
    at = [lines.index('msgstr "Hello') + 1, lines.index('msgstr "Sources" x') + 1,
          lines.index('msgstr[1] "%(num)s \\q days"') + 1]
    assert problems == [
        f"content/en/messages.po:{at[0]}: the catalogue cannot be read: the quoted text is not closed",
        f"content/en/messages.po:{at[1]}: the catalogue cannot be read: unexpected text after the closing quote: x",
        f"content/en/messages.po:{at[2]}: the catalogue cannot be read: unknown escape \\q in the quoted text"]


def test_a_malformed_catalogue_names_the_fix_in_its_hint(root):
    load(root)
    (root / "content" / "en" / "messages.po").write_text(catalogue("en", GOOD["en"]).replace('msgstr "Hello"', 'msgstr Hello'))
    with pytest.raises(BuildError) as failed:
        load_catalogs(load_config(root), root / "templates")
    [problem] = failed.value.problems
    assert (problem.path, problem.line) == ("content/en/messages.po", catalogue("en", GOOD["en"]).splitlines().index(
        'msgstr "Hello"') + 1)
    assert problem.hint == 'Put the text in double quotes on one line: "like this", with \\" for a quote inside it.'


def test_text_that_is_not_utf8_is_named_on_its_line(root):
    load(root)
    text = catalogue("it", GOOD["it"]).replace("Ciao", "Caff\u00e8")
    (root / "content" / "it" / "messages.po").write_bytes(text.encode("latin-1"))
    with pytest.raises(BuildError) as failed:
        load_catalogs(load_config(root), root / "templates")
    assert [f"{p.location}: {p.message}" for p in failed.value.problems] == [
        f"content/it/messages.po:{text.splitlines().index('msgstr ' + chr(34) + 'Caff' + chr(232) + chr(34)) + 1}: "
        "the catalogue cannot be read: byte 0xe8 is not UTF-8 text (the file was probably saved as Latin-1 or "
        "Windows-1252)"]


@pytest.mark.parametrize("babel_line, line", [(0, 1), (6, 7), (None, 1)])
def test_an_error_of_babels_reader_is_named_on_the_line_counted_from_1(root, monkeypatch, babel_line, line):
    """Babel counts lines from 0 (and may give none); the error names the line as an editor shows it."""
    import patientsite.load.i18n as i18n

    def refuse(stream, locale, abort_invalid):
        assert abort_invalid is True and str(locale) == "en_GB"
        assert stream.read() == catalogue("en", GOOD["en"]).encode("utf-8")
        raise PoFileError("bad entry", None, "the line", babel_line)

    monkeypatch.setattr(i18n, "read_po", refuse)
    with pytest.raises(CatalogError) as failed:
        i18n.parse_catalog(("\ufeff" + catalogue("en", GOOD["en"])).replace("\n", "\r\n").encode("utf-8"),
                           load_config(root).language("en"))
    assert failed.value.problems == [(line, str(PoFileError("bad entry", None, "the line", babel_line)),
                                      "Check the msgid/msgstr lines.")]


def test_reading_a_catalogue_file_reads_exactly_its_bytes(root):
    """`status` and `i18n update` read a catalogue file as the build reads its bytes."""
    load(root)
    language = load_config(root).language("ru")
    path = root / "content" / "ru" / "messages.po"
    catalog = read_catalog(path, language)
    assert [(m.id, m.string, m.lineno) for m in catalog if m.id] == [
        (m.id, m.string, m.lineno) for m in parse_catalog(path.read_bytes(), language) if m.id]
    assert catalog.get("Sources").string == "Источники" and catalog.num_plurals == 3
    path.write_text(catalogue("ru", GOOD["ru"]).replace('msgstr "Привет"', 'msgstr "Привет'), encoding="utf-8")
    with pytest.raises(CatalogError) as failed:
        read_catalog(path, language)
    assert failed.value.problems == [(catalogue("ru", GOOD["ru"]).splitlines().index('msgstr "Привет"') + 1,
                                      "the quoted text is not closed", 'Put the text in double quotes on one line: '
                                      '"like this", with \\" for a quote inside it.')]
