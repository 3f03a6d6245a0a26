"""A build with the cache is byte-identical to a cold build, after every kind of edit, and an
edit re-renders exactly the pages that depend on it."""

from __future__ import annotations

import pytest
from siteassertions import tree_bytes
from sitefiles import FACTS_YAML, SITE_YAML, WORDS, make_site, page_text

from patientsite.pipeline import build

EDITS = {
    "page body": ({"content/en/treatment.md": page_text("en", "treatment.md").replace("Details", "More details")}, 1),
    "page title": ({"content/it/treatment.md": page_text("it", "treatment.md").replace("Il trattamento", "La cura")}, 9),
    "fact value": ({"content/facts.yaml": FACTS_YAML.replace("range: [0.05, 0.1]", "range: [0.05, 0.2]")}, 3),
    "fact used in list words": ({"content/facts.yaml": FACTS_YAML.replace("range: [7, 30]", "range: [7, 31]")}, 6),
    # contraindications are in every page's JSON-LD, so their words touch every page of the language
    "fact words": ({"content/ru/words.yaml": WORDS["ru"].replace("Аллергия", "Аллергия на компоненты")}, 3),
    "statement words": ({"content/en/words.yaml": WORDS["en"].replace("It can hurt a little.", "It may hurt.")}, 1),
    "decided value": ({"content/facts.yaml": FACTS_YAML.replace("      range: [10, 12]", "      range: [10, 13]")}, 3),
    "source title": ({"content/it/words.yaml": WORDS["it"].replace("Documento B (in russo)", "Documento B")}, 3),
    "unit forms": ({"content/en/words.yaml": WORDS["en"].replace("other: sessions", "other: visits")}, 3),
    "template": ({"templates/facts/table.html": None}, 9),
    "site.yaml": ({"site.yaml": SITE_YAML.replace("Test Clinic", "Clinica Prova")}, 9),
    "catalogue": (None, 3),
}


def _edit(root, name):
    changes, _ = EDITS[name]
    if name == "template":
        path = root / "templates/facts/table.html"
        path.write_text(path.read_text().replace("<table", '<table data-edited="yes"'))
        return
    if name == "catalogue":
        path = root / "content/ru/messages.po"
        path.write_text(path.read_text().replace('msgstr "Источники"', 'msgstr "Источники информации"'))
        return
    for rel, text in changes.items():
        (root / rel).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EDITS))
def test_cached_build_equals_cold_build_after_each_edit(tmp_path, name):
    root = make_site(tmp_path / "p")
    first = build(root, tmp_path / "warm", jobs=1)
    assert first.rendered == 9
    assert build(root, tmp_path / "warm", jobs=1).rendered == 0
    _edit(root, name)
    warm = build(root, tmp_path / "warm", jobs=1)
    build(root, tmp_path / "cold", use_cache=False, jobs=1)
    assert tree_bytes(tmp_path / "warm") == tree_bytes(tmp_path / "cold")
    assert warm.rendered == EDITS[name][1]


def test_parallel_build_equals_serial_build(tmp_path, monkeypatch):
    import patientsite.render.output as render

    monkeypatch.setattr(render, "PARALLEL_MIN", 2)
    root = make_site(tmp_path / "p")
    build(root, tmp_path / "serial", use_cache=False, jobs=1)
    build(root, tmp_path / "parallel", use_cache=False, jobs=2)
    assert tree_bytes(tmp_path / "serial") == tree_bytes(tmp_path / "parallel")
