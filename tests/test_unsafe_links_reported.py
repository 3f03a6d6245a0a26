"""A build names every script or data URL the sanitizer removes, in pages and in list-item words, with
its path:line, and publishes none of it (nor `style=` or event handlers from words)."""

from __future__ import annotations

import pytest
from sitefiles import WORDS, make_site, page_text

from patientsite.cli import main

IT_TREATMENT = page_text("it", "treatment.md")
LINKS = {"javascript": "javascript:alert(1)", "vbscript": "vbscript:msgbox(1)", "data": "data:text/html,<b>x</b>",
         "JavaScript-capitals": "JavaScript:alert(1)"}


@pytest.mark.parametrize("name", sorted(LINKS))
@pytest.mark.parametrize("form", ["markdown", "html", "definition"])
def test_a_script_or_data_link_in_a_page_is_removed_with_a_warning(tmp_path, capsys, name, form):
    url = LINKS[name]
    snippet = {"markdown": f"See [the form]({url}).", "html": f'See <a href="{url}">the form</a>.',
               "definition": f"See [the form][f].\n\n[f]: {url}"}[form]
    page = IT_TREATMENT + "\nTesto.\n\n" + snippet + "\n"
    line = (IT_TREATMENT + "\nTesto.\n\n").count("\n") + 1 + (2 if form == "definition" else 0)
    root = make_site(tmp_path / "p", {"content/it/treatment.md": page})
    out = tmp_path / "out"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    what = url.split(":")[0].replace(" ", "") + ":"
    assert f'warning: content/it/treatment.md:{line}: removed unsafe markup "{what}"' in err
    assert "Traceback" not in err
    html = (out / "it/il-trattamento/index.html").read_text()
    assert "the form" in html and url.split(":")[1][:6] not in html
    assert "script:" not in html.lower() and "vbscript:" not in html and 'href="data:' not in html


def test_unsafe_list_item_words_are_removed_with_a_warning(tmp_path, capsys):
    words = WORDS["en"].replace(
        "allergy: {label: Allergy, reason: The substances are active.}",
        "allergy:\n        label: Allergy\n"
        "        reason: 'See [why](javascript:alert(1)) <span style=\"color:red\" onclick=\"steal()\">now</span>.'")
    root = make_site(tmp_path / "p", {"content/en/words.yaml": words})
    out = tmp_path / "out"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    line = words.splitlines().index(next(t for t in words.splitlines() if "reason: 'See" in t)) + 1
    assert f'warning: content/en/words.yaml:{line}: removed unsafe markup "onclick="' in err
    assert f'warning: content/en/words.yaml:{line}: removed unsafe markup "javascript:"' in err
    html = (out / "en/contraindications/index.html").read_text()
    assert "<a>why</a>" in html and "<span>now</span>" in html
    for gone in ("javascript:", "style=", "onclick", "steal("):
        assert gone not in html
