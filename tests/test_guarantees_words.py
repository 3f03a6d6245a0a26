"""Guarantees of words.py: a language's words.yaml is read whole (every unit form, term, label and
item text, with the line of each), and every gap or stray entry is an error on its own line: a
missing or unknown fact, item or field, a counted noun without all its plural forms, a missing term."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitefiles import WORDS, make_site

from patientsite.errors import Problems
from patientsite.load.config import load_config
from patientsite.load.facts import load_facts
from patientsite.load.words import plural_categories, read_words
from patientsite.load.yamlload import parse_yaml


@pytest.fixture(autouse=True)
def no_cached_answers():
    """Each test works the plural categories out itself (so a mutation run sees which tests use them)."""
    plural_categories.cache_clear()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("words") / "project")
    config = load_config(root)
    return config, load_facts(config)


def read(site, lang: str, text: str):
    config, facts = site
    path = f"content/{lang}/words.yaml"
    data, parse_problems = parse_yaml(text, path)
    assert parse_problems == []
    problems = Problems("reading")
    words = read_words(data, path, facts.facts, facts.documents, config.language(lang), config, problems)
    return words, [f"{p.location}: {p.message}" for p in problems.errors]


def line(text: str, needle: str, after: str = "") -> int:
    """The 1-based line of the first line holding `needle` (after the first line holding `after`)."""
    lines = text.splitlines()
    start = next(i for i, t in enumerate(lines) if after in t) if after else 0
    return next(i for i, t in enumerate(lines) if i >= start and needle in t) + 1


# -- read whole ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", sorted(WORDS))
def test_every_word_is_read_with_its_line(site, lang):
    text = WORDS[lang]
    words, errors = read(site, lang, text)
    assert errors == []
    assert words.path == f"content/{lang}/words.yaml"
    expected_units = {"it": {"one": "seduta", "other": "sedute"}, "en": {"one": "session", "other": "sessions"},
                      "ru": {"one": "сеанс", "few": "сеанса", "many": "сеансов", "other": "сеанса"}}[lang]
    assert {u: dict(f) for u, f in words.units.items()} == {"session": expected_units}
    after_terms = text.split("terms:\n")[1].splitlines()
    block = after_terms[:next((i for i, t in enumerate(after_terms) if not t.startswith(" ")), len(after_terms))]
    term_ids = [t.split(":")[0].strip() for t in block if t.startswith("  ") and not t.startswith("   ")]
    assert set(words.terms) == set(term_ids) >= {"rare", "reviewer_role"}
    assert words.terms["rare"] == {"it": "raro", "en": "rare", "ru": "редко"}[lang]
    assert set(words.labels) >= {"course.sessions", "course.sessions.short", "point.volume", "interval",
                                 "one.session", "five.sessions", "contraindications"}
    assert words.labels["contraindications"] == {"it": "Controindicazioni", "en": "Contraindications",
                                                 "ru": "Противопоказания"}[lang]
    assert words.labels["interval"] in text
    assert set(words.items) == {("contraindications", "allergy"), ("contraindications", "gallstones")}
    assert set(words.items[("contraindications", "gallstones")]) == {"label", "reason"}
    assert words.items[("contraindications", "gallstones")]["reason"].endswith("{{ fact('interval') }}.")
    expected_lines = {fact: line(text, f"  {fact}:", "facts:") for fact in words.labels}
    expected_lines.update({f"contraindications#{i}": line(text, f"      {i}:") for i in ("allergy", "gallstones")})
    expected_lines.update({f"term:{t}": line(text, f"  {t}:", "terms:") for t in term_ids})
    expected_lines.update({f"source:{d}": line(text, f"  {d}:", "sources:") for d in ("doc-a", "doc-b")})
    expected_lines["section:sources"] = line(text, "sources:")
    assert dict(words.lines) == expected_lines


def test_words_are_frozen(site):
    words, _ = read(site, "en", WORDS["en"])
    for mapping in (words.units, words.units["session"], words.terms, words.labels, words.items,
                    words.items[("contraindications", "allergy")], words.lines):
        with pytest.raises(TypeError):
            mapping["x"] = "y"


@pytest.mark.parametrize("lang, categories", [("it", ("one", "other")), ("en", ("one", "other")),
                                              ("ru", ("few", "many", "one", "other"))])
def test_a_counted_noun_needs_every_plural_category_of_its_language(site, lang, categories):
    assert plural_categories(site[0].language(lang)) == categories


# -- gaps and strays, each on its line -----------------------------------------------------------------
RU = WORDS["ru"]


@pytest.mark.parametrize("form", ["one", "few", "many", "other"])
def test_a_missing_or_empty_plural_form_is_named_on_the_units_line(site, form):
    for replacement in ("", f"{form}: ''"):
        forms = {"one": "сеанс", "few": "сеанса", "many": "сеансов", "other": "сеанса"}
        text = RU.replace("session: {one: сеанс, few: сеанса, many: сеансов, other: сеанса}",
                          "session: {" + ", ".join(f"{k}: {v}" if k != form else replacement
                                                   for k, v in forms.items() if k != form or replacement) + "}")
        _, errors = read(site, "ru", text)
        assert f'content/ru/words.yaml:2: unit "session" lacks the plural form(s) {form}' in errors
        assert all(e.startswith("content/ru/words.yaml:2: ") for e in errors)


def test_all_missing_forms_are_named_in_order(site):
    _, errors = read(site, "ru", RU.replace("{one: сеанс, few: сеанса, many: сеансов, other: сеанса}", "{other: x}"))
    assert errors == ['content/ru/words.yaml:2: unit "session" lacks the plural form(s) few, many, one']


def test_a_unit_that_is_not_a_mapping_is_an_error(site):
    text = RU.replace("  session: {one: сеанс, few: сеанса, many: сеансов, other: сеанса}",
                      "  visit: сеанс\n  session: {one: сеанс, few: сеанса, many: сеансов, other: сеанса}\n"
                      "  call: [a, b]\n  stay: {other: x}")
    words, errors = read(site, "ru", text)
    assert errors == ['content/ru/words.yaml:2: unit "visit" must list its forms',
                      'content/ru/words.yaml:4: unit "call" must list its forms',
                      'content/ru/words.yaml:5: unit "stay" lacks the plural form(s) few, many, one']
    assert set(words.units) == {"session", "stay"}


def test_a_counted_noun_without_forms_is_named_at_units(site):
    text = WORDS["en"].replace("  session: {one: session, other: sessions}\n", "  visit: {one: v, other: vs}\n")
    _, errors = read(site, "en", text)
    assert errors == ['content/en/words.yaml:1: no en forms for the counted noun "session"']
    text = "terms:\n" + WORDS["en"].split("terms:\n", 1)[1]       # no units: at all
    _, errors = read(site, "en", text)
    assert errors == ['content/en/words.yaml:1: no en forms for the counted noun "session"']
    terms = "terms:\n" + WORDS["en"].split("terms:\n", 1)[1].split("facts:\n")[0]
    text = terms + "units:\n  visit: {one: v, other: vs}\nfacts:\n" + WORDS["en"].split("facts:\n", 1)[1]
    _, errors = read(site, "en", text)
    assert errors == [f'content/en/words.yaml:{line(text, "units:")}: no en forms for the counted noun "session"']


def test_measure_units_need_no_forms(site):
    words, errors = read(site, "en", WORDS["en"])
    assert errors == [] and set(words.units) == {"session"}     # ml and day are Babel's


@pytest.mark.parametrize("term", ["rare", "reviewer_role"])
def test_a_missing_term_is_named_at_terms(site, term):
    text = "\n".join(t for t in WORDS["it"].splitlines() if not t.startswith(f"  {term}:")) + "\n"
    _, errors = read(site, "it", text)
    assert errors == [f'content/it/words.yaml:3: no it words for the term "{term}"']


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["course.sessions", "course.sessions.short", "point.volume", "interval", "one.session",
                        "five.sessions", "contraindications"]), st.integers(0, 3))
def test_a_missing_fact_is_named_at_facts(site, fact, blank_lines):
    lines = WORDS["en"].splitlines()
    start = lines.index("facts:")
    kept = [t for i, t in enumerate(lines) if not (i > start and t.startswith(f"  {fact}:"))]
    if fact == "contraindications":
        kept = [t for t in kept if not t.startswith("    ")]
    text = "\n" * blank_lines + "\n".join(kept) + "\n"
    _, errors = read(site, "en", text)
    assert errors == [f'content/en/words.yaml:{start + 1 + blank_lines}: no en words for the fact "{fact}"']


def test_an_unknown_fact_is_named_on_its_line(site):
    text = WORDS["en"] + "  intervall: typo\n  other.thing: x\n"
    _, errors = read(site, "en", text)
    n = text.count("\n")
    assert errors == [f'content/en/words.yaml:{n - 1}: words for an unknown fact "intervall"',
                      f'content/en/words.yaml:{n}: words for an unknown fact "other.thing"']


@pytest.mark.parametrize("value", ["''", "'   '", "[a, b]", "{x: 1}", "null"])
def test_a_label_must_be_a_line_of_text(site, value):
    text = WORDS["en"].replace("  interval: interval between sessions", f"  interval: {value}")
    _, errors = read(site, "en", text)
    where = line(text, "  interval:", "facts:")
    expected = ('no en words for the fact "interval"' if value == "null"
                else 'the words for "interval" must be its label (a line of text)')
    assert errors == [f"content/en/words.yaml:{where}: {expected}"]


@pytest.mark.parametrize("value", ["Contraindications", "{label: X}", "{label: X, items: [a]}"])
def test_a_list_needs_label_and_items(site, value):
    lines = WORDS["en"].splitlines()
    start = lines.index("    label: Contraindications") - 1
    text = "\n".join(lines[:start] + [f"  contraindications: {value}"]) + "\n"
    _, errors = read(site, "en", text)
    assert errors == [f'content/en/words.yaml:{start + 1}: the words for the list "contraindications" need label: and items:']


def test_a_missing_item_is_named_at_the_first_item(site):
    text = WORDS["en"].replace("      allergy: {label: Allergy, reason: The substances are active.}\n", "")
    _, errors = read(site, "en", text)
    assert errors == [f'content/en/words.yaml:{line(text, "gallstones:")}: no en words for item "allergy" of "contraindications"']


def test_an_item_that_is_not_a_mapping_is_named_on_its_line(site):
    text = WORDS["en"].replace("      allergy: {label: Allergy, reason: The substances are active.}",
                               "      allergy: Allergy")
    _, errors = read(site, "en", text)
    assert errors == [f'content/en/words.yaml:{line(text, "allergy:")}: no en words for item "allergy" of "contraindications"']
    text = WORDS["en"].replace('gallstones: {label: Gallstones, reason: "Some mixtures: {{ fact(\'interval\') }}."}',
                               "gallstones: [Gallstones]")
    _, errors = read(site, "en", text)
    assert errors == [f'content/en/words.yaml:{line(text, "gallstones:")}: no en words for item "gallstones" of "contraindications"']


def test_every_missing_item_is_named(site):
    lines = [t for t in WORDS["en"].splitlines() if "allergy:" not in t and "gallstones:" not in t]
    text = "\n".join(lines) + "\n      other: {label: x, reason: y}\n"
    _, errors = read(site, "en", text)
    first = line(text, "      other:")
    assert errors == [f'content/en/words.yaml:{first}: no en words for item "allergy" of "contraindications"',
                      f'content/en/words.yaml:{first}: no en words for item "gallstones" of "contraindications"',
                      f'content/en/words.yaml:{first}: words for an unknown item "other" of "contraindications"']


def test_every_fact_without_words_is_named(site):
    text = WORDS["en"].replace("  interval: interval between sessions\n", "").replace("  one.session: one session\n", "")
    _, errors = read(site, "en", text)
    where = line(text, "facts:")
    assert errors == [f'content/en/words.yaml:{where}: no en words for the fact "interval"',
                      f'content/en/words.yaml:{where}: no en words for the fact "one.session"']


@pytest.mark.parametrize("reason, what", [
    ("'See [why](javascript:alert(1)).'", ["javascript:"]), ("'<b onclick=\"x()\">a</b> [d](data:x)'", ["onclick=", "data:"]),
    ("'<script>x()</script>'", ["<script"]), ("'[v](vbscript:x)'", ["vbscript:"]), ("Plain words.", []),
])
@pytest.mark.parametrize("field", ["label", "reason"])
def test_unsafe_markup_in_item_words_is_named_on_its_line(site, reason, what, field):
    fields = {"label": "Allergy", "reason": "The substances are active."}
    fields[field] = reason
    text = WORDS["en"].replace("      allergy: {label: Allergy, reason: The substances are active.}",
                               "      allergy:\n" + "".join(f"        {k}: {v}\n" for k, v in fields.items()).rstrip("\n"))
    config, facts = site
    data, _ = parse_yaml(text, "content/en/words.yaml")
    problems = Problems("reading")
    words = read_words(data, "content/en/words.yaml", facts.facts, facts.documents, config.language("en"), config, problems)
    where = line(text, f"        {field}:")
    assert [f"{p.location}: {p.message}" for p in problems.warnings] == [
        f'content/en/words.yaml:{where}: removed unsafe markup "{w}"' for w in what]
    assert problems.errors == [] and words.items[("contraindications", "allergy")]["label" if field == "reason" else "reason"]


def test_unsafe_markup_on_a_later_line_of_a_text_is_named_there(site):
    text = WORDS["en"].replace("      allergy: {label: Allergy, reason: The substances are active.}",
                               "      allergy:\n        label: Allergy\n        reason: |-\n          Safe.\n"
                               "          <script>x()</script>")
    config, facts = site
    data, _ = parse_yaml(text, "content/en/words.yaml")
    problems = Problems("reading")
    read_words(data, "content/en/words.yaml", facts.facts, facts.documents, config.language("en"), config, problems)
    assert [p.line for p in problems.warnings] == [line(text, "<script>")]
    folded = text.replace("reason: |-", "reason: >")
    problems = Problems("reading")
    read_words(parse_yaml(folded, "w")[0], "w", facts.facts, facts.documents, config.language("en"), config, problems)
    assert [p.line for p in problems.warnings] == [line(text, "Safe.")]    # folded: one line of text


@pytest.mark.parametrize("field", ["label", "reason"])
@pytest.mark.parametrize("value", [None, "''", "' '", "null"])
def test_an_item_field_missing_or_blank_is_named_on_the_items_line(site, field, value):
    fields = {"label": "Allergy", "reason": "The substances are active."}
    if value is None:
        del fields[field]
    else:
        fields[field] = value
    text = WORDS["en"].replace("      allergy: {label: Allergy, reason: The substances are active.}",
                               "      allergy: {" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}")
    _, errors = read(site, "en", text)
    where = line(text, "allergy:")
    assert errors and all(e.startswith(f"content/en/words.yaml:{where}: ") and f'"{field}"' in e for e in errors), errors


def test_an_unknown_item_is_named_on_its_line(site):
    text = WORDS["en"] + "      alergy: {label: A, reason: B}\n"
    _, errors = read(site, "en", text)
    assert errors == [f'content/en/words.yaml:{text.count(chr(10))}: words for an unknown item "alergy" of "contraindications"']


def test_an_unknown_top_level_key_and_a_missing_facts_key_are_errors(site):
    _, errors = read(site, "en", WORDS["en"] + "extra: 1\n")
    assert errors == [f'content/en/words.yaml:{WORDS["en"].count(chr(10)) + 1}: unknown key "extra" in words.yaml']
    _, errors = read(site, "en", "units: {}\nterms: {}\n")
    assert any('"facts"' in e for e in errors)


def test_every_problem_of_a_file_is_reported_together(site):
    text = (WORDS["ru"].replace("few: сеанса, ", "").replace("  rare: редко\n", "")
            .replace("  interval: интервал между сеансами\n", "") + "  nope: x\n")
    _, errors = read(site, "ru", text)
    assert len(errors) == 4


# -- statements: a label and the text patients read, both required ------------------------------------------
STATEMENT = "  procedure.pain: {label: pain, text: It can hurt a little.}"
STATEMENT_HINT = "Write label: (a short label) and text: (the statement as patients read it)."


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_a_statements_label_and_text_are_read(site, lang):
    words, errors = read(site, lang, WORDS[lang])
    assert errors == []
    assert dict(words.texts) == {"procedure.pain": {"it": "Può fare un po' male.", "en": "It can hurt a little.",
                                                    "ru": "Может быть немного больно."}[lang]}
    assert words.labels["procedure.pain"] == {"it": "dolore", "en": "pain", "ru": "боль"}[lang]
    with pytest.raises(TypeError):
        words.texts["x"] = "y"


@pytest.mark.parametrize("value, missing", [
    ("pain", ["label", "text"]), ("[pain]", ["label", "text"]), ("{label: pain}", ["text"]),
    ("{text: It hurts.}", ["label"]), ("{label: ' ', text: It hurts.}", ["label"]), ("{label: pain, text: ''}", ["text"]),
    ("{label: 3, text: 4}", ["label", "text"]), ("{label: pain, text: [a]}", ["text"]), ("{}", ["label", "text"])])
def test_a_statement_without_its_label_or_text_is_named_on_its_line(site, value, missing):
    text = WORDS["en"].replace(STATEMENT, f"  procedure.pain: {value}")
    data, _ = parse_yaml(text, "content/en/words.yaml")
    config, facts = site
    problems = Problems("reading")
    read_words(data, "content/en/words.yaml", facts.facts, facts.documents, config.language("en"), config, problems)
    where = f"content/en/words.yaml:{line(text, '  procedure.pain:')}"
    assert [(f"{p.location}: {p.message}", p.hint) for p in problems.errors] == [
        (f'{where}: the words for the statement "procedure.pain" need {name}:', STATEMENT_HINT) for name in missing]


def test_a_statement_takes_only_label_and_text(site):
    text = WORDS["en"].replace(STATEMENT, "  procedure.pain: {label: pain, text: It hurts., items: {a: b}}")
    words, errors = read(site, "en", text)
    assert errors == [f'content/en/words.yaml:{line(text, "  procedure.pain:")}: unknown key "items" in the words '
                      'for "procedure.pain"']
    assert (words.labels["procedure.pain"], words.texts["procedure.pain"]) == ("pain", "It hurts.")


def test_a_statement_without_words_is_named_with_what_it_needs(site):
    text = WORDS["it"].replace(STATEMENT.replace("pain, text: It can hurt a little.", "dolore, text: Può fare un po' male.")
                               + "\n", "")
    config, facts = site
    data, _ = parse_yaml(text, "content/it/words.yaml")
    problems = Problems("reading")
    read_words(data, "content/it/words.yaml", facts.facts, facts.documents, config.language("it"), config, problems)
    assert [(f"{p.location}: {p.message}", p.hint) for p in problems.errors] == [
        (f'content/it/words.yaml:{line(text, "facts:")}: no it words for the fact "procedure.pain"',
         "Add a label and a text under facts: (copy the entry from content/it/words.yaml).")]


# -- sources: each original document's title for patients ---------------------------------------------------
SOURCES = "sources:\n  doc-a: Document A (in Italian)\n  doc-b: Document B (in Russian)\n"


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_the_titles_of_the_documents_are_read_trimmed(site, lang):
    words, errors = read(site, lang, WORDS[lang].replace("  doc-a: ", "  doc-a: '  ").replace("(in italiano)",
                         "(in italiano)  '").replace("(in Italian)", "(in Italian)  '").replace(
                         "(на итальянском)", "(на итальянском)  '"))
    assert errors == []
    assert dict(words.sources) == {
        "it": {"doc-a": "Documento A (in italiano)", "doc-b": "Documento B (in russo)"},
        "en": {"doc-a": "Document A (in Italian)", "doc-b": "Document B (in Russian)"},
        "ru": {"doc-a": "Документ А (на итальянском)", "doc-b": "Документ Б (на русском)"}}[lang]
    with pytest.raises(TypeError):
        words.sources["x"] = "y"


def test_without_a_sources_section_there_are_no_titles_and_its_place_is_line_1(site):
    words, errors = read(site, "en", WORDS["en"].replace(SOURCES, ""))
    assert errors == [] and dict(words.sources) == {}
    assert words.lines["section:sources"] == 1 and not any(k.startswith("source:") for k in words.lines)


@pytest.mark.parametrize("value", ["[doc-a]", "Document A", "3"])
def test_sources_that_are_not_a_mapping_are_named_on_their_line(site, value):
    text = WORDS["en"].replace(SOURCES, f"sources: {value}\n")
    config, facts = site
    data, _ = parse_yaml(text, "content/en/words.yaml")
    problems = Problems("reading")
    words = read_words(data, "content/en/words.yaml", facts.facts, facts.documents, config.language("en"), config,
                       problems)
    assert [(f"{p.location}: {p.message}", p.hint) for p in problems.errors] == [
        (f'content/en/words.yaml:{line(text, "sources:")}: "sources" must map each document id to its title',
         'Write sources: then, indented, doc-000: "Title (in Italian)".')]
    assert dict(words.sources) == {} and words.lines["section:sources"] == line(text, "sources:")


def test_every_bad_title_is_named_on_its_own_line(site):
    config, facts = site
    documents = dict(facts.documents)
    documents["doc-c"] = __import__("dataclasses").replace(facts.documents["doc-b"], translation_of="doc-b")
    text = WORDS["en"].replace(SOURCES, "sources:\n  doc-a: Document A (in Italian)\n  doc-aa: x\n  doc-b: ' '\n"
                                        "  doc-c: Document C\n  doca: [a]\n")
    data, _ = parse_yaml(text, "content/en/words.yaml")
    problems = Problems("reading")
    words = read_words(data, "content/en/words.yaml", facts.facts, documents, config.language("en"), config, problems)
    at = {d: f"content/en/words.yaml:{line(text, f'  {d}:', 'sources:')}" for d in ("doc-aa", "doc-b", "doc-c", "doca")}
    assert [(f"{p.location}: {p.message}", p.hint) for p in problems.errors] == [
        (f'{at["doc-aa"]}: a title for an unknown document "doc-aa"',
         'did you mean "doc-a"? Documents are listed in content/facts.yaml.'),
        (f'{at["doc-b"]}: the title of "doc-b" must be a line of text',
         'Write the title patients read, e.g. doc-000: "Mesoterapia (in italiano)".'),
        (f'{at["doc-c"]}: "doc-c" is a translation of "doc-b": pages never list it',
         "Delete this line; the title of doc-b stands for both."),
        (f'{at["doca"]}: a title for an unknown document "doca"',
         'did you mean "doc-a"? Documents are listed in content/facts.yaml.')]
    assert dict(words.sources) == {"doc-a": "Document A (in Italian)"}
    assert {k: v for k, v in words.lines.items() if k.startswith("source:")} == {
        f"source:{d}": line(text, f"  {d}:", "sources:") for d in ("doc-a", "doc-aa", "doc-b", "doc-c", "doca")}


# -- a list's words may show a number or a link, never a block ---------------------------------------------
GALLSTONES = "      gallstones: {label: Gallstones, reason: \"Some mixtures: {{ fact('interval') }}.\"}"


@pytest.mark.parametrize("call", ["fact_list('contraindications')", "fact_table(['interval'])", "fact_faq('contraindications')"])
def test_a_lists_words_calling_a_block_are_named_on_the_items_line(site, call):
    text = WORDS["en"].replace(GALLSTONES, f'      gallstones:\n        label: Gallstones\n        reason: "{{{{ {call} }}}}"')
    config, facts = site
    data, _ = parse_yaml(text, "content/en/words.yaml")
    problems = Problems("reading")
    read_words(data, "content/en/words.yaml", facts.facts, facts.documents, config.language("en"), config, problems)
    function, name = call.split("(")[0], "contraindications" if "contra" in call else "interval"
    assert [(f"{p.location}: {p.message}", p.hint) for p in problems.errors] == [(
        f'content/en/words.yaml:{line(text, "      gallstones:")}: the words of "contraindications" call '
        f'{function}("{name}"): a list\'s words cannot show a list or table (a list showing itself, or a cycle of '
        'lists, would never end)', 'Use fact("id") for a number here, and put the list or table on the page.')]


def test_a_block_call_on_a_later_line_of_a_lists_words_is_named_there(site):
    text = WORDS["en"].replace(GALLSTONES, "      gallstones:\n        label: Gallstones\n        reason: \"First line.\\n\\n"
                                           "{{ fact('interval') }}\\n{{ fact_list('contraindications') }}\"")
    _, errors = read(site, "en", text)
    assert [e.split(": the words")[0] for e in errors] == [f'content/en/words.yaml:{line(text, "      gallstones:") + 3}']
    assert read(site, "en", text.replace("fact_list('contraindications')", "fact('interval')"))[1] == []


@pytest.mark.parametrize("section", ["units", "terms", "facts"])
def test_a_section_that_is_not_a_mapping_is_named_on_its_line(site, section):
    text = WORDS["en"].replace(f"{section}:\n", f"{section}: [a]\n{section}_was:\n", 1)
    _, errors = read(site, "en", text)
    assert f'content/en/words.yaml:{line(text, f"{section}: [a]")}: "{section}" must be a mapping of names to words' in errors


@pytest.mark.parametrize("old, new, expected", [
    ("  rare: rare\n", "  rare: [a]\n", 'content/en/words.yaml:{}: "rare" in terms must be'),
    ("{one: session, other: sessions}", "{one: session, other: sessions, plenty: x}",
     'content/en/words.yaml:{}: unknown key "plenty" in the unit "session"'),
    ("{one: session, other: sessions}", "{one: session, other: [a]}", 'content/en/words.yaml:{}: "other" in the unit "session" must be'),
    ("    label: Contraindications\n", "    label: [a]\n", 'content/en/words.yaml:{}: "label" in the words for "contraindications" must be'),
    ("    label: Contraindications\n", "    labels: x\n", 'content/en/words.yaml:{}: unknown key "labels" in the words for "contraindications"'),
    ("{label: Allergy, reason:", "{label: Allergy, cause: x, reason:", 'content/en/words.yaml:{}: unknown key "cause" in item "allergy" of "contraindications"'),
    ("{label: Allergy, reason:", "{label: [a], reason:", 'content/en/words.yaml:{}: "label" in item "allergy" of "contraindications" must be')])
def test_a_wrong_key_or_type_is_named_with_its_place_in_words_yaml(site, old, new, expected):
    text = WORDS["en"].replace(old, new, 1)
    _, errors = read(site, "en", text)
    where = line(text, new.strip().split("\n")[0][:12])
    assert any(e.startswith(expected.format(where)) for e in errors), errors
