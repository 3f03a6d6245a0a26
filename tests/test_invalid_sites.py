"""Invalid sites, each with the exact message it must give (Zola's invalid.rs, MkDocs' log tests).

Every message names path:line and what to do; all errors of a stage come together; no traceback;
the previous site/ stays untouched."""

from __future__ import annotations

import re

import pytest

from patientsite.cli import main
from sitefiles import make_site, page_text

IT_TREATMENT = page_text("it", "treatment.md")

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
        "    Allowed keys: base_url, clinic, languages, review, reviewer.",
    ),
    "unknown-front-matter-key": (
        {"content/it/treatment.md": IT_TREATMENT.replace("nav: 1", "nav: 1\ntitel: Sbagliato")},
        'error: content/it/treatment.md:7: unknown key "titel" in the front matter\n'
        '    did you mean "title"? Allowed keys: description, key, nav, nav_title, reviewed, slug, sources, title.',
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
        'error: content/ru/words.yaml:6: no ru words for the fact "interval"\n'
        "    Add a label under facts: (copy the entry from content/it/words.yaml).",
    ),
    "missing-item-words": (
        {"content/en/words.yaml": __import__("sitefiles").WORDS["en"].replace("      allergy: {label: Allergy, reason: The substances are active.}\n", "")},
        'error: content/en/words.yaml:16: no en words for item "allergy" of "contraindications"\n'
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
        "    Pages may use: fact, fact_faq, fact_list, fact_table, link.",
    ),
    "missing-translation": (
        {"content/ru/contraindications.md": None},
        'error: content/ru: no ru translation of the page "contraindications" (content/it/contraindications.md)\n'
        "    Translate content/it/contraindications.md into content/ru/ with key: contraindications.",
    ),
}


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
        "content/it/treatment.md": IT_TREATMENT.replace("nav: 1", "nav: 1\nbogus: 1"),
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
