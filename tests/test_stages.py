"""One test group per stage: load (config, facts, content, catalogues) and model, on the small site."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sitefiles import SITE_YAML, make_site

from patientsite.errors import BuildError
from patientsite.load.config import load_config
from patientsite.load.content import load_content, split_front_matter
from patientsite.load.facts import load_facts
from patientsite.load.i18n import load_catalogs
from patientsite.load.yamlload import parse_yaml
from patientsite.model.site import assemble_site
from patientsite.render.dependencies import page_dependencies


def test_yaml_keeps_lines_and_rejects_duplicates():
    data, problems = parse_yaml("a: 1\nb:\n  c: [1, 2]\n", "x.yaml", line_offset=10)
    assert problems == [] and data.line_of("b") == 12 and data["b"].line_of("c") == 13
    _, problems = parse_yaml("a: 1\na: 2\n", "x.yaml")
    assert [str(p) for p in problems] == ['x.yaml:2:1: duplicate key "a" (first given on line 1)\n'
                                          "    Keep one of the two; YAML would silently use the last one."]


YAML11_WORDS = [w for word in ("yes", "no", "on", "off") for w in (word, word.title(), word.upper())]
BOOLEAN_WORDS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


@given(word=st.sampled_from(YAML11_WORDS), boolean=st.sampled_from(sorted(BOOLEAN_WORDS)),
       place=st.sampled_from(["key: {}", "key: [{}]", "key:\n  - {}", "{}: 1", "outer:\n  inner: {}"]))
def test_yaml_reads_only_true_and_false_as_booleans(word, boolean, place):
    """YAML 1.1 reads yes/no/on/off as booleans: "No" (an answer) and "no" (Norwegian) would be
    refused as not text. Like YAML 1.2, they stay text as written, wherever they stand."""
    def value(data):
        if "outer" in data:
            return data["outer"]["inner"]
        if "key" not in data:
            return next(iter(data))
        return data["key"][0] if isinstance(data["key"], list) else data["key"]
    data, problems = parse_yaml(place.format(word), "x.yaml")
    assert problems == [] and value(data) == word
    data, problems = parse_yaml(place.format(boolean), "x.yaml")
    expected = boolean if place == "{}: 1" else BOOLEAN_WORDS[boolean]   # a key is a name as written
    assert problems == [] and value(data) == expected and type(value(data)) is type(expected)


def test_front_matter_split_keeps_the_body_line():
    front, body, line = split_front_matter("---\ntitle: A\n---\nBody\n")
    assert (front, body, line) == ("title: A\n", "Body\n", 4)


def test_config_languages_and_source(site_root):
    config = load_config(site_root)
    assert [lang.code for lang in config.languages] == ["it", "en", "ru"]
    assert config.source_language.code == "it" and config.base_url == "https://clinic.example/"
    assert config.language("ru").babel.language == "ru"


def test_config_rejects_unknown_locale_and_two_sources(tmp_path):
    root = make_site(tmp_path, {"site.yaml": SITE_YAML.replace("locale: en_GB", "locale: xx_YY").replace(
        "prefix: ru\n", "prefix: ru\n    source: true\n")})
    with pytest.raises(BuildError) as caught:
        load_config(root)
    text = str(caught.value)
    assert 'site.yaml:20: unknown Babel locale "xx_YY"' in text
    assert "site.yaml:14: exactly one language must be the source language (found 2)" in text


def test_facts_are_typed_and_words_are_per_language(site_root):
    facts = load_facts(load_config(site_root))
    sessions = facts.facts["course.sessions"]
    assert (sessions.amount.low, sessions.amount.high, sessions.amount.unit) == (Decimal(10), Decimal(12), "session")
    assert facts.facts["point.volume"].amount.low == Decimal("0.05")
    assert facts.facts["contraindications"].is_list and facts.facts["contraindications"].critical
    assert facts.facts["contraindications"].items[1].terms == (("frequency", "rare"),)
    assert facts.words["ru"].units["session"]["few"] == "сеанса"
    assert facts.words["en"].items[("contraindications", "allergy")]["reason"] == "The substances are active."
    assert [f.id for f in facts.disagreements] == ["course.sessions", "procedure.pain"]
    assert facts.facts["procedure.pain"].statement and facts.words["en"].texts["procedure.pain"] == "It can hurt a little."
    assert facts.words["ru"].sources == {"doc-a": "Документ А (на итальянском)", "doc-b": "Документ Б (на русском)"}


def test_pages_are_read_with_their_front_matter(site_root):
    pages = load_content(load_config(site_root))
    treatment = next(p for p in pages if p.src_path == "content/ru/treatment.md")
    assert (treatment.key, treatment.slug, treatment.nav_title) == ("treatment", "procedura", "Процедура")
    assert treatment.reviewed == datetime.date(2026, 11, 20) and treatment.body_line == 9
    home = next(p for p in pages if p.src_path == "content/it/index.md")
    assert home.slug == "" and home.key == "home"


def test_model_knows_urls_translations_and_inputs(site_root):
    config = load_config(site_root)
    site = assemble_site(config, load_facts(config), load_content(config),
                         load_catalogs(config, site_root / "templates"), site_root / "templates")
    page = site.page("ru", "treatment")
    assert page.url == "ru/procedura/" and page.output_path == "ru/procedura/index.html"
    assert [p.language for p in site.alternates(page)] == ["it", "en", "ru"]
    assert [p.key for p in site.nav("en")] == ["treatment", "contraindications"]
    assert "course.sessions.short" in page.facts_used and page.sources == ("doc-a", "doc-b")
    shows = page_dependencies(site, page, {("ru", "treatment"): datetime.date(2026, 11, 1)})
    assert shows.files[0] == "content/ru/treatment.md" and {
        "content/facts.yaml", "content/ru/words.yaml", "content/ru/messages.po", "templates/page.html",
        "templates/base.html"} <= set(shows.files)
    assert shows.notice == datetime.date(2026, 11, 1)
    assert "course.sessions.short" in shows.facts and "contraindications" in shows.facts   # in its JSON-LD
    assert "contraindications" in shows.words      # the JSON-LD names the contraindications
    contra = site.page("it", "contraindications")
    assert "interval" in contra.facts_used  # used inside a list item's words
    assert site.page("it", "home").links_used == ("treatment", "treatment")


def test_catalogues_translate_the_templates(site_root):
    config = load_config(site_root)
    catalogs = load_catalogs(config, site_root / "templates")
    assert catalogs.translations["ru"].gettext("Skip to content") == "Перейти к содержанию"
    assert "Page not found" in catalogs.msgids


def test_page_calls_are_read_strictly():
    from patientsite.load.shortcodes import read_calls

    calls, mistakes = read_calls('A {{ fact("a.b") }} and {{ link(\'home\') }}.\n\n{{ fact_table(["a", "b"]) }}\n')
    assert [(c.function, c.names, c.line) for c in calls] == [
        ("fact", ("a.b",), 1), ("link", ("home",), 1), ("fact_table", ("a", "b"), 3)]
    assert mistakes == ()
    _, mistakes = read_calls('{% if x %}\ntext {{ fact_list("x") }}\n{{ fact(a.b) }}\n{{ fakt("x") }}\n')
    assert [(m.line, m.message) for m in mistakes] == [
        (1, '"{% if x %}" is not allowed in a page'),
        (2, "fact_list() must stand alone on its line"),
        (3, "fact() needs one quoted name"),
        (4, 'unknown name "fakt"'),
    ]


def test_template_strings_are_extracted_again_when_a_template_changes(site_root):
    from patientsite.load.i18n import template_messages

    templates = site_root / "templates"
    assert "A brand-new string" not in template_messages(templates)
    page = templates / "partials" / "choose.html"
    page.write_text(page.read_text() + '{{ _("A brand-new string") }}\n')
    assert template_messages(templates)["A brand-new string"][0] == "templates/partials/choose.html"
