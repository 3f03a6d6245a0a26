"""What `status` advises and what `--mark-current` refuses: a group never marks stale units current
without --force, untracked units are named, diffs point at the real file and line; images in pages are
refused at path:line; counts read as English ("1 unit", "2 units")."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from badinput import line_of
from sitefiles import WORDS

from patientsite.cli import main
from patientsite.errors import count

TREATMENT_IT = "content/it/treatment.md"


def cli(root, *args, capsys):
    code = main(["--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def untracked(root, lang, capsys) -> int:
    """How many units of `lang` the status calls untracked: counted, not pinned (every new interface
    string of the small site, tests/sitefiles.py, adds one)."""
    code, out, _ = cli(root, "status", "--json", capsys=capsys)
    return sum(unit["status"] == "untracked" for unit in json.loads(out)["languages"][lang]["units"])


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def lock_text(root, lang):
    return (root / f"content/{lang}/translations.lock").read_text(encoding="utf-8")


@pytest.fixture
def marked(site_root, capsys):
    for lang in ("en", "ru"):
        assert cli(site_root, "status", "--mark-current", lang, "all", capsys=capsys)[0] == 0
    return site_root


STALE_EDITS = {
    "page": (TREATMENT_IT, "## Details\n", "## Details\n\nNuovo.\n", "page treatment", ("all", "pages")),
    "words": ("content/it/words.yaml", "label: Calcoli biliari", "label: Calcoli", "words contraindications",
              ("all", "words")),
    "ui": ("content/it/messages.po", 'msgstr "Telefono"', 'msgstr "Telefono della clinica"', 'UI "Phone"',
           ("all", "ui")),
}
CASES = [(kind, group, lang) for kind, (*_, groups) in STALE_EDITS.items() for group in groups for lang in ("en", "ru")]


@pytest.mark.parametrize("kind, group, lang", CASES)
def test_a_group_does_not_mark_stale_units_current_without_force(marked, capsys, kind, group, lang):
    rel, old, new, label, _ = STALE_EDITS[kind]
    edit(marked, rel, old, new)
    before = lock_text(marked, lang)
    code, out, err = cli(marked, "status", "--mark-current", lang, group, capsys=capsys)
    assert code == 1 and out == "" and "Traceback" not in err
    assert (f'error: content/{lang}: "{group}" would mark 1 stale unit of {lang} current without a look: {label}\n'
            f"    Update each translation and mark it by name: python build.py status --mark-current {lang} ") in err
    assert f"add --force: python build.py status --mark-current {lang} {group} --force" in err
    assert lock_text(marked, lang) == before

    code, out, err = cli(marked, "status", "--mark-current", lang, group, "--force", capsys=capsys)
    assert code == 0 and f"marked current: {label} (" in out
    assert f"the {lang} translation of {label} has not changed since it was last marked current" in err
    other = "ru" if lang == "en" else "en"
    code, out, _ = cli(marked, "status", "--json", capsys=capsys)
    units = json.loads(out)["languages"]
    assert [u["status"] for u in units[lang]["units"] if u["status"] != "current"] == []
    assert [u["status"] for u in units[other]["units"] if u["status"] != "current"] == ["stale"]


def test_status_advises_all_only_when_nothing_is_stale(site_root, capsys):
    code, out, _ = cli(site_root, "status", capsys=capsys)
    assert "  untracked page treatment" in out and '  untracked UI "Phone"' in out
    line = line_of(WORDS["en"], "\n  contraindications:") + 1
    assert f"  untracked words contraindications           content/en/words.yaml:{line}" in out
    assert "once checked, run: python build.py status --mark-current en all" in out

    assert cli(site_root, "status", "--mark-current", "en", "pages", capsys=capsys)[0] == 0
    untracked_en = untracked(site_root, "en", capsys)       # every en unit but the pages
    edit(site_root, TREATMENT_IT, "## Details\n", "## Details\n\nNuovo.\n")
    code, out, _ = cli(site_root, "status", capsys=capsys)
    en = out[out.index("en English ("):out.index("ru Русский (")]
    assert "--mark-current en all" not in en
    advice = en.strip().splitlines()[-1]
    assert advice.startswith(f"  {untracked_en} units are untracked") and "python build.py status --mark-current en " in advice
    targets = shlex.split(advice.split("--mark-current en ", 1)[1])
    assert len(targets) == untracked_en and "words:contraindications" in targets and "ui:Phone" in targets
    assert "treatment" not in targets and "all" not in targets


def test_the_build_names_untracked_units_and_never_advises_all_over_stale_ones(site_root, tmp_path, capsys):
    assert cli(site_root, "status", "--mark-current", "en", "pages", capsys=capsys)[0] == 0
    untracked_en = untracked(site_root, "en", capsys)       # every en unit but the pages
    code, _, err = cli(site_root, "build", "--out", str(tmp_path / "site"), capsys=capsys)
    assert code == 0
    # the critical words are not among them: they are named on their own, and their pages are a notice
    assert ('warning: content/en/words.yaml:18: the en words for the critical fact "contraindications" are not '
            "tracked yet: the pages that show them are not published in en") in err
    assert f"warning: content/en/translations.lock: {untracked_en - 1} units of en are not tracked yet: UI " in err
    assert f"and {untracked_en - 11} more\n    Check them, then run: python build.py status --mark-current en all" in err
    edit(site_root, TREATMENT_IT, "## Details\n", "## Details\n\nNuovo.\n")
    code, _, err = cli(site_root, "build", "--out", str(tmp_path / "site"), capsys=capsys)
    assert code == 0 and "--mark-current en all" not in err and "ui:Phone" in err


def _line_of_it(text: str) -> int:
    """The line of the small site's Italian words.yaml holding `text`."""
    from sitefiles import WORDS
    return next(number for number, line in enumerate(WORDS["it"].splitlines(), 1) if text in line)


DIFF_EDITS = [
    (TREATMENT_IT, "title: Il trattamento", "title: La seduta", 2),
    (TREATMENT_IT, "description: Come si svolge", "description: Come funziona", 3),
    (TREATMENT_IT, "## Details\n", "## Dettagli\n", 15),
    (TREATMENT_IT, "{{ fact_table(", "Nuovo.\n\n{{ fact_table(", 17),
    (TREATMENT_IT, "A course:", "Un ciclo:", 9),
    ("content/it/words.yaml", "label: Calcoli biliari", "label: Calcoli", line_of(WORDS["it"], "label: Calcoli biliari")),
    ("content/it/words.yaml", "reason: Le sostanze sono attive.", "reason: Sono attive.",
     line_of(WORDS["it"], "reason: Le sostanze sono attive.")),
    ("content/it/words.yaml", "interval: intervallo tra le sedute", "interval: pausa",
     line_of(WORDS["it"], "interval: intervallo tra le sedute")),
    ("content/it/words.yaml", "session: {one: seduta, other: sedute}", "session: {one: seduta, other: sedute!}", 2),
]


@pytest.mark.parametrize("rel, old, new, line", DIFF_EDITS)
def test_diffs_name_the_real_file_and_line(marked, capsys, rel, old, new, line):
    edit(marked, rel, old, new)
    code, out, _ = cli(marked, "status", capsys=capsys)
    heads = re.findall(r"@@ (\S+) @@", out)
    assert heads and set(heads) == {f"{rel}:{line}"}, heads
    shown = (marked / rel).read_text(encoding="utf-8").splitlines()[line - 1]
    assert new.split("\n")[0] in shown, shown


IMAGES = [
    "![A syringe](syringe.png)",
    "Before ![](a.jpg) after",
    "![Alt text] (b.png)",
    "![logo][ref]\n\n[ref]: logo.png",
    '<img src="x.png" alt="x">',
    "<IMG SRC=y.gif>",
]


@pytest.mark.parametrize("image", IMAGES)
def test_an_image_in_a_page_is_refused_at_its_line(site_root, tmp_path, capsys, image):
    out = tmp_path / "site"
    assert cli(site_root, "build", "--out", str(out), capsys=capsys)[0] == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    edit(site_root, "content/en/treatment.md", "## Details\n", f"## Details\n\n{image}\n")
    code, stdout, err = cli(site_root, "build", "--out", str(out), capsys=capsys)
    assert code == 1 and "Traceback" not in err
    first = image.split("\n")[0]
    shown = re.search(r"!\[[^\]]*\]\s*(\([^)]*\)|\[[^\]]*\])|<\s*img[^>]*>?", first, re.I).group(0)
    assert (f"error: content/en/treatment.md:17: images are not supported yet; {shown} would be dropped from the "
            "page\n    Remove it and say in words what it shows") in err
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_an_exclamation_mark_before_a_link_is_not_an_image(site_root, tmp_path, capsys):
    edit(site_root, "content/en/treatment.md", "## Details\n", "## Details\n\nReally! [a link](https://x.example)\n")
    assert cli(site_root, "build", "--out", str(tmp_path / "site"), capsys=capsys)[0] == 0


@pytest.mark.parametrize("number, noun, text", [
    (0, "error", "0 errors"), (1, "error", "1 error"), (2, "warning", "2 warnings"), (1, "unit", "1 unit"),
    (21, "file", "21 files"), (1, "unit is", "1 unit is")])
def test_counts_read_as_english(number, noun, text):
    assert count(number, noun, "units are" if noun == "unit is" else "") == text


def test_one_of_anything_is_singular_in_messages(marked, capsys):
    edit(marked, TREATMENT_IT, "## Details\n", "## Details\n\nNuovo.\n")
    assert cli(marked, "status", "--mark-current", "ru", "treatment", capsys=capsys)[0] == 0
    code, _, err = cli(marked, "status", "--fail-on", "stale", capsys=capsys)
    assert code == 1 and err == "status: 1 unit is stale\n"
    code, _, err = cli(marked, "status", "--mark-current", "de", "all", capsys=capsys)
    assert err.startswith("1 error while marking translations current:\n")
