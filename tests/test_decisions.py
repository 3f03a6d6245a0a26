"""Issue 10: the clinic speaks with one voice. A fact whose sources disagree carries `variants` and the
clinic's `decision`; pages show the decision only, sources as titled references (never ids), and a
translation never as a second source; the build warns per unconfirmed decision and `check --strict`
fails on them; the review report shows the doctor what to confirm and where.

Bad input is generated (Hypothesis) per kind: unknown keys, unknown reviewers, wrong value kinds and
statuses; each gives its exact path:line message, exit code 1, no traceback, and leaves the previous
site byte-identical."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from siteassertions import tree_bytes
from sitefiles import FACTS_YAML, REPO, SITE_YAML, WORDS, make_site

from patientsite.cli import main
from patientsite.load.config import load_config
from patientsite.load.facts import load_facts

LANGS = ("it", "en", "ru")
GENERATED = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}   # YAML 1.1 reads these as values
KEY = st.from_regex(r"[a-z][a-z_]{0,14}", fullmatch=True).filter(lambda k: k not in YAML_WORDS)
SESSIONS_DECISION = ("    decision:\n      range: [10, 12]\n      status: confirmed\n      reviewer: test-reviewer\n"
                     "      date: 2026-11-20\n")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


class Project:
    """The small site, built once; each bad input is written over its files, built, and undone."""

    def __init__(self, root: Path):
        self.root = make_site(root / "project")
        self.out = root / "site"
        assert run("--root", str(self.root), "build", "--out", str(self.out))[0] == 0
        self.before = tree_bytes(self.out)

    def fails_with(self, changes: dict[str, str], expected: str) -> str:
        saved = {rel: (self.root / rel).read_text(encoding="utf-8") for rel in changes}
        try:
            for rel, text in changes.items():
                (self.root / rel).write_text(text, encoding="utf-8")
            code, _, err = run("--root", str(self.root), "build", "--out", str(self.out))
        finally:
            for rel, text in saved.items():
                (self.root / rel).write_text(text, encoding="utf-8")
        assert code == 1, err
        assert expected in err, err
        assert "Traceback" not in err
        assert err.rstrip().endswith("Nothing was published: the previous site is unchanged.")
        assert tree_bytes(self.out) == self.before
        return err


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    return Project(tmp_path_factory.mktemp("decisions"))


def facts_with(old: str, new: str) -> dict[str, str]:
    assert FACTS_YAML.count(old) == 1, old
    return {"content/facts.yaml": FACTS_YAML.replace(old, new)}


# -- generated bad input ------------------------------------------------------------------------

@GENERATED
@given(key=KEY.filter(lambda k: k not in {"range", "value", "status", "reviewer", "date", "rationale"}))
def test_an_unknown_key_in_a_decision(project, key):
    project.fails_with(facts_with("      date: 2026-11-20\n      rationale: Pain",
                                  f"      date: 2026-11-20\n      {key}: x\n      rationale: Pain"),
                       f'error: content/facts.yaml:31: unknown key "{key}" in the decision on fact "procedure.pain"\n')


@GENERATED
@given(key=KEY.filter(lambda k: k not in {"range", "value", "unit", "says", "sources"}))
def test_an_unknown_key_in_a_variant(project, key):
    project.fails_with(facts_with("        says: от 8 до 12 сеансов\n", f"        says: от 8 до 12 сеансов\n        {key}: x\n"),
                       f'error: content/facts.yaml:14: unknown key "{key}" in variant 2 of fact "course.sessions"\n')


@GENERATED
@given(key=KEY.filter(lambda k: k not in {"variants", "decision", "unit", "statement", "critical", "not_on_pages",
                                          "value", "range", "items", "sources"}))
def test_an_unknown_key_in_a_fact_with_variants(project, key):
    project.fails_with(facts_with("    statement: true\n", f"    statement: true\n    {key}: x\n"),
                       f'error: content/facts.yaml:22: unknown key "{key}" in fact "procedure.pain"\n')


@GENERATED
@given(key=KEY.filter(lambda k: k not in {"file", "language", "title", "translation_of"}))
def test_an_unknown_key_in_a_document(project, key):
    project.fails_with(facts_with("title: Документ Б}", f"title: Документ Б, {key}: x}}"),
                       f'error: content/facts.yaml:3: unknown key "{key}" in document "doc-b"\n')


@GENERATED
@given(key=KEY.filter(lambda k: k not in {"label", "text"}))
def test_an_unknown_key_in_a_statements_words(project, key):
    text = WORDS["ru"]
    old = "  procedure.pain: {label: боль, text: Может быть немного больно.}"
    assert text.count(old) == 1
    project.fails_with({"content/ru/words.yaml": text.replace(old, old[:-1] + f", {key}: x}}")},
                       f'error: content/ru/words.yaml:11: unknown key "{key}" in the words for "procedure.pain"\n')


@GENERATED
@given(key=KEY.filter(lambda k: k not in {"id", "name", "title", "role", "it", "en", "ru"}))
def test_an_unknown_key_for_the_reviewer(project, key):
    project.fails_with({"site.yaml": SITE_YAML.replace("  title: doctor_title\n", f"  title: doctor_title\n  {key}: x\n")},
                       f'error: site.yaml:12: unknown key "{key}" in "reviewer"\n')


@GENERATED
@given(doc=st.from_regex(r"doc-[a-z0-9]{1,4}", fullmatch=True).filter(lambda d: d not in ("doc-a", "doc-b")))
def test_a_title_for_an_unknown_document(project, doc):
    project.fails_with({"content/it/words.yaml": WORDS["it"].replace("sources:\n", f"sources:\n  {doc}: Titolo\n")},
                       f'error: content/it/words.yaml:8: a title for an unknown document "{doc}"\n')


@GENERATED
@given(reviewer=st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True).filter(lambda r: r != "test-reviewer" and r not in YAML_WORDS))
def test_a_decision_by_an_unknown_reviewer(project, reviewer):
    project.fails_with(facts_with("      reviewer: test-reviewer\n      date: 2026-11-20\n      rationale: The",
                                  f"      reviewer: {reviewer}\n      date: 2026-11-20\n      rationale: The"),
                       f'error: content/facts.yaml:17: the decision on fact "course.sessions" names an unknown '
                       f'reviewer "{reviewer}"\n')


@GENERATED
@given(status=st.text(st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=12)
       .filter(lambda s: s not in ("proposed", "confirmed") and s.strip() == s and not s.isdigit()))
def test_a_decision_with_an_unknown_status(project, status):
    project.fails_with(facts_with("      status: confirmed\n      reviewer: test-reviewer\n      date: 2026-11-20\n      rationale: The",
                                  f"      status: {json.dumps(status, ensure_ascii=False)}\n      reviewer: test-reviewer\n      date: 2026-11-20\n"
                                  "      rationale: The"),
                       f'error: content/facts.yaml:16: the decision on fact "course.sessions" has the status '
                       f'"{status}"\n')


TEXT = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=8)
NOT_A_NUMBER = st.one_of(TEXT, st.booleans(), st.none(), st.lists(st.integers(), max_size=3).filter(lambda v: len(v) != 2),
                         st.dictionaries(st.sampled_from("abc"), st.integers(), max_size=2))


@GENERATED
@given(value=NOT_A_NUMBER)
def test_a_decided_value_that_is_not_a_number(project, value):
    project.fails_with(facts_with("      range: [10, 12]\n", f"      value: {json.dumps(value, ensure_ascii=False)}\n"),
                       'error: content/facts.yaml:15: the value of the decision on fact "course.sessions" must be a '
                       "number\n")


@GENERATED
@given(value=st.one_of(NOT_A_NUMBER, st.lists(st.integers(0, 99), min_size=3, max_size=5),
                       st.lists(st.integers(0, 99), max_size=1), st.lists(TEXT, min_size=2, max_size=2)))
def test_a_decided_range_that_is_not_two_numbers(project, value):
    project.fails_with(facts_with("      range: [10, 12]\n", f"      range: {json.dumps(value, ensure_ascii=False)}\n"),
                       'error: content/facts.yaml:15: the range of the decision on fact "course.sessions" must be two '
                       "numbers\n")


@GENERATED
@given(low=st.integers(0, 999), high=st.integers(0, 999))
def test_a_decided_range_from_high_to_low(project, low, high):
    if low < high:
        low, high = high, low
    project.fails_with(facts_with("      range: [10, 12]\n", f"      range: [{low}, {high}]\n"),
                       'error: content/facts.yaml:15: the range of the decision on fact "course.sessions" must go '
                       "from low to high\n")


@GENERATED
@given(number=st.one_of(st.integers(0, 99).map(lambda n: f"value: {n}"),
                        st.tuples(st.integers(0, 9), st.integers(10, 99)).map(lambda r: f"range: [{r[0]}, {r[1]}]")))
def test_a_statement_decision_with_a_number(project, number):
    project.fails_with(facts_with("    decision:\n      status: confirmed\n      reviewer: test-reviewer\n      date: 2026-11-20\n"
                                  "      rationale: Pain",
                                  f"    decision:\n      {number}\n      status: confirmed\n      reviewer: test-reviewer\n"
                                  "      date: 2026-11-20\n      rationale: Pain"),
                       'error: content/facts.yaml:28: the decision on fact "procedure.pain" gives a number, but the '
                       "fact is a statement\n")


@GENERATED
@given(date=st.one_of(st.text(st.characters(codec="ascii", categories=["L"]), min_size=1, max_size=10),
                      st.integers(0, 10**6).map(str)))
def test_a_decision_date_that_is_not_a_date(project, date):
    project.fails_with(facts_with("      date: 2026-11-20\n      rationale: The", f"      date: \"{date}\"\n      rationale: The"),
                       f'error: content/facts.yaml:18: the date of the decision on fact "course.sessions" is not a '
                       f'date: "{date}"\n')


@pytest.mark.parametrize("kept", [0, 1])
def test_a_decision_needs_two_variants_or_more(project, kept):
    variants = ("      - range: [10, 14]\n        sources: [doc-a]\n        says: da 10 a 14 sedute\n"
                "      - range: [8, 12]\n        sources: [doc-b]\n        says: от 8 до 12 сеансов\n")
    kept_text = "".join(variants.splitlines(keepends=True)[:3 * kept])
    changes = facts_with(variants, kept_text) if kept else facts_with("    variants:\n" + variants, "")
    line = 11 if kept else 7   # the decision: line, after the variants that are left
    project.fails_with(changes, f'error: content/facts.yaml:{line}: fact "course.sessions" has a decision but nothing '
                                f"to decide ({kept} variant{'' if kept == 1 else 's'})\n")


# -- what the pages show ------------------------------------------------------------------------

def _html(out: Path, lang: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((out / lang).rglob("index.html")))


def _sessions(low: int, high: int) -> re.Pattern:
    """A range of sessions as any language shows it ("10–12&nbsp;sedute", "10–12&nbsp;сеансов")."""
    return re.compile(rf"(?<!\d){low}–{high}&nbsp;(sedute|sessions|сеанс)")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bounds=st.lists(st.integers(1, 60), min_size=6, max_size=6, unique=True))
def test_a_decided_number_shows_the_decision_and_never_a_variant(tmp_path_factory, bounds):
    """Random variants and decision (all different): every language shows the decision only."""
    a, b, c = sorted(bounds[:2]), sorted(bounds[2:4]), sorted(bounds[4:])
    assume([2, 4] not in (a, b))    # course.sessions.short shows 2–4 sessions on the same page
    facts = FACTS_YAML.replace("range: [10, 14]", f"range: [{a[0]}, {a[1]}]").replace(
        "range: [8, 12]", f"range: [{b[0]}, {b[1]}]").replace("      range: [10, 12]", f"      range: [{c[0]}, {c[1]}]")
    root = make_site(tmp_path_factory.mktemp("decided"), {"content/facts.yaml": facts})
    out = root.parent / "site"
    assert run("--root", str(root), "build", "--out", str(out))[0] == 0
    for lang in LANGS:
        html = _html(out, lang)
        assert _sessions(*c).search(html), (lang, c)
        for variant in (a, b):
            assert not _sessions(*variant).search(html), (lang, variant)
        assert "da 10 a 14" not in html and "от 8 до 12" not in html   # a variant's words never either


def test_a_statement_shows_its_words_escaped_in_every_language(tmp_path):
    hostile = "Può fare male. <script>alert(1)</script><img src=x onerror=alert(2)> **Chieda** al medico."
    words = WORDS["it"].replace("text: Può fare un po' male.", f"text: {json.dumps(hostile, ensure_ascii=False)}")
    root = make_site(tmp_path / "p", {"content/it/words.yaml": words})
    assert run("--root", str(root), "build", "--out", str(tmp_path / "site"))[0] == 0
    page = (tmp_path / "site/it/il-trattamento/index.html").read_text(encoding="utf-8")
    shown = re.search(r'<span class="fact-statement" data-fact="procedure.pain">(.*?)</span>', page).group(1)
    assert shown.startswith("Può fare male.") and "<strong>Chieda</strong> al medico." in shown
    assert "alert(" not in page and "onerror" not in page
    for lang, text in (("en", "It can hurt a little."), ("ru", "Может быть немного больно.")):
        html = _html(tmp_path / "site", lang)
        assert f'<span class="fact-statement" data-fact="procedure.pain">{text}</span>' in html
    assert "senza dolore" not in _html(tmp_path / "site", "it")   # a variant's words never reach a page


def test_a_translation_is_never_a_second_source(tmp_path):
    facts = FACTS_YAML.replace("facts:\n", "  doc-c: {file: c.txt, language: en, title: Document A, "
                                           "translation_of: doc-a}\nfacts:\n", 1).replace(
        "        sources: [doc-a]\n        says: da 10", "        sources: [doc-a, doc-c]\n        says: da 10")
    root = make_site(tmp_path / "p", {"content/facts.yaml": facts})
    assert run("--root", str(root), "build", "--out", str(tmp_path / "site"))[0] == 0
    page = (tmp_path / "site/en/the-treatment/index.html").read_text(encoding="utf-8")
    sources = re.search(r'<ul class="sources" data-trust="sources">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", sources) == ["Document A (in Italian)", "Document B (in Russian)"]
    report = (root / "reports/review.md").read_text(encoding="utf-8")
    assert "doc-c «Document A» (c.txt, en); doc-c is a translation of doc-a, not a second source" in report
    assert "Distinct source documents: 2 (doc-a, doc-b)." in report


# -- warnings, check --strict and the review report ----------------------------------------------

def test_every_proposed_decision_warns_once_and_the_report_says_where_to_confirm(tmp_path):
    facts = FACTS_YAML.replace("status: confirmed", "status: proposed")
    root = make_site(tmp_path / "p", {"content/facts.yaml": facts})
    code, _, err = run("--root", str(root), "build", "--out", str(tmp_path / "site"))
    assert code == 0
    hint = ("    Ask Tess Test to read it in reports/review.md; once they agree, write status: confirmed on this line "
            "(and the date of their confirmation).\n")
    for line, fact in ((16, "course.sessions"), (28, "procedure.pain")):
        warning = f'warning: content/facts.yaml:{line}: the decision on "{fact}" is proposed, not yet confirmed by the reviewer\n'
        assert err.count(warning) == 1 and warning + hint in err
    report = (root / "reports/review.md").read_text(encoding="utf-8")
    expected = """### course.sessions (content/facts.yaml:5)

What each source says:

- 10–14 sedute: "da 10 a 14 sedute" (content/facts.yaml:8). Source: doc-a «Documento A» (a.txt, it).
- 8–12 sedute: "от 8 до 12 сеансов" (content/facts.yaml:11). Source: doc-b «Документ Б» (b.txt, ru).

Distinct source documents: 2 (doc-a, doc-b).

- Proposal: it: 10–12 sedute; en: 10–12 sessions; ru: 10–12 сеансов
- Rationale: The documents overlap on 10-12 sessions.
- Status: proposed (Tess Test, 2026-11-20)
- Shown on: content/en/treatment.md, content/it/treatment.md, content/ru/treatment.md
- To confirm: set status: confirmed at content/facts.yaml:16 (and the date of the confirmation on the date: line).
"""
    assert expected in report
    assert ('- Proposal: it: "Può fare un po\' male."; en: "It can hurt a little."; ru: "Может быть немного больно."'
            in report)
    assert "- To confirm: set status: confirmed at content/facts.yaml:28" in report
    assert "2 disagreement(s); 2 proposal(s) await the reviewer's confirmation." in report


def test_the_report_names_each_fact_not_on_the_pages_with_its_reason(tmp_path):
    facts = FACTS_YAML.replace("corrections:\n", "  spare.detail:\n    value: 3\n    unit: session\n    sources: [doc-b]\n"
                               "    not_on_pages: Only the doctor needs it.\ncorrections:\n")
    root = make_site(tmp_path / "p", {"content/facts.yaml": facts})
    assert run("--root", str(root), "build", "--out", str(tmp_path / "site"))[0] == 0   # no words needed for it
    report = (root / "reports/review.md").read_text(encoding="utf-8")
    assert ("- `spare.detail` (content/facts.yaml:61): it: 3 sedute; en: 3 sessions; ru: 3 сеанса. Source: "
            "doc-b «Документ Б» (b.txt, ru). Reason: Only the doctor needs it.") in report


def _copy_of_the_real_site(root: Path) -> Path:
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    return root


def test_check_strict_fails_on_each_unconfirmed_proposal_until_confirmed(tmp_path):
    root = _copy_of_the_real_site(tmp_path / "copy")
    facts = load_facts(load_config(root))
    proposals = [f for f in facts.facts.values() if f.decision is not None]
    assert len(proposals) == 7 and not any(f.decision.confirmed for f in proposals)
    code, out, err = run("--root", str(root), "check", "--strict", "--out", str(tmp_path / "out"))
    assert code == 1
    for fact in proposals:
        line = (root / "content/facts.yaml").read_text(encoding="utf-8").splitlines()[fact.decision.status_line - 1]
        assert line.strip() == "status: proposed"
        assert (f'warning: [build] content/facts.yaml:{fact.decision.status_line}: the decision on "{fact.id}" is '
                "proposed, not yet confirmed by the reviewer\n") in err
    example = "warning: [build] site.yaml:5: the clinic's name, address, phone and e-mail are still the shipped examples"
    assert example in err
    before = {line for line in err.splitlines() if line.startswith("warning: [")}
    assert before == {w for w in before if "is proposed, not yet confirmed" in w or w == example}
    assert len(before) == 8          # the seven proposals and the example details, nothing else

    text = (root / "content/facts.yaml").read_text(encoding="utf-8")
    (root / "content/facts.yaml").write_text(text.replace("status: proposed", "status: confirmed"), encoding="utf-8")
    site = (root / "site.yaml").read_text(encoding="utf-8")
    for old, new in (("  example: true\n", ""), ("Clinica Esempio", "Studio Medico Rossi"),
                     ("Via Esempio 1, 00100 Roma RM (esempio)", "Via Nazionale 12, 00184 Roma RM"),
                     ("+39 06 0000 0000", "+39 06 4812 3456"), ("info@clinica-esempio.it", "info@studiorossi.it")):
        assert old in site
        site = site.replace(old, new)
    (root / "site.yaml").write_text(site, encoding="utf-8")
    code, out, err = run("--root", str(root), "check", "--strict", "--out", str(tmp_path / "out"))
    # confirming and replacing the example details remove exactly those warnings: check --strict passes
    assert code == 0 and "warning:" not in err and "error:" not in err, out + err


# -- the real site ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Path:
    root = _copy_of_the_real_site(tmp_path_factory.mktemp("real") / "copy")
    out = root.parent / "site"
    assert run("--root", str(root), "build", "--out", str(out))[0] == 0
    return out


def test_no_internal_document_id_anywhere_in_the_built_site(real):
    found = [f"{path.relative_to(real)}: {match}" for path in sorted(real.rglob("*")) if path.is_file()
             for match in re.findall(r".{0,30}doc-\d+.{0,10}", path.read_text(encoding="utf-8", errors="replace"))]
    assert found == []


def test_the_real_site_shows_decisions_and_never_variants(real):
    facts = load_facts(load_config(REPO))
    expected = {"it": "8–12&nbsp;sedute", "en": "8–12&nbsp;sessions", "ru": "8–12&nbsp;сеансов"}
    variants = {"it": ("10–12&nbsp;sedute", "8–10&nbsp;sedute", "2–6&nbsp;sedute"),
                "en": ("10–12&nbsp;sessions", "8–10&nbsp;sessions", "2–6&nbsp;sessions"),
                "ru": ("10–12&nbsp;сеансов", "8–10&nbsp;сеансов", "2–6&nbsp;сеансов")}
    for lang in LANGS:
        html = _html(real, lang)
        assert f'<span class="fact" data-fact="course.sessions">{expected[lang]}</span>' in html
        assert [v for v in variants[lang] if v in html] == []
        for fact in facts.disagreements:
            for variant in fact.variants:
                assert variant.says not in html, (lang, fact.id)
            if fact.statement:
                assert f'data-fact="{fact.id}"' in html, (lang, fact.id)


@pytest.mark.parametrize("lang, reviewer, name", [("it", "Dott.ssa", "Anna Esempio"), ("en", "Dr", "Anna Esempio"),
                                                  ("ru", "д-р", "Анна Эсемпио")])
def test_the_reviewer_is_named_with_a_title_in_the_readers_words(real, lang, reviewer, name):
    for path in sorted((real / lang).rglob("index.html")):
        if path.parent.name in ("leaflet", "search"):     # no JSON-LD or text of their own to review
            continue
        html = path.read_text(encoding="utf-8")
        assert (f'<span data-trust="reviewer-title">{reviewer}</span>&nbsp;'
                f'<span data-trust="reviewer-name">{name}</span>') in html
        assert lang == "it" or "Dott.ssa" not in html
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        page = next(n for n in data["@graph"] if n["@type"] == "MedicalWebPage")
        assert (page["reviewedBy"]["honorificPrefix"], page["reviewedBy"]["name"]) == (reviewer, name)


@pytest.mark.parametrize("lang, pages", [("it", ("effetti-collaterali", "controindicazioni")),
                                         ("en", ("side-effects", "contraindications")),
                                         ("ru", ("pobochnye-effekty", "protivopokazaniya"))])
def test_the_help_box_gives_the_clinics_phone_and_the_emergency_number(real, lang, pages):
    for slug in pages:
        html = (real / lang / slug / "index.html").read_text(encoding="utf-8")
        box = re.search(r'<aside class="help-box" role="note" data-help="box">(.*?)</aside>', html, re.S).group(1)
        assert '<a href="tel:+390600000000">+39 06 0000 0000</a>' in box
        assert re.search(r"\b112\b", box) and "<h2>" in box


def test_check_names_a_fact_that_is_on_no_page_and_not_marked(tmp_path):
    spare = "  spare.detail:\n    value: 3\n    unit: session\n    sources: [doc-b]\n"
    changes = {"content/facts.yaml": FACTS_YAML.replace("corrections:\n", spare + "corrections:\n")}
    for lang in LANGS:
        changes[f"content/{lang}/words.yaml"] = WORDS[lang] + "  spare.detail: spare\n"
    root = make_site(tmp_path / "p", changes)
    code, out, err = run("--root", str(root), "check", "--out", str(tmp_path / "out"))
    assert code == 1
    assert ('error: [consistency] content/facts.yaml:61: the fact "spare.detail" is shown on no page\n'
            '    Show it on a page with {{ fact("spare.detail") }}, or add not_on_pages: "the reason" so the review '
            "report names it for the doctor.") in err
    facts = changes["content/facts.yaml"].replace(spare, spare + "    not_on_pages: Only the doctor needs it.\n")
    (root / "content/facts.yaml").write_text(facts, encoding="utf-8")
    code, out, err = run("--root", str(root), "check", "--out", str(tmp_path / "out"))
    assert "shown on no page" not in err     # the small site fails other checks (no claims lists)


YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from("abc"), inner, max_size=2)),
    max_leaves=6)
FIELDS = {   # a line of the small site's facts.yaml -> the same line with {value}
    "a decision's reviewer": ("      reviewer: test-reviewer\n      date: 2026-11-20\n      rationale: The",
                              "      reviewer: {value}\n      date: 2026-11-20\n      rationale: The"),
    "a decision's status": ("      status: confirmed\n      reviewer: test-reviewer\n      date: 2026-11-20\n      rationale: Pain",
                            "      status: {value}\n      reviewer: test-reviewer\n      date: 2026-11-20\n      rationale: Pain"),
    "a decision's range": ("      range: [10, 12]\n", "      range: {value}\n"),
    "a variant's sources": ("        sources: [doc-b]\n        says: от 8", "        sources: {value}\n        says: от 8"),
    "a variant's range": ("      - range: [8, 12]\n", "      - range: {value}\n"),
    "a variant's says": ("        says: от 8 до 12 сеансов\n", "        says: {value}\n"),
    "a document's translation_of": ("title: Документ Б}", "title: Документ Б, translation_of: {value}}}"),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(sorted(FIELDS)), value=YAML_VALUES)
def test_any_wrong_kind_of_value_is_a_located_error_never_a_traceback(project, field, value):
    valid = {"a decision's reviewer": ["test-reviewer"], "a decision's status": ["proposed", "confirmed"],
             "a variant's sources": [["doc-a"], ["doc-b"], ["doc-a", "doc-b"], ["doc-b", "doc-a"]],
             "a document's translation_of": ["doc-a"]}.get(field, [])
    is_range = isinstance(value, list) and len(value) == 2 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value) and value[0] < value[1]
    assume(value not in valid and not (field.endswith("range") and is_range))
    assume(not (field.endswith("says") and isinstance(value, str) and value.strip()))   # any words are a quotation
    old, new = FIELDS[field]
    line = new.format(value=json.dumps(value, ensure_ascii=False))
    project.fails_with(facts_with(old, line), "error: content/facts.yaml:")


OTHER_FIELDS = {   # file -> (a line of the small site, the same line with {value})
    "a statement's text": ("content/en/words.yaml", "{label: pain, text: It can hurt a little.}",
                           "{{label: pain, text: {value}}}"),
    "a statement's words": ("content/en/words.yaml", "{label: pain, text: It can hurt a little.}", "{value}"),
    "a source's title": ("content/ru/words.yaml", "  doc-b: Документ Б (на русском)\n", "  doc-b: {value}\n"),
    "the reviewer's id": ("site.yaml", "  id: test-reviewer\n", "  id: {value}\n"),
    "the reviewer's title": ("site.yaml", "  title: doctor_title\n", "  title: {value}\n"),
    "the emergency number": ("site.yaml", '  emergency_number: "112"\n', "  emergency_number: {value}\n"),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(sorted(OTHER_FIELDS)), value=YAML_VALUES)
def test_any_wrong_kind_of_words_or_settings_is_a_located_error(project, field, value):
    rel, old, new = OTHER_FIELDS[field]
    text = (project.root / rel).read_text(encoding="utf-8")
    assume(not (isinstance(value, str) and value.strip()))       # a line of text is fine for words and titles
    assume(not (isinstance(value, int) and not isinstance(value, bool) and field == "the emergency number"))
    assert text.count(old) == 1
    project.fails_with({rel: text.replace(old, new.format(value=json.dumps(value, ensure_ascii=False)))},
                       f"error: {rel}:")
