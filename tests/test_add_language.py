"""`i18n add-language` and `remove-language`: a language added through the command, every file of it
marked untranslated; removed again, exactly the files it made, leaving a site that builds. Refusals
(bad code, unknown locale, a language already there, ...) name `path:line`, write nothing, never a
traceback; each kind over many generated cases."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from badinput import run, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefiles import REPO, SITE_YAML, make_site

from patientsite.load.config import load_config
from patientsite.load.translation import MISSING, UNTRACKED, assess_translations, read_translation_sources

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
LANGUAGES_LINE = SITE_YAML.split("\n").index("languages:") + 1


def tree(root: Path) -> dict:
    """The project's files (not the build's cache and report)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.relative_to(root).parts[0] not in (".cache", "reports")}


def add(root: Path, *args: str) -> tuple[int, str, str]:
    return run(root, "i18n", "add-language", *args)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return make_site(tmp_path_factory.mktemp("small") / "site")


def test_german_and_french_added_through_the_command_are_untranslated_and_build(tmp_path):
    root = make_site(tmp_path / "site")
    assert run(root, "build", "--out", str(tmp_path / "before"))[0] == 0
    before = tree(root)
    for code, locale, name in (("de", "de_DE", "Deutsch"), ("fr", "fr_FR", "Français")):
        code_, out, err = add(root, code, "--locale", locale, "--name", name)
        assert code_ == 0, err
        assert f"Added {code} ({name})" in out
    text = (root / "site.yaml").read_text(encoding="utf-8")
    assert text == SITE_YAML.replace("menu:", "  - code: de\n    locale: de_DE\n    name: Deutsch\n    prefix: de\n"
                                     "  - code: fr\n    locale: fr_FR\n    name: Français\n    prefix: fr\nmenu:")
    config = load_config(root)
    assert [lang.code for lang in config.languages] == ["it", "en", "ru", "de", "fr"]
    for code in ("de", "fr"):
        folder = root / "content" / code
        assert sorted(p.name for p in folder.iterdir()) == [".add-language.yaml", "claims.yaml", "contraindications.md",
                                                            "index.md", "messages.po", "treatment.md", "words.yaml"]
        for page in ("index.md", "treatment.md", "contraindications.md"):
            source = (root / "content/it" / page).read_text(encoding="utf-8")
            skeleton = (folder / page).read_text(encoding="utf-8")
            assert skeleton == source.replace("reviewed: 2026-11-20\n", "reviewed: 2026-11-20\nuntranslated: true"
                                              "   # delete this line once the page is translated\n")
        assert (folder / "words.yaml").read_text(encoding="utf-8").startswith("# UNTRANSLATED: a copy of content/it")
        assert 'msgstr ""' in (folder / "messages.po").read_text(encoding="utf-8")
    status = assess_translations(read_translation_sources(config, root / "templates"))
    for code in ("de", "fr"):
        state = status.language(code)
        assert {u.status for u in state.units if u.source.kind == "page"} == {MISSING}
        assert {u.status for u in state.units if u.source.kind == "ui"} == {MISSING}
        assert {u.status for u in state.units if u.source.kind == "words"} == {UNTRACKED}
        assert all("marked untranslated: true" in u.detail for u in state.units if u.source.kind == "page")
    # nothing passes as translated: marking "all" current records no page and no UI string
    code_, out, err = run(root, "status", "--mark-current", "de", "all")
    assert code_ == 0, err
    assert "skipped, not translated yet: page contraindications, page home, page treatment" in out
    assert "marked current" not in out          # the words copied from the Italian are not a translation
    assert "words course.sessions" in out.split("skipped, not translated yet:")[1]
    code_, out, err = run(root, "build", "--out", str(tmp_path / "out"))
    assert code_ == 0, err
    strings = (root / "content/it/messages.po").read_text(encoding="utf-8").count('\nmsgid "') - 1
    assert f"warning: content/de/messages.po: none of the {strings} UI strings is translated into de yet" in err
    # both removed again: the site is as it was, and it builds as before
    for code in ("fr", "de"):
        assert run(root, "i18n", "remove-language", code)[0] == 0
    assert tree(root) == before
    assert run(root, "build", "--out", str(tmp_path / "after"))[0] == 0
    assert snapshot(tmp_path / "after") == snapshot(tmp_path / "before")


def test_the_real_site_gets_german_with_its_clinic_details_to_translate_and_loses_it_again(tmp_path):
    root = tmp_path / "real"
    root.mkdir()
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    original = (root / "site.yaml").read_text(encoding="utf-8")
    code, _, err = add(root, "de", "--locale", "de_DE", "--name", "Deutsch")
    assert code == 0, err
    text = (root / "site.yaml").read_text(encoding="utf-8")
    assert "  # de: copied from it by add-language; translate these details\n  de:\n    name: Clinica Esempio\n" in text
    assert "  de: {title: Dott.ssa, role: medico della clinica}\n" in text
    matcher = difflib.SequenceMatcher(None, original.split("\n"), text.split("\n"), autojunk=False)
    assert {op for op, *_ in matcher.get_opcodes()} == {"equal", "insert"}     # every line kept, in its place
    config = load_config(root)
    assert config.clinic_in("de").name == "Clinica Esempio"
    assert run(root, "build", "--out", str(tmp_path / "out"))[0] == 0
    code, out, err = run(root, "i18n", "remove-language", "de")
    assert code == 0, err
    assert (root / "site.yaml").read_text(encoding="utf-8") == original
    assert not (root / "content/de").exists()
    assert run(root, "build", "--out", str(tmp_path / "out"))[0] == 0


@pytest.mark.parametrize("code, locale, forms", [
    ("pl", "pl_PL", "{one: seduta, other: sedute, few: sedute, many: sedute}"),
    ("ar", "ar_EG", "{one: seduta, other: sedute, few: sedute, many: sedute, two: sedute, zero: sedute}"),
    ("de", "de_DE", "{one: seduta, other: sedute}")])
def test_the_counted_nouns_get_the_plural_forms_the_language_needs(tmp_path, code, locale, forms):
    root = make_site(tmp_path / "site")
    assert add(root, code, "--locale", locale, "--name", "X")[0] == 0
    words = (root / f"content/{code}/words.yaml").read_text(encoding="utf-8")
    assert f"  session: {forms}\n" in words
    assert run(root, "build", "--out", str(tmp_path / "out"))[0] == 0


def test_remove_language_keeps_what_the_user_made_and_refuses_a_changed_file(tmp_path):
    root = make_site(tmp_path / "site")
    before = (root / "site.yaml").read_bytes()
    assert add(root, "de", "--locale", "de_DE", "--name", "Deutsch")[0] == 0
    (root / "content/de/notes.md").write_text("mine", encoding="utf-8")
    page = root / "content/de/treatment.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Il trattamento", "Die Behandlung"), encoding="utf-8")
    state = tree(root)
    code, out, err = run(root, "i18n", "remove-language", "de")
    assert code == 1 and "Traceback" not in err
    assert ("error: content/de/treatment.md:1: changed since add-language made it: it may hold a translation\n"
            "    Move it out of content/de/ to keep it, or run: python build.py i18n remove-language de --force "
            "(deletes it too).") in err
    assert tree(root) == state
    code, out, err = run(root, "i18n", "remove-language", "de", "--force")
    assert code == 0, err
    assert "kept content/de/notes.md (not made by add-language" in out
    assert sorted(p.name for p in (root / "content/de").iterdir()) == ["notes.md"]
    assert (root / "site.yaml").read_bytes() == before
    assert run(root, "build", "--out", str(tmp_path / "out"))[0] == 0


# -- refusals: path:line, nothing written, no traceback ------------------------------------------
def refused(root: Path, *args: str) -> str:
    before = tree(root)
    code, _, err = run(root, "i18n", *args)
    assert code == 1, err
    assert "Traceback" not in err
    assert tree(root) == before
    return err


@SETTINGS
@given(code=st.one_of(st.from_regex(r"[a-z]{4,8}", fullmatch=True), st.from_regex(r"[A-Z][a-z]", fullmatch=True),
                      st.from_regex(r"[a-z][0-9_.-]", fullmatch=True), st.just("d")))
def test_a_bad_code_is_refused(small, code):
    err = refused(small, "add-language", code, "--locale", "de_DE", "--name", "Deutsch", "--prefix", "x")
    assert (f'error: site.yaml:{LANGUAGES_LINE}: the language code "{code}" is not a two- or three-letter code\n'
            "    Give the ISO 639 code in lower case, e.g. de or fr.") in err


@SETTINGS
@given(locale=st.one_of(st.from_regex(r"[a-z]{2}_[A-Z]{2}", fullmatch=True).filter(lambda s: s[:2] in ("qq", "xz", "zz")),
                        st.from_regex(r"[a-z]{5,9}", fullmatch=True), st.just("")))
def test_an_unknown_locale_is_refused(small, locale):
    err = refused(small, "add-language", "de", "--locale", locale, "--name", "Deutsch")
    assert (f'error: site.yaml:{LANGUAGES_LINE}: unknown Babel locale "{locale}" for the language "de"\n'
            "    Give a locale Babel knows, e.g. --locale de_DE or --locale fr_FR.") in err


@SETTINGS
@given(locale=st.sampled_from(["fr_FR", "en_GB", "ru_RU", "es_ES", "it_IT"]))
def test_a_locale_of_another_language_is_refused(small, locale):
    err = refused(small, "add-language", "de", "--locale", locale, "--name", "Deutsch")
    assert f'error: site.yaml:{LANGUAGES_LINE}: the locale "{locale}" is for the language "{locale[:2]}", not "de"' in err


@pytest.mark.parametrize("code, name", [("it", "Italiano"), ("en", "English"), ("ru", "Русский")])
def test_a_language_already_there_is_refused_at_its_line(small, code, name):
    err = refused(small, "add-language", code, "--locale", "de_DE", "--name", "X", "--prefix", "x")
    line = SITE_YAML.split("\n").index(f"  - code: {code}") + 1
    assert f'error: site.yaml:{line}: the language "{code}" ({name}) is already in the site' in err


@SETTINGS
@given(name=st.one_of(st.just(""), st.just("   "), st.just('-"'), st.text(min_size=1, max_size=5).map(lambda s: s + '"'),
                      st.text(min_size=0, max_size=4).map(lambda s: "De\n" + s), st.just("a\tb")))
def test_a_bad_language_name_is_refused(small, name):
    err = refused(small, "add-language", "de", "--locale", "de_DE", f"--name={name}")   # a name may start with "-"
    assert f"error: site.yaml:{LANGUAGES_LINE}: the language name " in err
    assert "is empty or holds a control character or a quote" in err


@SETTINGS
@given(prefix=st.sampled_from(["it", "en", "ru"]))
def test_a_prefix_in_use_is_refused(small, prefix):
    err = refused(small, "add-language", "de", "--locale", "de_DE", "--name", "Deutsch", "--prefix", prefix)
    assert f'error: site.yaml:{LANGUAGES_LINE}: the URL prefix "{prefix}" is already used by another language' in err


def test_a_folder_with_files_already_there_is_refused(tmp_path):
    root = make_site(tmp_path / "site")
    (root / "content/de").mkdir()
    (root / "content/de/index.md").write_text("hello", encoding="utf-8")
    err = refused(root, "add-language", "de", "--locale", "de_DE", "--name", "Deutsch")
    assert "error: content/de: the folder already holds files: index.md" in err


@SETTINGS
@given(code=st.from_regex(r"[a-z]{2,3}", fullmatch=True).filter(lambda c: c not in ("it", "en", "ru")))
def test_removing_a_language_the_site_lacks_is_refused(small, code):
    err = refused(small, "remove-language", code)
    assert f'error: site.yaml:{LANGUAGES_LINE}: "{code}" is not a language of the site\n' in err


def test_the_source_language_and_a_hand_made_language_are_not_removed(small):
    err = refused(small, "remove-language", "it")
    assert 'error: site.yaml:14: "it" is the source language: every translation is made from it' in err
    err = refused(small, "remove-language", "en")
    assert ('error: site.yaml:19: "en" was not added by add-language (content/en/.add-language.yaml is missing), '
            "so remove-language does not know which files are its own") in err


@pytest.mark.parametrize("damage", ["files: 3\n", "files:\n  ../../site.yaml: abc\n", "[unclosed\n"])
def test_a_damaged_record_is_refused(tmp_path, damage):
    root = make_site(tmp_path / "site")
    assert add(root, "de", "--locale", "de_DE", "--name", "Deutsch")[0] == 0
    (root / "content/de/.add-language.yaml").write_text(damage, encoding="utf-8")
    err = refused(root, "remove-language", "de")
    assert "content/de/.add-language.yaml:" in err


def test_the_command_line_needs_a_code_a_locale_and_a_name(small):
    err = refused(small, "add-language", "de", "--locale", "de_DE")
    assert "i18n add-language needs a language code, --locale and --name" in err
