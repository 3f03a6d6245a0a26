"""Bad input, kind: accepted without a word. Text where a boolean is meant, a list or mapping where text is
meant, control characters in slugs and keys, unknown keys in every file kind, pages saved under the wrong
name, and the build's own placeholders in content text. Each: exit 1, the exact `path:line`, no traceback,
the previous site byte-identical (or, for the old placeholder text, shown literally)."""

from __future__ import annotations

import pytest
from badinput import Previous, line_of, run, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefiles import FACTS_YAML, SITE_YAML, WORDS, make_site, page_text

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
TREATMENT = page_text("it", "treatment.md")


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    return Previous(tmp_path_factory.mktemp("types"))


def _replace_line(text: str, anchor: str, new_value: str) -> tuple[str, int]:
    """`text` with the value of the line holding `anchor` ("key: value") replaced; (text, that line)."""
    line = line_of(text, anchor)
    lines = text.split("\n")
    key = lines[line - 1].split(":", 1)[0]
    lines[line - 1] = f"{key}: {new_value}"
    return "\n".join(lines), line


# -- booleans: a real true/false, never the text "false" -----------------------------------------
BOOLEAN_KEYS = [   # (file, its text, the line's anchor, the key, where the message says it is)
    ("content/facts.yaml", FACTS_YAML, "critical: true", "critical", 'fact "contraindications"'),
    ("site.yaml", SITE_YAML, "source: true", "source", "a language"),
    ("site.yaml", SITE_YAML.replace("  email: info@clinic.example\n", "  email: info@clinic.example\n  example: true\n"),
     "example: true", "example", '"clinic"'),
]
NOT_BOOLEANS = st.one_of(
    st.sampled_from(['"false"', '"true"', "'false'", '"no"', "0", "1", "[true]", "{a: true}", "2026-01-01", '"True "']),
    st.sampled_from(["yes", "no", "on", "off", "Yes", "NO", "On", "OFF"]),   # YAML 1.1's booleans: text here
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters="\"\\"), min_size=1,
            max_size=12).map(lambda t: f'"{t}"'))


@SETTINGS
@given(place=st.sampled_from(BOOLEAN_KEYS), value=NOT_BOOLEANS)
def test_text_where_a_boolean_is_meant_names_its_line(previous, place, value):
    rel, text, anchor, key, where = place
    broken, line = _replace_line(text, anchor, value)
    err = previous.refused({rel: broken})
    assert f'error: {rel}:{line}: "{key}" in {where} must be true or false, not ' in err
    assert f"Write {key}: true or {key}: false, without quotes." in err


def test_critical_false_as_text_is_not_a_weaker_gate(previous):
    """The case from the issue: `critical: "false"` used to be true for the build and false for status."""
    broken, line = _replace_line(FACTS_YAML, "critical: true", '"false"')
    err = previous.refused({"content/facts.yaml": broken})
    assert f'error: content/facts.yaml:{line}: "critical" in fact "contraindications" must be true or false, not text ("false")' in err


# -- text where text is meant ---------------------------------------------------------------------
TEXT_KEYS = [   # (file, its text, anchor, message start)
    ("site.yaml", SITE_YAML, "base_url:", '"base_url" in site.yaml must be a line of text'),
    ("site.yaml", SITE_YAML, "  name: Test Clinic", '"name" in "clinic" must be a line of text'),
    ("site.yaml", SITE_YAML, "phone:", '"phone" in "clinic" must be a line of text'),
    ("site.yaml", SITE_YAML, "email:", '"email" in "clinic" must be a line of text'),
    ("site.yaml", SITE_YAML, "  name: Tess Test", '"name" in "reviewer" must be a line of text'),
    ("site.yaml", SITE_YAML, "role:", '"role" in "reviewer" must be a line of text'),
    ("site.yaml", SITE_YAML, "name: English", '"name" in a language must be a line of text'),
    ("site.yaml", SITE_YAML, "locale: ru_RU", '"locale" in a language must be a line of text'),
    ("site.yaml", SITE_YAML, "prefix: en", '"prefix" in a language must be a line of text'),
    ("content/facts.yaml", FACTS_YAML, "says: 10-20 cubes", '"says" in correction "cubes" must be a line of text'),
    ("content/facts.yaml", FACTS_YAML, "carried_as:", '"carried_as" in correction "cubes" must be a line of text'),
    ("content/it/words.yaml", WORDS["it"], "rare: raro", '"rare" in terms must be a line of text'),
    ("content/ru/words.yaml", WORDS["ru"], "label: Противопоказания",
     '"label" in the words for "contraindications" must be a line of text'),
    ("content/en/words.yaml", WORDS["en"], "interval: interval", 'the words for "interval" must be its label'),
    ("content/it/treatment.md", TREATMENT, "title:", "title must be a line of text"),
    ("content/it/treatment.md", TREATMENT, "description:", "description must be a line of text"),
]
NOT_TEXT = st.sampled_from(["[a, b]", "[]", "{a: b}", "{}", "true", "false", "2026-01-01", "- a"])


@SETTINGS
@given(place=st.sampled_from(TEXT_KEYS), value=NOT_TEXT)
def test_a_list_or_mapping_where_text_is_meant_names_its_line(previous, place, value):
    rel, text, anchor, message = place
    broken, line = _replace_line(text, anchor, value)
    if value == "- a":   # a block list under the key, on the next line
        key = broken.split("\n")[line - 1].split(":", 1)[0]
        indent = " " * (len(key) - len(key.lstrip()) + 2)
        broken = broken.replace(f"{key}: - a", f"{key}:\n{indent}- a\n{indent}- b", 1)
    err = previous.refused({rel: broken})
    assert f"error: {rel}:{line}: {message}" in err, err


@pytest.mark.parametrize("value", ["123", "39061234567", "3.5"])
def test_a_phone_number_written_as_a_number_must_be_quoted(previous, value):
    broken, line = _replace_line(SITE_YAML, "phone:", value)
    err = previous.refused({"site.yaml": broken})
    assert f'error: site.yaml:{line}: "phone" in "clinic" must be a line of text, not a number' in err
    assert "in quotes" in err


# -- control characters in slugs, keys and codes --------------------------------------------------
ESCAPES = st.sampled_from(["\\n", "\\t", "\\r", "\\0", "\\x01", "\\x7f", "\\u2028", "\\e", "\\v"])
WORD = st.from_regex(r"[a-z]{1,6}(-[a-z]{1,6}){0,2}", fullmatch=True)


@SETTINGS
@given(word=WORD, escape=ESCAPES, where=st.sampled_from(["start", "middle", "end"]),
       field=st.sampled_from(["slug", "key"]))
def test_a_control_character_in_a_slug_or_key_names_its_line(previous, word, escape, where, field):
    value = {"start": escape + word, "middle": word[:1] + escape + word[1:], "end": word + escape}[where]
    anchor = f"{field}: " + ("il-trattamento" if field == "slug" else "treatment")
    broken, line = _replace_line(TREATMENT, anchor, f'"{value}"')
    err = previous.refused({"content/it/treatment.md": broken})
    message = next(m for m in err.split("error: ") if m.startswith(f"content/it/treatment.md:{line}: {field} \""))
    assert "may only use a-z" in message.split("\n")[0]   # a newline in the value does not break the message


@pytest.mark.parametrize("value", ['"it\\n"', '"i\\tt"', '"it "'])
def test_a_control_character_in_a_language_code_names_its_line(previous, value):
    broken, line = _replace_line(SITE_YAML, "code: it", value)
    err = previous.refused({"site.yaml": broken})
    assert f"error: site.yaml:{line}: language code " in err


# -- unknown keys in every kind of file ----------------------------------------------------------
UNKNOWN_KEYS = [   # (file, text, old, new, the anchor of the reported line, message)
    ("content/it/words.yaml", WORDS["it"], "    label: Controindicazioni\n",
     "    label: Controindicazioni\n    lable: x\n", "lable: x", 'unknown key "lable" in the words for "contraindications"'),
    ("content/en/words.yaml", WORDS["en"], "{label: Allergy,", "{label: Allergy, colour: red,",
     "allergy: {", 'unknown key "colour" in item "allergy" of "contraindications"'),
    ("content/ru/words.yaml", WORDS["ru"], "other: сеанса}", "other: сеанса, plural: сеансы}",
     "session: {", 'unknown key "plural" in the unit "session"'),
    ("content/facts.yaml", FACTS_YAML, "        frequency: rare\n",
     "        frequency: rare\n        dose: {value: 1, unit: ml, units: ml}\n", "dose: {",
     'unknown key "units" in "contraindications: gallstones.dose"'),
    ("content/en/translations.lock", "page: {}\npages: {}\n", "", "", "pages:", 'unknown key "pages" in the lock file'),
    ("content/en/translations.lock",
     "page:\n  treatment:\n    hash: a\n    source: b\n    translation: c\n    marked: 2026-11-20\n    note: d\n", "", "",
     "note: d", 'unknown key "note" in the entry "treatment"'),
]


@pytest.mark.parametrize("case", UNKNOWN_KEYS, ids=lambda c: c[0] + ":" + c[5][:30])
def test_an_unknown_key_names_its_line(previous, case):
    rel, text, old, new, anchor, message = case
    broken = text.replace(old, new, 1) if old else text
    assert broken != text or not old
    err = previous.refused({rel: broken})
    assert f"error: {rel}:{line_of(broken, anchor)}: {message}" in err, err


@pytest.mark.parametrize("lang", ["it", "en", "ru"])
def test_an_unknown_key_in_claims_names_its_line(tmp_path, lang):
    root = make_site(tmp_path / "p")
    for code in ("it", "en", "ru"):
        (root / f"content/{code}/claims.yaml").write_text("forbidden:\n  x:\n    why: y\n    phrases: [z]\n")
    (root / f"content/{lang}/claims.yaml").write_text("forbidden:\n  x:\n    why: y\n    phrases: [z]\n    phrase: [w]\n")
    code, _, err = run(root, "check", "--out", str(tmp_path / "out"))
    assert code == 1 and "Traceback" not in err
    assert f'content/{lang}/claims.yaml:5: unknown key "phrase" in the rule "x"' in err


# -- pages saved under the wrong name ------------------------------------------------------------
STEMS = st.sampled_from(["faq", "FAQ", "Faq", "treatment", "Notes", "index", "side-effects"])
EXTENSIONS = st.sampled_from([".MD", ".Md", ".mD", ".markdown", ".MARKDOWN", ".txt", ".TXT", ".mdown", ".md.bak",
                              ".md~", ".html", "", ".yaml"])


@SETTINGS
@given(lang=st.sampled_from(["it", "en", "ru"]), stem=STEMS, extension=EXTENSIONS)
def test_a_file_a_language_folder_does_not_read_is_named(previous, lang, stem, extension):
    name = stem + extension
    if name.endswith(".md") and name == name.lower():
        return   # a page
    rel = f"content/{lang}/{name}"
    err = previous.refused({rel: page_text(lang, "treatment.md")})
    assert f"error: {rel}: this file is not read" in err


@pytest.mark.parametrize("name", ["Words.yaml", "WORDS.YAML", "Messages.po", "claims.yml", "translation.lock"])
def test_a_misnamed_language_file_is_named(previous, name):
    err = previous.refused({f"content/en/{name}": "x: 1\n"})
    assert f"error: content/en/{name}: this file is not read" in err


def test_a_folder_in_a_language_folder_is_named(previous):
    err = previous.refused({"content/ru/images/photo.md": page_text("ru", "treatment.md")})
    assert "error: content/ru/images: a folder in a language folder is not read" in err


# -- the build's placeholders cannot be forged from content --------------------------------------
OLD_PLACEHOLDERS = st.tuples(st.sampled_from(["FACTV{}X", "FACTBLOCK{}X", "<p>FACTBLOCK{}X</p>"]), st.integers(0, 30))


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(placeholder=OLD_PLACEHOLDERS, alone=st.booleans())
def test_the_old_placeholder_text_in_a_page_is_shown_as_it_is(tmp_path_factory, placeholder, alone):
    text = placeholder[0].format(placeholder[1])
    folder = tmp_path_factory.mktemp("placeholder")
    body = f"\n\n{text}\n\n" if alone else f"A dose of {text} per session.\n"
    root = make_site(folder / "p", {"content/en/treatment.md": page_text("en", "treatment.md") + body})
    code, _, err = run(root, "build", "--out", str(folder / "out"), "--no-cache")
    assert code == 0, err
    html = (folder / "out/en/the-treatment/index.html").read_text(encoding="utf-8")
    shown = text.replace("<", "&lt;").replace(">", "&gt;") if text.startswith("<") else text
    assert shown in html or text in html


@pytest.mark.parametrize("char", ["\ue000", "\ue001", "\uf8ff"])
@pytest.mark.parametrize("rel", ["content/en/treatment.md", "content/ru/words.yaml"])
def test_the_new_placeholder_characters_are_refused_at_their_line(previous, rel, char):
    text = page_text("en", "treatment.md") if rel.endswith(".md") else WORDS["ru"]
    anchor = "A course" if rel.endswith(".md") else "label: Аллергия"
    line = line_of(text, anchor)
    column = text.split("\n")[line - 1].index(anchor) + 1
    broken = text.replace(anchor, f"{char}V0{char}{anchor}", 1)
    err = previous.refused({rel: broken})
    assert f"error: {rel}:{line}:{column}: the character U+{ord(char):04X} is not allowed" in err


# -- no problem is ever reported at "line 0" -----------------------------------------------------
@given(line=st.integers(max_value=0), column=st.one_of(st.none(), st.integers()))
def test_a_problem_at_line_0_or_before_has_no_line(line, column):
    from patientsite.errors import Problem

    problem = Problem("content/en/messages.po", line, column, "broken")
    assert problem.line is None and problem.column is None
    assert str(problem).startswith("content/en/messages.po: broken")


# -- any value of any type under any key: a build or a message, never a traceback ---------------
ANY_VALUE = st.sampled_from(["", "null", "~", "[]", "{}", "[a]", "[[a]]", "{a: b}", "{a: {b: c}}", "1", "-1", "0",
                             "1.5", "1e3", ".inf", ".nan", "true", "false", "2026-01-01", "2026-01-01 10:00:00",
                             "'x'", '"x"', "x", "[1, 2]", "[2, 1]", "[1, a]", "!!binary aGk=", "!!str 1",
                             "!!set {a}", "!!omap [a: 1]", "99999999999999999999999"])
VALUE_FILES = sorted(rel for rel in __import__("sitefiles").base_files() if rel.endswith((".yaml", ".md")))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_value_under_any_key_builds_or_fails_with_a_message(previous, data):
    from sitefiles import base_files

    rel = data.draw(st.sampled_from(VALUE_FILES), label="file")
    text = base_files()[rel]
    lines = text.split("\n")
    end = lines.index("---", 1) if rel.endswith(".md") else len(lines)
    keyed = [i for i, line in enumerate(lines[:end]) if ":" in line and not line.startswith("---")]
    for _ in range(data.draw(st.integers(1, 2), label="changes")):
        index = data.draw(st.sampled_from(keyed), label="line")
        key = lines[index].split(":", 1)[0]
        lines[index] = f"{key}: {data.draw(ANY_VALUE, label='value')}"
    root = previous.broken({rel: "\n".join(lines)})
    code, _, err = run(root, "build", "--out", str(previous.out), "--no-cache")
    __import__("shutil").rmtree(root, ignore_errors=True)
    assert "Traceback" not in err
    if code == 0:
        run(previous.good, "build", "--out", str(previous.out), "--no-cache")
    else:
        assert code == 1 and err.rstrip().endswith("Nothing was published: the previous site is unchanged.")
        assert snapshot(previous.out) == previous.before
