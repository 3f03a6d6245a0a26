"""`status` and the out-of-date notice: the notice's date is the day the Italian source changed (the
last commit that changed it in a git checkout, else the file's time, never before the day the
translation was marked current), not its review date; a change inside a long paragraph is shown word
by word."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess

import pytest
from badinput import run
from sitefiles import make_site

from patientsite.commands.status import word_diff
from patientsite.load import history

TREATMENT_IT = "content/it/treatment.md"
LONG = ("Il medico le spiega il trattamento prima della seduta e risponde alle sue domande; la seduta dura "
        "circa mezz'ora e si svolge in ambulatorio, con un disinfettante e aghi sottili.")


def stamp(day: datetime.date) -> float:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC).timestamp()


@pytest.fixture
def stale_site(tmp_path):
    """The small site with a long Italian paragraph, translations marked current, then the paragraph
    changed by two words."""
    root = make_site(tmp_path / "site")
    page = root / TREATMENT_IT
    page.write_text(page.read_text(encoding="utf-8") + f"\n{LONG}\n", encoding="utf-8")
    for lang in ("en", "ru"):
        assert run(root, "status", "--mark-current", lang, "all", "--force")[0] == 0
    page.write_text(page.read_text(encoding="utf-8").replace("circa mezz'ora", "circa venti minuti"),
                    encoding="utf-8")
    return root


def notice(root, tmp_path) -> str:
    code, _, err = run(root, "build", "--out", str(tmp_path / "out"))
    assert code == 0, err
    html = (tmp_path / "out/en/the-treatment/index.html").read_text(encoding="utf-8")
    start = html.index("This page was updated in Italian on ")
    return html[start:html.index(";", start)]


def test_the_notice_gives_the_day_the_file_changed_outside_git(stale_site, tmp_path):
    os.utime(stale_site / TREATMENT_IT, (stamp(datetime.date(2027, 2, 3)),) * 2)
    assert notice(stale_site, tmp_path) == "This page was updated in Italian on 3 February 2027"


def test_the_notice_is_never_older_than_the_day_the_translation_was_marked(stale_site, tmp_path):
    lock = stale_site / "content/en/translations.lock"
    marked = datetime.date.today().isoformat()
    lock.write_text(lock.read_text(encoding="utf-8").replace(f"marked: {marked}", "marked: 2026-05-06"),
                    encoding="utf-8")
    os.utime(stale_site / TREATMENT_IT, (stamp(datetime.date(2020, 1, 1)),) * 2)   # a copy's old file time
    assert notice(stale_site, tmp_path) == "This page was updated in Italian on 6 May 2026"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_in_a_git_checkout_the_notice_gives_the_day_of_the_last_commit(stale_site, tmp_path):
    env = {**os.environ, "GIT_AUTHOR_DATE": "2027-07-08T10:00:00Z", "GIT_COMMITTER_DATE": "2027-07-08T10:00:00Z",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "site"]):
        subprocess.run(["git", "-C", str(stale_site), *args], check=True, env=env, capture_output=True)
    os.utime(stale_site / TREATMENT_IT, (stamp(datetime.date(2027, 12, 1)),) * 2)   # the clone's file time
    assert history.committed_on(stale_site, TREATMENT_IT) == datetime.date(2027, 7, 8)
    assert notice(stale_site, tmp_path) == "This page was updated in Italian on 8 July 2027"
    # an edit not committed yet: the file's day
    page = stale_site / TREATMENT_IT
    page.write_text(page.read_text(encoding="utf-8").replace("aghi sottili", "aghi molto sottili"), encoding="utf-8")
    os.utime(page, (stamp(datetime.date(2027, 9, 10)),) * 2)
    assert history.committed_on(stale_site, TREATMENT_IT) is None
    assert notice(stale_site, tmp_path) == "This page was updated in Italian on 10 September 2027"


def test_no_git_and_no_file_fall_back_to_what_is_known(tmp_path):
    assert history.committed_on(tmp_path, "missing.md") is None
    assert history.source_changed_on(tmp_path, "missing.md", datetime.date(2026, 1, 2)) == datetime.date(2026, 1, 2)
    assert history.source_changed_on(tmp_path, "missing.md", None) is None


def test_status_shows_a_long_paragraph_changed_word_by_word(stale_site):
    code, out, err = run(stale_site, "status")
    assert code == 0, err
    assert "~… sue domande; la seduta dura circa [-mezz'ora-]{+venti minuti+} e si svolge in " \
           "ambulatorio, con …" in out
    assert "-" + LONG not in out


@pytest.mark.parametrize("old, new, shown", [
    ("a b c", "a x c", "a [-b-]{+x+} c"),
    ("a b c d", "a c d", "a[- b-] c d"),
    ("a b", "a b c", "a b{+ c+}"),
    ("one two three", "one 2 3", "one [-two three-]{+2 3+}"),
    ("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 old w19",
     "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 new w19",
     "… w13 w14 w15 w16 w17 w18 [-old-]{+new+} w19"),
    ("x old w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 old y",
     "x new w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 new y",
     "x [-old-]{+new+} w1 w2 w3 w4 w5 w6 … w11 w12 w13 w14 w15 w16 [-old-]{+new+} y"),
])
def test_word_diff(old, new, shown):
    assert word_diff(old, new) == shown
