"""Invalid sites, each with the exact message it must give (Zola's invalid.rs, MkDocs' log tests).

Every message names path:line and what to do; all errors of a stage come together; no traceback;
the previous site/ stays untouched."""

from __future__ import annotations

import re

import pytest
from sitefiles import FACTS_YAML, SITE_YAML, WORDS, make_site, page_text

from patientsite.cli import main

IT_TREATMENT = page_text("it", "treatment.md")


def _facts(old: str, new: str) -> dict:
    assert FACTS_YAML.count(old) == 1, old
    return {"content/facts.yaml": FACTS_YAML.replace(old, new)}


def _words(lang: str, old: str, new: str) -> dict:
    assert WORDS[lang].count(old) == 1, old
    return {f"content/{lang}/words.yaml": WORDS[lang].replace(old, new)}


PAIN_DECISION = "      reviewer: test-reviewer\n      date: 2026-11-20\n      rationale: Pain"
SESSIONS_STATUS = "      status: confirmed\n      reviewer: test-reviewer\n      date: 2026-11-20\n      rationale: The"

CASES = {
    "yaml-syntax": (
        {"content/facts.yaml": "documents:\n  doc-a: {file: a.txt\nfacts: {}\n"},
        "error: content/facts.yaml:2:10: YAML syntax error: a bracket opened here is never closed (the parser noticed on line 3)\n",
    ),
    "duplicate-key": (
        {"site.yaml": "base_url: https://a.example/\n" + __import__("sitefiles").SITE_YAML},
        'error: site.yaml:2:1: duplicate key "base_url" (first given on line 1)\n'
        "    Keep one of the two; YAML would silently use the last one.",
    ),
    "unknown-config-key": (
        {"site.yaml": __import__("sitefiles").SITE_YAML.replace("clinic:\n", "colour: blue\nclinic:\n")},
        'error: site.yaml:2: unknown key "colour" in site.yaml\n'
        "    Allowed keys: base_url, clinic, languages, menu, review, reviewer.",
    ),
    "unknown-front-matter-key": (
        {"content/it/treatment.md": IT_TREATMENT.replace("nav_title: Il trattamento", "nav_title: Il trattamento\ntitel: Sbagliato")},
        'error: content/it/treatment.md:7: unknown key "titel" in the front matter\n'
        '    did you mean "title"? Allowed keys: aliases, critical, description, draft, key, nav_title, reviewed, slug, sources, title, untranslated.',
    ),
    "missing-front-matter-key": (
        {"content/it/treatment.md": IT_TREATMENT.replace("description: Come si svolge\n", "")},
        'error: content/it/treatment.md:2: the front matter is missing the required key "description"\n'
        '    Add "description: ..." here.',
    ),
    "unknown-fact": (
        {"content/it/treatment.md": IT_TREATMENT.replace('fact("course.sessions")', 'fact("course.sesions")')},
        'error: content/it/treatment.md:9: unknown fact "course.sesions"\n'
        '    did you mean "course.sessions"? Facts are defined in content/facts.yaml.',
    ),
    "missing-words": (
        {"content/ru/words.yaml": __import__("sitefiles").WORDS["ru"].replace("  interval: интервал между сеансами\n", "")},
        'error: content/ru/words.yaml:10: no ru words for the fact "interval"\n'
        "    Add a label under facts: (copy the entry from content/it/words.yaml).",
    ),
    "missing-item-words": (
        {"content/en/words.yaml": __import__("sitefiles").WORDS["en"].replace("      allergy: {label: Allergy, reason: The substances are active.}\n", "")},
        'error: content/en/words.yaml:21: no en words for item "allergy" of "contraindications"\n'
        "    Add label, reason for it.",
    ),
    "russian-plural-missing": (
        {"content/ru/words.yaml": __import__("sitefiles").WORDS["ru"].replace("few: сеанса, ", "")},
        'error: content/ru/words.yaml:2: unit "session" lacks the plural form(s) few\n'
        "    ru needs the forms few, many, one, other (e.g. Russian: 1 сеанс, 2 сеанса, 5 сеансов, 1,5 сеанса).",
    ),
    "duplicate-slug": (
        {"content/it/contraindications.md": page_text("it", "contraindications.md").replace("slug: controindicazioni", "slug: il-trattamento")},
        'error: content/it/treatment.md:5: slug "il-trattamento" is already used by content/it/contraindications.md\n'
        "    Give each it page its own slug.",
    ),
    "duplicate-key-page": (
        {"content/en/contraindications.md": page_text("en", "contraindications.md").replace("key: contraindications", "key: treatment")},
        'error: content/en/treatment.md:4: key "treatment" is already used by content/en/contraindications.md\n'
        "    Give each en page its own key.",
    ),
    "slug-escapes": (
        {"content/ru/treatment.md": page_text("ru", "treatment.md").replace("slug: procedura", "slug: ../../etc")},
        'error: content/ru/treatment.md:5: slug "../../etc" may only use a-z, 0-9 and single "-"\n'
        '    Write the slug like "il-trattamento": no "/", "..", spaces, accents or capitals.',
    ),
    "slug-with-slash": (
        {"content/en/treatment.md": page_text("en", "treatment.md").replace("slug: the-treatment", "slug: a/b")},
        'error: content/en/treatment.md:5: slug "a/b" may only use a-z, 0-9 and single "-"\n'
        '    Write the slug like "il-trattamento": no "/", "..", spaces, accents or capitals.',
    ),
    "template-syntax": (
        {"templates/facts/table.html": "<table>\n{% for row in rows %}\n<tr>{{ row.label }</tr>\n{% endfor %}\n</table>\n"},
        "error: templates/facts/table.html:3: TemplateSyntaxError: unexpected '}'\n"
        "    Check the template tags and names on this line; unknown names are errors, never blanks.",
    ),
    "template-undefined": (
        {"templates/facts/table.html": "<table>\n{% for row in rows %}\n<tr>{{ row.lable }}</tr>\n{% endfor %}\n</table>\n"},
        "error: templates/facts/table.html:3: UndefinedError: 'dict object' has no attribute 'lable'\n"
        "    Check the template tags and names on this line; unknown names are errors, never blanks.",
    ),
    "page-unknown-name": (
        {"content/it/treatment.md": IT_TREATMENT + "\n{{ clinic_name }}\n"},
        'error: content/it/treatment.md:19: unknown name "clinic_name"\n'
        "    Pages may use: fact, fact_faq, fact_list, fact_table, help_box, link.",
    ),
    "page-without-a-source": (
        {"content/ru/extra.md": "---\ntitle: Ещё\ndescription: Ещё одна страница\nkey: extra\nslug: eshche\n"
                                "reviewed: 2026-11-20\n---\nТекст страницы на русском языке для пациентов клиники.\n"},
        'error: content/ru/extra.md:4: the page "extra" has no original in content/it/ (the source language)\n'
        "    Write the Italiano page first (key: extra), or correct this page's key.",
    ),
}

# The decision layer (issue 10): every rule of docs/content-format.md "Where the sources disagree".
CASES.update({
    "decision-unknown-key": (
        _facts("      rationale: Pain is", "      approver: boss\n      rationale: Pain is"),
        'error: content/facts.yaml:31: unknown key "approver" in the decision on fact "procedure.pain"\n'
        "    Allowed keys: date, range, rationale, reviewer, status, value.",
    ),
    "variant-unknown-key": (
        _facts("        says: da 10 a 14 sedute", "        sayz: da 10 a 14 sedute"),
        'error: content/facts.yaml:10: unknown key "sayz" in variant 1 of fact "course.sessions"\n'
        '    did you mean "says"? Allowed keys: range, says, sources, unit, value.',
    ),
    "decision-unknown-reviewer": (
        _facts(PAIN_DECISION, PAIN_DECISION.replace("test-reviewer", "test-reviewr")),
        'error: content/facts.yaml:29: the decision on fact "procedure.pain" names an unknown reviewer "test-reviewr"\n'
        '    did you mean "test-reviewer"? Use the reviewer\'s id from site.yaml (reviewer: id:): test-reviewer.',
    ),
    "statement-decision-with-a-range": (
        _facts("      status: confirmed\n" + PAIN_DECISION, "      range: [1, 2]\n      status: confirmed\n" + PAIN_DECISION),
        'error: content/facts.yaml:28: the decision on fact "procedure.pain" gives a number, but the fact is a statement\n'
        "    A statement's decided words go in content/<lang>/words.yaml under facts: (label:, text:); remove the "
        "number here, or remove statement: true.",
    ),
    "number-decision-without-a-value": (
        _facts("      range: [10, 12]\n", ""),
        "1 error while reading the facts:\n"
        'error: content/facts.yaml:14: the decision on fact "course.sessions" gives no value\n'
        "    Add range: [low, high] or value: N: the number the clinic publishes.\n"
        "Nothing was published",
    ),
    "statement-with-a-range": (
        _facts("  course.sessions.short:\n    range: [2, 4]", "  course.sessions.short:\n    statement: true\n    range: [2, 4]"),
        "1 error while reading the facts:\n"
        'error: content/facts.yaml:34: fact "course.sessions.short" is a statement but has range:\n'
        "    A statement's words are in words.yaml (label:, text:); remove range: here, or remove statement: true.",
    ),
    "variant-without-sources": (
        _facts("        sources: [doc-b]\n        says: от 8", "        says: от 8"),
        'error: content/facts.yaml:11: variant 2 of fact "course.sessions" names no source document\n'
        "    Add sources: [doc-...] naming the document(s) that say it.",
    ),
    "number-variant-without-a-number": (
        _facts("      - range: [8, 12]\n        sources: [doc-b]", "      - sources: [doc-b]"),
        'error: content/facts.yaml:11: variant 2 of fact "course.sessions" gives no number\n'
        "    Add range: [low, high] or value: N: what this source says.",
    ),
    "decision-without-variants": (
        _facts("    sources: [doc-b]\n  point.volume:", "    sources: [doc-b]\n    decision: {status: proposed, "
               "reviewer: test-reviewer, date: 2026-11-20, rationale: Why.}\n  point.volume:"),
        "1 error while reading the facts:\n"
        'error: content/facts.yaml:36: fact "course.sessions.short" has a decision but nothing to decide (0 variants)\n'
        "    A decision chooses between two or more variants: add each source's variant under variants:, or remove "
        "decision: and give the fact's value and sources.",
    ),
    "decision-on-one-variant": (
        _facts("      - says: может быть больно\n        sources: [doc-b]\n", ""),
        'error: content/facts.yaml:25: fact "procedure.pain" has a decision but nothing to decide (1 variant)\n',
    ),
    "variants-without-a-decision": (
        _facts("    decision:\n      status: confirmed\n" + PAIN_DECISION + " is a common side effect.\n", ""),
        "1 error while reading the facts:\n"
        'error: content/facts.yaml:22: fact "procedure.pain" has variants but no decision\n'
        "    Add decision: with the value the clinic publishes (for a statement, its words go in words.yaml), "
        "status: proposed, reviewer:, date: and rationale:.",
    ),
    "variants-and-an-own-value": (
        _facts("  course.sessions:\n    unit: session\n",
               "  course.sessions:\n    unit: session\n    range: [10, 12]\n    sources: [doc-a]\n"),
        'error: content/facts.yaml:7: fact "course.sessions" has both variants and its own range, sources\n'
        "    With variants, each source's value and sources go in its variant and the published value in decision:; "
        "remove range, sources here, or remove variants:.",
    ),
    "decision-status-unknown": (
        _facts(SESSIONS_STATUS, SESSIONS_STATUS.replace("confirmed", "approved")),
        'error: content/facts.yaml:16: the decision on fact "course.sessions" has the status "approved"\n'
        "    Write status: proposed (the editor's proposal) or status: confirmed (the reviewer agreed).",
    ),
    "decision-date-not-a-date": (
        _facts(SESSIONS_STATUS, SESSIONS_STATUS.replace("2026-11-20", "soon")),
        'error: content/facts.yaml:18: the date of the decision on fact "course.sessions" is not a date: "soon"\n'
        "    Write it as YYYY-MM-DD, e.g. date: 2026-11-28.",
    ),
    "decision-without-a-rationale": (
        _facts("      rationale: The documents overlap on 10-12 sessions.", "      rationale: ''"),
        'error: content/facts.yaml:19: the rationale of the decision on fact "course.sessions" is empty\n'
        '    Write in one line why the clinic publishes this: rationale: "...".',
    ),
    "translation-of-an-unknown-document": (
        _facts("title: Документ Б}", "title: Документ Б, translation_of: doc-c}"),
        "1 error while reading the facts:\n"
        'error: content/facts.yaml:3: document "doc-b" is a translation of "doc-c", which is not an original '
        "document listed here\n"
        '    did you mean "doc-a"? Name the original document it translates (one that is not itself a translation).',
    ),
    "statement-words-without-text": (
        _words("en", "{label: pain, text: It can hurt a little.}", "{label: pain}"),
        'error: content/en/words.yaml:11: the words for the statement "procedure.pain" need text:\n'
        "    Write label: (a short label) and text: (the statement as patients read it).",
    ),
    "title-for-an-unknown-document": (
        _words("en", "  doc-b: Document B (in Russian)\n", "  doc-b: Document B (in Russian)\n  doc-c: Document C\n"),
        'error: content/en/words.yaml:10: a title for an unknown document "doc-c"\n'
        '    did you mean "doc-b"? Documents are listed in content/facts.yaml.',
    ),
    "title-for-a-translation": (
        {**_facts("facts:\n", "  doc-c: {file: c.txt, language: en, title: Document A, translation_of: doc-a}\nfacts:\n"),
         **_words("en", "  doc-b: Document B (in Russian)\n", "  doc-b: Document B (in Russian)\n  doc-c: Document A\n")},
        'error: content/en/words.yaml:10: "doc-c" is a translation of "doc-a": pages never list it\n'
        "    Delete this line; the title of doc-a stands for both.",
    ),
    "missing-source-title": (
        _words("ru", "  doc-b: Документ Б (на русском)\n", ""),
        'error: content/ru/words.yaml:7: no Русский title for the source document "doc-b"\n'
        '    Add under sources: doc-b: "..." (the title patients read, with the language of the document: '
        "Документ Б, ru).",
    ),
    "not-on-pages-fact-on-a-page": (
        _facts("    sources: [doc-b]\n  interval:", "    sources: [doc-b]\n    not_on_pages: A detail the doctor chooses.\n  interval:"),
        'error: content/it/treatment.md:11: "point.volume" is marked not_on_pages (content/facts.yaml:36): '
        "no page may show it\n"
        "    Remove this call, or remove not_on_pages: from the fact in content/facts.yaml.",
    ),
    "statement-in-a-fact-list": (
        {"content/it/treatment.md": IT_TREATMENT.replace("{{ fact('procedure.pain') }}", "\n\n{{ fact_list('procedure.pain') }}\n\n")},
        'error: content/it/treatment.md:13: "procedure.pain" is a statement; use fact()\n'
        '    Write {{ fact("procedure.pain") }}.',
    ),
    "help-box-with-a-name": (
        {"content/it/treatment.md": IT_TREATMENT.replace("## Details", "{{ help_box('x') }}\n\n## Details")},
        "error: content/it/treatment.md:15: help_box() takes nothing between its brackets\n"
        "    Write {{ help_box() }}.",
    ),
    "reviewer-without-id-and-title": (
        {"site.yaml": SITE_YAML.replace("  id: test-reviewer\n", "").replace("  title: doctor_title\n", "")},
        'error: site.yaml:9: "reviewer" is missing the required key "id"\n    Add "id: ..." here.\n'
        "error: site.yaml:9: the reviewer has no title\n"
        '    Add "title: TERM" under reviewer: (a term of every words.yaml), or the words under each language: '
        "reviewer: it: title: ...",
    ),
    "clinic-without-emergency-number": (
        {"site.yaml": SITE_YAML.replace('  emergency_number: "112"\n', "")},
        "error: site.yaml:3: the clinic has no emergency number\n"
        '    Add "emergency_number: ..." under clinic: (the same in every language), or under each language\'s '
        "block (clinic: it: ...).",
    ),
    "emergency-number-in-words": (
        {"site.yaml": SITE_YAML.replace('emergency_number: "112"', 'emergency_number: "the emergency number"')},
        'error: site.yaml:7: the emergency number "the emergency number" is not a telephone number\n'
        '    Write the digits in quotes, e.g. emergency_number: "112".',
    ),
    "reviewer-title-without-words": (
        _words("ru", "  doctor_title: д-р\n", ""),
        'error: content/ru/words.yaml:3: no ru words for the term "doctor_title"\n'
        "    Add under terms: doctor_title: ...",
    ),
})


@pytest.mark.parametrize("name", sorted(CASES))
def test_invalid_site_gives_its_message_and_keeps_the_previous_site(name, tmp_path, capsys):
    changes, expected = CASES[name]
    root = make_site(tmp_path / "project")
    out = tmp_path / "site"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()
    make_site(tmp_path / "broken", changes)
    assert main(["--root", str(tmp_path / "broken"), "build", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err
    assert err.rstrip().endswith("Nothing was published: the previous site is unchanged.")
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_all_errors_of_a_stage_are_reported_together(tmp_path, capsys):
    broken = IT_TREATMENT.replace('fact("course.sessions")', 'fact("nope.one")').replace(
        "fact('point.volume')", "fact('nope.two')")
    root = make_site(tmp_path / "p", {"content/it/treatment.md": broken,
                                     "content/ru/index.md": page_text("ru", "index.md").replace("link('treatment')", "link('treatmnt')")})
    assert main(["--root", str(root), "build", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert 'content/it/treatment.md:9: unknown fact "nope.one"' in err
    assert 'content/it/treatment.md:11: unknown fact "nope.two"' in err
    assert 'content/ru/index.md:7: link to an unknown page "treatmnt"' in err
    assert err.startswith("3 errors while assembling the site:")
    assert not (tmp_path / "out").exists()


def test_reading_errors_across_files_come_together(tmp_path, capsys):
    root = make_site(tmp_path / "p", {
        "content/it/treatment.md": IT_TREATMENT.replace("nav_title: Il trattamento", "nav_title: Il trattamento\nbogus: 1"),
        "content/en/treatment.md": page_text("en", "treatment.md").replace("reviewed: 2026-11-20", "reviewed: yesterday"),
    })
    assert main(["--root", str(root), "build", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("2 errors while reading the pages:")
    assert 'content/it/treatment.md:7: unknown key "bogus"' in err
    assert 'content/en/treatment.md:7: reviewed "yesterday" is not a date' in err


def test_script_in_markdown_is_removed_with_a_warning(tmp_path, capsys):
    page = IT_TREATMENT + '\n<script>alert("x")</script>\n\n<p onclick="steal()">Testo</p>\n'
    root = make_site(tmp_path / "p", {"content/it/treatment.md": page})
    out = tmp_path / "out"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert 'warning: content/it/treatment.md:19: removed unsafe markup "<script"' in err
    assert 'warning: content/it/treatment.md:21: removed unsafe markup "onclick="' in err
    html = (out / "it/il-trattamento/index.html").read_text()
    assert re.findall(r"<script(?![^>]*application/ld\+json)", html) == []  # JSON-LD data only
    assert "onclick" not in html and "alert(" not in html
    assert "Testo" in html
