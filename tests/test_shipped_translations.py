"""The shipped content's translation status: every translation current, and each lock entry's
translation hash that of the shipped translation (else `--mark-current` cannot warn about a
translation left unchanged when the Italian changed). After editing a translation: python build.py
status --mark-current LANG UNIT."""

from __future__ import annotations

from pathlib import Path

import pytest

from patientsite.cli import main
from patientsite.load.config import load_config
from patientsite.load.translation import STALE, assess_translations, read_translation_sources

REPO = Path(__file__).resolve().parent.parent


def test_status_fails_on_nothing_for_the_shipped_content(capsys):
    code = main(["--root", str(REPO), "status", "--fail-on", "stale,missing", "--no-diff"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "stale" not in err


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_shipped_lock_records_the_shipped_translations(lang):
    config = load_config(REPO)
    state = assess_translations(read_translation_sources(config, REPO / "templates")).language(lang)
    behind = [f"{u.source.kind}:{u.source.id}" for u in state.units
              if u.entry is not None and u.translation is not None and u.entry.translation != u.translation.hash]
    assert behind == [], (f"content/{lang}/translations.lock records older translations of {behind}: once they "
                          f"are checked, run python build.py status --mark-current {lang} all")
    assert not [u for u in state.units if u.status == STALE]
