"""site.yaml's per-language details and the menu: the clinic's and the reviewer's details given once
or per language (each language's pages show its own), strict about unknown keys and missing details;
the menu given once by page key, a front matter `nav:` refused with what to do. Bad input over many
generated cases: exit 1, the exact `path:line`, no traceback, the previous site byte-identical."""

from __future__ import annotations

import pytest
from badinput import Previous, line_of, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefiles import SITE_YAML, make_site, page_text

from patientsite.load.config import load_config

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
KEY = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5})?", fullmatch=True)
PAGES = [(lang, name) for lang in ("it", "en", "ru") for name in ("treatment.md", "contraindications.md")]
MENU_LINE = line_of(SITE_YAML, "menu:")

CLINIC = """\
clinic:
  phone: +39 000 000
  email: info@clinic.example
  emergency_number: "112"
  it:
    name: Clinica Prova
    address: [Via Prova 1, 00100 Roma RM]
  en:
    name: Test Clinic
    address: [Via Prova 1, 00100 Rome, Italy]
  ru:
    name: Клиника «Прова»
    address: [Италия, 00100 Рим, Via Prova 1]
    phone: +39 000 001
reviewer:
  id: test-reviewer
  name: Tess Test
  it: {title: Dott.ssa, role: medico estetico}
  en: {title: Dr, role: aesthetic physician}
  ru: {title: д-р, role: врач-косметолог, name: Тесс Тест}
"""
PER_LANGUAGE = SITE_YAML[:SITE_YAML.index("clinic:")] + CLINIC + SITE_YAML[SITE_YAML.index("languages:"):]


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    return Previous(tmp_path_factory.mktemp("details"))


# -- per-language details -------------------------------------------------------------------------
def test_each_language_shows_its_own_clinic_and_reviewer(tmp_path):
    root = make_site(tmp_path / "site", {"site.yaml": PER_LANGUAGE})
    config = load_config(root)
    assert config.clinic_in("ru").lines == ("Италия", "00100 Рим", "Via Prova 1")
    assert config.clinic_in("ru").phone == "+39 000 001" and config.clinic_in("en").phone == "+39 000 000"
    assert config.clinic.name == "Clinica Prova"        # the source language's: the chooser and 404
    code, _, err = run(root, "build", "--out", str(tmp_path / "out"))
    assert code == 0, err
    html = {lang: (tmp_path / f"out/{lang}/index.html").read_text(encoding="utf-8") for lang in ("it", "en", "ru")}
    assert "Dott.ssa" in html["it"] and "Dott.ssa" not in html["en"] and "Dott.ssa" not in html["ru"]
    assert '<span data-trust="reviewer-title">Dr</span>&nbsp;<span data-trust="reviewer-name">Tess Test</span>' \
        in html["en"]
    assert '<span data-trust="reviewer-title">д-р</span>&nbsp;<span data-trust="reviewer-name">Тесс Тест</span>' \
        in html["ru"]
    assert "Клиника «Прова»<br>\nИталия<br>00100 Рим<br>Via Prova 1<br>" in html["ru"].replace("      ", "")
    assert '"address": "Via Prova 1, 00100 Rome, Italy"' in html["en"]
    assert '"honorificPrefix": "д-р"' in html["ru"] and '"jobTitle": "врач-косметолог"' in html["ru"]
    assert 'href="tel:+39000001"' in html["ru"] and 'href="tel:+39000000"' in html["en"]
    # the words.yaml terms for the title and role are no longer needed where site.yaml gives the words
    code, out, err = run(root, "check", "--out", str(tmp_path / "checked"))
    assert "trust block" in out and "reviewer" not in err


@SETTINGS
@given(lang=st.sampled_from(["it", "en", "ru"]), detail=st.sampled_from(["name", "address"]))
def test_a_language_without_a_required_detail_names_its_block(previous, lang, detail):
    lines = PER_LANGUAGE.split("\n")
    start = lines.index(f"  {lang}:", 0)
    drop = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(f"    {detail}:"))
    broken = "\n".join(lines[:drop] + lines[drop + 1:])
    err = previous.refused({"site.yaml": broken})
    what = detail.replace("_", " ")
    assert (f'error: site.yaml:{start + 1}: the clinic has no {what} for "{lang}"\n'
            f'    Add "{detail}: ..." under clinic: {lang}: (or once under clinic: for every language).') in err


@SETTINGS
@given(key=KEY.filter(lambda k: k not in {"name", "address", "phone", "email", "emergency_number"}),
       lang=st.sampled_from(["it", "en", "ru"]))
def test_an_unknown_key_in_a_language_block_is_an_error(previous, key, lang):
    broken = PER_LANGUAGE.replace(f"  {lang}:\n    name:", f"  {lang}:\n    {key}: x\n    name:", 1)
    err = previous.refused({"site.yaml": broken})
    assert f'error: site.yaml:{line_of(broken, f"    {key}: x")}: unknown key "{key}" in "clinic: {lang}"' in err


@SETTINGS
@given(code=st.from_regex(r"[a-z]{2}", fullmatch=True).filter(lambda c: c not in ("it", "en", "ru"))
       | st.sampled_from(["no", "on"]))     # YAML 1.1 would read these two as booleans: named as written
def test_a_block_for_a_language_the_site_lacks_is_an_unknown_key(previous, code):
    broken = PER_LANGUAGE.replace("reviewer:\n", f"  {code}:\n    name: X\nreviewer:\n", 1)
    err = previous.refused({"site.yaml": broken})
    assert f'error: site.yaml:{line_of(broken, f"  {code}:")}: unknown key "{code}" in "clinic"' in err


@SETTINGS
@given(lang=st.sampled_from(["it", "en", "ru"]), word=st.sampled_from(["title", "role"]))
def test_a_language_without_the_reviewers_title_or_role_names_its_block(previous, lang, word):
    lines = PER_LANGUAGE.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(f"  {lang}: {{title:"))
    value = dict(part.split(": ", 1) for part in lines[index].split("{", 1)[1].rstrip("}").split(", "))
    del value[word]
    lines[index] = f"  {lang}: {{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    err = previous.refused({"site.yaml": "\n".join(lines)})
    assert f'error: site.yaml:{index + 1}: the reviewer has no {word} for "{lang}"' in err


@SETTINGS
@given(value=st.sampled_from(["{a: b}", "[]", "[1, 2]", "['', x]", "42", "true"]),
       lang=st.sampled_from(["it", "en", "ru"]))
def test_an_address_that_is_not_lines_of_text_is_an_error(previous, value, lang):
    lines = PER_LANGUAGE.split("\n")
    start = lines.index(f"  {lang}:")
    index = next(i for i in range(start, len(lines)) if lines[i].startswith("    address:"))
    lines[index] = f"    address: {value}"
    err = previous.refused({"site.yaml": "\n".join(lines)})
    assert f'error: site.yaml:{index + 1}: the address in "clinic: {lang}" must be a line of text or a list of lines' \
        in err


# -- the menu ---------------------------------------------------------------------------------------
def test_the_menu_order_is_site_yamls_for_every_language(tmp_path):
    root = make_site(tmp_path / "site", {"site.yaml": SITE_YAML.replace(
        "menu: [treatment, contraindications]", "menu: [contraindications, treatment]")})
    assert run(root, "build", "--out", str(tmp_path / "out"))[0] == 0
    for lang, first, second in (("en", "contraindications/", "the-treatment/"), ("ru", "protivopokazaniya/",
                                                                                   "procedura/")):
        html = (tmp_path / f"out/{lang}/index.html").read_text(encoding="utf-8")
        menu = html[html.index('class="site-nav wide-menu"'):]
        assert menu.index(first) < menu.index(second)


@SETTINGS
@given(place=st.sampled_from(PAGES), number=st.integers(min_value=-5, max_value=2000))
def test_a_front_matter_nav_line_says_what_to_do(previous, place, number):
    lang, name = place
    text = page_text(lang, name).replace("reviewed:", f"nav: {number}\nreviewed:")
    err = previous.refused({f"content/{lang}/{name}": text})
    key = name[:-3]
    assert (f"error: content/{lang}/{name}:{line_of(text, 'nav:')}: nav: is no longer read: the menu's order is "
            "given once for every language, by page key, in site.yaml's menu: list\n"
            f'    Delete this line, and list the page\'s key ("{key}") under menu: in site.yaml where it belongs in '
            "the menu.") in err


@SETTINGS
@given(key=KEY.filter(lambda k: k not in ("treatment", "contraindications", "home")))
def test_a_menu_entry_without_a_page_in_the_source_language_is_an_error(previous, key):
    err = previous.refused({"site.yaml": SITE_YAML.replace("menu: [treatment, contraindications]",
                                                           f"menu: [treatment, {key}, contraindications]")})
    assert f'error: site.yaml:{MENU_LINE}: the menu lists the page "{key}", but content/it/ has no page ' \
           f"with key: {key}\n" in err
    assert "content/en/ has no page" not in err     # the other languages follow the source language


def test_a_new_source_page_in_the_menu_publishes_in_the_source_language_only(tmp_path):
    """The menu is one list of keys: a page not (yet) in a language is left out of that language's menu
    with the page itself (not published, a warning), never a mismatch between the languages' menus."""
    extra = page_text("it", "treatment.md").replace("key: treatment", "key: prices").replace(
        "slug: il-trattamento", "slug: prezzi")
    root = make_site(tmp_path / "site", {"content/it/prices.md": extra, "site.yaml": SITE_YAML.replace(
        "menu: [treatment, contraindications]", "menu: [treatment, contraindications, prices]")})
    code, _, err = run(root, "build", "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert 'content/it/prices.md:1: the page "prices" is not published in en: it has no translation' in err
    it_home = (tmp_path / "out/it/index.html").read_text(encoding="utf-8")
    en_home = (tmp_path / "out/en/index.html").read_text(encoding="utf-8")
    assert "prezzi/index.html" in it_home
    assert "prezzi" not in en_home and "prices" not in en_home


@pytest.mark.parametrize("menu, message", [
    ("menu: [treatment, treatment]", 'the page "treatment" is in the menu twice'),
    ("menu: [home, treatment]", "the home page is not a menu entry"),
    ("menu: [treatment, Bad Key]", 'the menu entry "Bad Key" is not a page key'),
    ("menu: [treatment, 3]", 'the menu entry "3" is not a page key'),
    ("menu: treatment", '"menu" must be a list of page keys'),
])
def test_a_bad_menu_is_an_error(previous, menu, message):
    err = previous.refused({"site.yaml": SITE_YAML.replace("menu: [treatment, contraindications]", menu)})
    assert f"error: site.yaml:{MENU_LINE}: {message}" in err
