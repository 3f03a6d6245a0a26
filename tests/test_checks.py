"""`python build.py check`: every check passes on the small site and on the real one, and each has
a page made to fail it, with the exact message (path:line and what to do)."""

from __future__ import annotations

import json
import re

import pytest
from published import asset
from sitefiles import REPO, make_site, page_text

from patientsite.checks import review
from patientsite.checks.claims import phrase_pattern
from patientsite.checks.htmldoc import parse_html
from patientsite.checks.site import check_site
from patientsite.cli import main
from patientsite.errors import BuildError
from patientsite.pipeline import build

LANGS = ("it", "en", "ru")
TODAY = "2026-11-24"
CLAIMS = {f"content/{lang}/claims.yaml": (REPO / f"content/{lang}/claims.yaml").read_text(encoding="utf-8")
          for lang in LANGS}
# the small site's home pages cite no document; the trust block needs sources on every page
BASE = {**CLAIMS, **{f"content/{lang}/index.md": page_text(lang, "index.md").replace("reviewed:", "sources: [doc-a]\nreviewed:")
                     for lang in LANGS}}
IT_TREATMENT = "content/it/treatment.md"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv(review.TODAY_VARIABLE, TODAY)


def checked(tmp_path, changes=None):
    root = make_site(tmp_path / "project", {**BASE, **(changes or {})})
    result = build(root, tmp_path / "site")
    return check_site(result.site, dict(result.files), result.warnings)


def errors(report, check):
    return sorted({str(p) for p in report.problems[check].errors})


def warnings(report, check):
    return sorted({str(p) for p in report.problems[check].warnings})


def with_line(lang, name, added, base=None):
    """The page with a line added at the end of its body, and that line's number."""
    text = (base or page_text(lang, name)).rstrip("\n") + "\n\n" + added + "\n"
    return text, text.splitlines().index(added.splitlines()[0]) + 1


def line_of(text, start):
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_small_site_passes_every_check(tmp_path):
    report = checked(tmp_path)
    assert report.errors() == []
    assert not report.failed(strict=False)


# -- links ------------------------------------------------------------------------------------

def test_broken_links_anchors_and_links_into_another_language(tmp_path):
    text, line = with_line("it", "treatment.md",
                           "[rotto](../non-esiste/) [ancora](#non-esiste) [giusto](#details) "
                           "[english](../../en/the-treatment/)")
    report = checked(tmp_path, {IT_TREATMENT: text})
    hint = '\n    Link pages with {{ link("key") }}; check the address.'
    assert errors(report, "links") == [
        f'{IT_TREATMENT}:{line}: broken link "#non-esiste": it/il-trattamento/index.html has no element with id '
        '"non-esiste"\n    Anchors are the ids of headings: check the heading\'s words.',
        f'{IT_TREATMENT}:{line}: broken link "../non-esiste/": it/non-esiste/index.html does not exist' + hint,
        f'{IT_TREATMENT}:{line}: the link "../../en/the-treatment/" leaves the page\'s language (it) for a page in en'
        '\n    Link the page of this language (write {{ link("key") }}); only the language switcher and the source '
        "documents may lead to another language.",
    ]


def test_language_switcher_links_may_change_language(tmp_path):
    report = checked(tmp_path)
    doc = parse_html("it/index.html", (tmp_path / "site/it/index.html").read_text())
    assert {a.attrs["hreflang"] for a in doc.find("nav").find_all("a")} == set(LANGS)
    assert errors(report, "links") == []


# -- search engines ---------------------------------------------------------------------------

def _template(old, new=""):
    """The small site with one change to templates/page.html."""
    text = (REPO / "templates/page.html").read_text(encoding="utf-8")
    assert old in text
    return {"templates/page.html": text.replace(old, new)}


def test_hreflang_cluster_without_x_default(tmp_path):
    report = checked(tmp_path, _template(old='<link rel="alternate" hreflang="x-default" href="{{ x_default }}">\n'))
    found = errors(report, "search engines")
    assert ('content/it/index.md: the hreflang cluster has no "x-default" alternate (it/index.html)\n'
            "    templates/page.html must list every language and x-default.") in found
    assert ("sitemap.xml: the sitemap's alternates for https://clinic.example/ru/procedura/ differ from the page's "
            "hreflang links\n    templates/sitemap.xml and templates/page.html must list the same alternates.") in found
    assert len(found) == 9 + 9   # each of the 9 pages, and each of them in the sitemap


def test_hreflang_not_reciprocal(tmp_path):
    report = checked(tmp_path, _template(
        old='{% for code, url in hreflangs %}\n', new='{% for code, url in hreflangs if not (page.language == "en" and code == "ru") %}\n'))
    found = errors(report, "search engines")
    assert ('content/ru/treatment.md: hreflang is not reciprocal: https://clinic.example/en/the-treatment/ does not '
            'list https://clinic.example/ru/procedura/ as "ru"\n    Every page of a cluster must list all the others.') in found
    assert any(f.startswith('content/en/treatment.md: the hreflang cluster has no "ru" alternate') for f in found)


# -- the trust block and review dates -----------------------------------------------------------

def _trust(old, new=""):
    """The small site with one change to templates/partials/trust.html (the pages' and leaflet's trust block)."""
    text = (REPO / "templates/partials/trust.html").read_text(encoding="utf-8")
    assert old in text
    return {"templates/partials/trust.html": text.replace(old, new)}


def test_trust_block_without_next_review_date(tmp_path):
    report = checked(tmp_path, _trust(
        old='<time data-trust="next-review"', new='<time'))
    found = errors(report, "trust block")
    assert "it/il-trattamento/index.html: the trust block has no next-review date\n" \
           "    templates/partials/trust.html shows the trust block." in found
    assert len([f for f in found if "has no next-review date" in f]) == 9


def test_trust_block_with_the_wrong_reviewer(tmp_path):
    report = checked(tmp_path, _trust(old="{{ reviewer.name }}", new="Dr Nobody"))
    assert "ru/index.html: the trust block names 'Dr Nobody', not 'Tess Test'\n" \
           "    templates/partials/trust.html shows the trust block." in errors(report, "trust block")


def test_trust_block_with_the_wrong_reviewer_title(tmp_path):
    report = checked(tmp_path, _trust(old="{{ reviewer_title }}", new="Prof."))
    assert "ru/index.html: the trust block names 'Prof.', not 'д-р'\n" \
           "    templates/partials/trust.html shows the trust block." in errors(report, "trust block")
    assert "ru/index.html:13: the JSON-LD reviewer's title is 'д-р' but the page shows 'Prof.'" in \
        [f.split("\n")[0] for f in errors(report, "structured data")]


def test_page_without_sources(tmp_path):
    report = checked(tmp_path, {"content/en/index.md": page_text("en", "index.md")})
    assert errors(report, "trust block") == [
        "content/en/index.md: the page names no source documents, so its trust block lists none\n"
        "    Add the documents the page is based on to its front matter: sources: [doc-000]."]


def test_build_warns_before_a_review_falls_due_and_fails_once_overdue(tmp_path, monkeypatch):
    root = make_site(tmp_path / "project", BASE)
    text = (root / IT_TREATMENT).read_text()
    line = line_of(text, "reviewed:")
    monkeypatch.setenv(review.TODAY_VARIABLE, "2027-10-25")
    soon = build(root, tmp_path / "soon", use_cache=False)
    assert f"{IT_TREATMENT}:{line}: the medical review of this page falls due on 2027-11-20, in 26 days " \
           "(last reviewed 2026-11-20)\n    Ask the doctor to review the page before then, then write the date " \
           "of that review on this reviewed: line." in [str(w) for w in soon.warnings]
    monkeypatch.setenv(review.TODAY_VARIABLE, "2027-11-20")
    assert "falls due on 2027-11-20, today" in str(build(root, tmp_path / "due").warnings)
    monkeypatch.setenv(review.TODAY_VARIABLE, "2027-11-21")
    with pytest.raises(BuildError) as failed:
        build(root, tmp_path / "late")
    assert f"{IT_TREATMENT}:{line}: the medical review of this page is overdue: it was due on 2027-11-20 " \
           "(last reviewed 2026-11-20; reviews are due every 365 days (site.yaml))\n    Have the doctor review " \
           "the page, then write the date of that review on this reviewed: line." in [str(p) for p in failed.value.problems]
    assert len(failed.value.problems) == 9
    # the pages never depend on the day of the build: two cold builds (no cache), a year apart
    monkeypatch.setenv(review.TODAY_VARIABLE, "2026-11-24")
    assert build(root, tmp_path / "today", use_cache=False).files == soon.files


def test_trust_block_shows_both_review_dates(tmp_path):
    checked(tmp_path)
    doc = parse_html("x", (tmp_path / "site/en/the-treatment/index.html").read_text())
    assert doc.find(data_trust="reviewed").attrs["datetime"] == "2026-11-20"
    assert doc.find(data_trust="next-review").attrs["datetime"] == "2027-11-20"
    assert doc.find(data_trust="next-review").text() == "20 November 2027"


# -- structured data --------------------------------------------------------------------------

def _json_ld(tmp_path, rel):
    doc = parse_html(rel, (tmp_path / "site" / rel).read_text())
    [script] = [s for s in doc.find_all("script")]
    return json.loads(script.raw_text())["@graph"]


def test_json_ld_says_what_the_page_shows(tmp_path):
    checked(tmp_path)
    graph = {node["@type"]: node for node in _json_ld(tmp_path, "ru/procedura/index.html")}
    page = graph["MedicalWebPage"]
    assert (page["inLanguage"], page["lastReviewed"], page["reviewedBy"]["name"]) == ("ru", "2026-11-20", "Tess Test")
    assert (page["reviewedBy"]["honorificPrefix"], page["reviewedBy"]["jobTitle"]) == ("д-р", "врач-косметолог")
    assert graph["MedicalTherapy"]["name"] == "Мезотерапия"
    assert [c["name"] for c in graph["MedicalTherapy"]["contraindication"]] == ["Аллергия", "Желчные камни"]


def test_json_ld_cannot_end_its_script_early(tmp_path):
    title = 'Il trattamento </script><script>alert(1)</script> <!-- & fine'
    checked(tmp_path, {IT_TREATMENT: page_text("it", "treatment.md").replace("title: Il trattamento", f"title: '{title}'")})
    html = (tmp_path / "site/it/il-trattamento/index.html").read_text()
    assert html.count("<script") == 1 and "alert(1)</script>" not in html
    assert {n["@type"]: n for n in _json_ld(tmp_path, "it/il-trattamento/index.html")}["MedicalWebPage"]["name"] == title


def test_json_ld_that_contradicts_the_page(tmp_path):
    wrong = json.dumps({"@context": "https://schema.org", "@graph": [
        {"@type": "MedicalWebPage", "inLanguage": "de", "lastReviewed": "2020-01-01", "reviewedBy": {"name": "Dr X"}},
        {"@type": "MedicalTherapy", "contraindication": [{"name": "Nothing"}]}]})
    report = checked(tmp_path, _template(old='{{ json_ld(therapy=_("Mesotherapy")) }}', new=wrong))
    found = [f.split("\n")[0] for f in errors(report, "structured data") if f.startswith("en/contraindications/")]
    assert found == [
        "en/contraindications/index.html:13: the JSON-LD language is 'de' but the page shows 'en'",
        "en/contraindications/index.html:13: the JSON-LD lastReviewed date is '2020-01-01' but the page shows '2026-11-20'",
        "en/contraindications/index.html:13: the JSON-LD list of contraindications is ['Nothing'] but the page shows "
        "['Allergy', 'Gallstones']",
        "en/contraindications/index.html:13: the JSON-LD reviewer is 'Dr X' but the page shows 'Tess Test'",
        "en/contraindications/index.html:13: the JSON-LD reviewer's title is None but the page shows 'Dr'",
    ]


def test_missing_or_broken_json_ld(tmp_path):
    report = checked(tmp_path, _template(old='{{ json_ld(therapy=_("Mesotherapy")) }}', new='{"@graph": [}'))
    assert "it/index.html:13: the JSON-LD does not parse: Expecting value" in \
           [f.split("\n")[0] for f in errors(report, "structured data")]
    report = checked(tmp_path / "2", _template(old='<script type="application/ld+json">', new='<script type="text/plain">'))
    assert "it/index.html: the page carries no JSON-LD structured data" in \
           [f.split("\n")[0] for f in errors(report, "structured data")]


# -- readability ------------------------------------------------------------------------------

def test_hard_page_gets_readability_warnings_with_its_score(tmp_path):
    sentence = "La " + " ".join(["intradermoterapia distrettuale"] * 14) + "."
    text, line = with_line("it", "contraindications.md", sentence)
    report = checked(tmp_path, {"content/it/contraindications.md": text})
    found = warnings(report, "readability")
    assert f"content/it/contraindications.md:{line}: a sentence of 29 words (more than 25): \u201c{sentence[:70]}…\u201d" \
           "\n    Split it into shorter sentences." in found
    assert any(re.fullmatch(r"content/it/contraindications.md: Gulpease is \d+\.\d; the target is ≥ 60\n.*", f, re.S)
               for f in found)
    assert report.errors() == [] and report.failed(strict=True)


# -- claims -----------------------------------------------------------------------------------

def test_forbidden_claims_in_text_metadata_and_link_titles(tmp_path):
    it, line = with_line("it", "treatment.md", 'Un trattamento indolore, [visita](../ "Prima visita gratuita").')
    it = it.replace("description: Come si svolge", "description: Risultati garantiti")
    en, en_line = with_line("en", "treatment.md", "It is painless.")
    ru, ru_line = with_line("ru", "treatment.md", "Процедура безболезненная.")
    report = checked(tmp_path, {IT_TREATMENT: it, "content/en/treatment.md": en, "content/ru/treatment.md": ru})
    found = [f.split("\n")[0] for f in errors(report, "claims")]
    assert found == sorted([
        f'content/en/treatment.md:{en_line}: "painless": No treatment with needles can be promised to be free of pain.',
        f'{IT_TREATMENT}:3: "garantiti": I risultati di un trattamento medico non si possono garantire.',
        f'{IT_TREATMENT}:{line}: "gratuita": Sconti, offerte e omaggi sono promozione commerciale, vietata nella '
        "pubblicità sanitaria.",
        f'{IT_TREATMENT}:{line}: "indolore": Nessun trattamento con aghi si può promettere senza dolore.',
        f'content/ru/treatment.md:{ru_line}: "безболезненная": Нельзя обещать, что процедура с уколами пройдёт без боли.',
    ])


def test_forbidden_claim_in_alt_text(tmp_path):
    changes = _template(old='<main id="content" data-pagefind-body>', new='<main id="content" data-pagefind-body>\n<img src="{{ root }}static/x.svg" alt="Trattamento indolore">')
    changes["templates/static/x.svg"] = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    report = checked(tmp_path, changes)
    found = [f.split("\n")[0] for f in errors(report, "claims")]
    html = (tmp_path / "site/it/il-trattamento/index.html").read_text()
    line = line_of(html, f'<img src="../../{asset(tmp_path / "site", "static/x.svg")}"')
    assert f'it/il-trattamento/index.html:{line}: "indolore": Nessun trattamento con aghi si può promettere senza dolore.' in found
    assert len(found) == 3   # the three Italian pages


def test_russian_pages_must_carry_the_contraindications_warning(tmp_path):
    po = (REPO / "content/ru/messages.po").read_text(encoding="utf-8")
    po = po.replace('msgstr "Имеются противопоказания. Необходима консультация специалиста."', 'msgstr "Есть ограничения."')
    report = checked(tmp_path, {"content/ru/messages.po": po})
    found = [f.split("\n")[0] for f in errors(report, "claims")]
    assert "content/ru/index.md: the page does not show \"имеются противопоказания\": Реклама медицинских услуг " \
           "должна сопровождаться предупреждением о наличии противопоказаний и о необходимости получения " \
           "консультации специалистов (38-ФЗ, ст. 24, ч. 7)." in found
    assert len(found) == 6   # both phrases on the three Russian pages


def test_missing_claims_list(tmp_path):
    report = checked(tmp_path, {"content/en/claims.yaml": None})
    assert errors(report, "claims") == [
        "content/en/claims.yaml: the en list of forbidden claims is missing\n"
        "    Copy content/it/claims.yaml here and translate its phrases."]


@pytest.mark.parametrize("phrase, text, found", [
    ("indolor*", "Un trattamento Indolore.", ["Indolore"]),
    ("indolor*", "Un dolore lieve.", []),
    ("senza dolore", "senza\u00a0 dolore", ["senza\u00a0 dolore"]),
    ("the best", "the bestseller", []),
    ("№ 1", "клиника № 1 в городе", ["№ 1"]),
    ("100%", "sicuro al 100%.", ["100%"]),
])
def test_phrases_match_whole_words(phrase, text, found):
    assert [m.group(0) for m in phrase_pattern(phrase).finditer(text)] == found


# -- consistency ------------------------------------------------------------------------------

def test_numbers_typed_in_prose(tmp_path):
    text, line = with_line("it", "treatment.md", "Di solito 10 sedute, a volte 14 sedute; raramente 11. Dal 2026.")
    report = checked(tmp_path, {IT_TREATMENT: text})
    hint = '\n    Write {{ fact("course.sessions") }} instead of typing the number.'
    assert errors(report, "consistency") == sorted([
        f'{IT_TREATMENT}:{line}: the number typed in "10 sedute" is a number of the fact course.sessions '
        "(10–12\u00a0sedute)" + hint,
        f'{IT_TREATMENT}:{line}: the number typed in "11" lies within the fact course.sessions (10–12\u00a0sedute)' + hint,
        f'{IT_TREATMENT}:{line}: the number typed in "14 sedute" differs from the fact course.sessions '
        "(10–12\u00a0sedute)" + hint,
    ])


def test_numbers_typed_in_a_markdown_table(tmp_path):
    text, line = with_line("it", "treatment.md", "| Che cosa | Quante |\n|---|---|\n| Sedute | 12 |")
    report = checked(tmp_path, {IT_TREATMENT: text})
    assert [e.split("\n")[0] for e in errors(report, "consistency")] == [
        f'{IT_TREATMENT}:{line + 2}: the number typed in "12" is a number of the fact course.sessions (10–12\u00a0sedute)']


def test_fact_missing_from_a_translation(tmp_path):
    en = page_text("en", "treatment.md").replace(", every {{ fact('interval') }}", "")
    report = checked(tmp_path, {"content/en/treatment.md": en})
    assert errors(report, "consistency") == [
        'content/en/treatment.md: the fact "interval" is shown by the Italiano page (content/it/treatment.md) but '
        "not by this English page\n    Translations must carry the same facts: use the same fact calls as "
        "content/it/treatment.md."]


# -- the command ------------------------------------------------------------------------------

def test_check_command_prints_one_table_and_fails_on_warnings_only_when_strict(tmp_path, capsys):
    root = make_site(tmp_path / "project", BASE)
    assert main(["--root", str(root), "check", "--out", str(tmp_path / "site")]) == 0
    printed = capsys.readouterr()
    assert printed.out.startswith("check            errors warnings\nbuild                 0        0\n")
    assert "content/en/treatment.md" in printed.out and "Flesch reading ease" in printed.out
    assert "Check passed: 0 errors" in printed.out
    assert "warning: [readability] content/en/index.md: Flesch reading ease is" in printed.err
    assert main(["--root", str(root), "check", "--strict", "--out", str(tmp_path / "site")]) == 1
    assert "Check FAILED: 0 errors" in capsys.readouterr().out


def test_check_command_fails_on_errors(tmp_path, capsys):
    text, line = with_line("it", "treatment.md", "Un trattamento indolore.")
    root = make_site(tmp_path / "project", {**BASE, IT_TREATMENT: text})
    assert main(["--root", str(root), "check", "--out", str(tmp_path / "site")]) == 1
    printed = capsys.readouterr()
    assert f'error: [claims] {IT_TREATMENT}:{line}: "indolore"' in printed.err
    assert "claims                1        0" in printed.out


# -- the real site ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(review.TODAY_VARIABLE, TODAY)
        result = build(REPO, tmp_path_factory.mktemp("real") / "site")
        return result, check_site(result.site, dict(result.files), result.warnings)


def test_real_site_passes_every_check(real):
    _result, report = real
    assert [str(p) for _check, p in report.errors()] == []
    languages = {page.language for page, _stats, scores in report.scores if scores}
    assert languages == set(LANGS)


def test_real_faq_page_carries_its_questions_as_json_ld(real):
    result, _report = real
    files = dict(result.files)
    for lang in LANGS:
        page = result.site.page(lang, "faq")
        doc = parse_html(page.output_path, files[page.output_path].decode())
        graph = {n["@type"]: n for n in json.loads(doc.find("script").raw_text())["@graph"]}
        questions = [q["name"] for q in graph["FAQPage"]["mainEntity"]]
        assert questions == [s.find("h2").text() for s in doc.find_all("details", data_item=True)]
        assert len(questions) == len(result.site.facts.facts["faq"].items)
