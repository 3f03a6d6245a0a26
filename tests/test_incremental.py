"""The build from the previous build (`build(previous=, changed=)`, the preview's): after every kind
of edit the served folder is byte-identical to a fresh full build of the same files, exactly the pages
that show the edit are rendered again, the edits it cannot follow are followed by the full build, and
a failing edit gives the full build's errors and writes nothing."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from published import asset, with_encodings
from siteassertions import tree_bytes
from sitefiles import FACTS_YAML, WORDS, make_site, page_text

import patientsite.pipeline as pipeline
from patientsite.commands.status import mark_current
from patientsite.errors import BuildError
from patientsite.load.translation import assess_translations, read_translation_sources
from patientsite.pipeline import REPORT_PATH, BuildResult, build
from patientsite.preview.changeplan import changed_files
from patientsite.preview.serve import WATCHED, Preview, snapshot

PAGES = {"home": ("it/index.html", "en/index.html", "ru/index.html"),
         "treatment": ("it/il-trattamento/index.html", "en/the-treatment/index.html", "ru/procedura/index.html"),
         "contraindications": ("it/controindicazioni/index.html", "en/contraindications/index.html",
                               "ru/protivopokazaniya/index.html")}


class Session:
    """A project, its served folder and the last good build, as the preview keeps them."""

    def __init__(self, tmp_path: Path, locked: bool = False, changes: dict | None = None):
        self.tmp = tmp_path
        self.root = make_site(tmp_path / "project", changes)
        if locked:   # every translation marked current: an Italian edit makes them stale
            for code in ("en", "ru"):
                mark_current(self._config(), self.root / "templates", code, ["all"], datetime.date(2026, 11, 20))
        self.out = tmp_path / "served"
        self.full_build_served()

    def full_build_served(self) -> None:
        self.seen = self.signatures()
        self.last = build(self.root, self.out, jobs=1)

    def _config(self):
        from patientsite.load.config import load_config
        return load_config(self.root)

    def signatures(self):
        return snapshot(self.root, [self.root / name for name in WATCHED])

    def write(self, rel: str, text: str) -> str:
        (self.root / rel).write_text(text, encoding="utf-8")
        return rel

    def replace(self, rel: str, old: str, new: str) -> str:
        text = (self.root / rel).read_text(encoding="utf-8")
        assert old in text, old
        return self.write(rel, text.replace(old, new))

    def rebuild(self, *changed: str) -> BuildResult:
        """The build from the last one; `written` is None when it was the full build."""
        now = self.signatures()
        done = build(self.root, self.out, previous=self.last, changed=changed_files(self.seen, now, changed), jobs=1)
        self.last, self.seen = done, now
        return done

    def full_build(self, name: str = "full"):
        """A fresh full build of the same files, without the render cache."""
        return build(self.root, self.tmp / name, use_cache=False, jobs=1)

    def assert_as_full_build(self) -> None:
        report = (self.root / REPORT_PATH).read_text(encoding="utf-8")
        full = self.full_build()
        assert tree_bytes(self.out) == tree_bytes(self.tmp / "full")
        assert self.last.warnings == full.warnings
        assert (self.root / REPORT_PATH).read_text(encoding="utf-8") == report
        assert self.last.state.status == assess_translations(read_translation_sources(self._config(),
                                                                                      self.root / "templates"))
        assert self.last.state.output.records == full.state.output.records


def _body(lang: str, name: str, old: str, new: str) -> tuple[str, str]:
    text = page_text(lang, name)
    assert old in text
    return f"content/{lang}/{name}", text.replace(old, new)


@pytest.mark.parametrize("lang", ["it", "en", "ru"])
def test_a_page_body_edit_renders_and_writes_that_page_only(tmp_path, lang):
    session = Session(tmp_path)
    before = tree_bytes(session.out)
    rel = session.write(*_body(lang, "treatment.md", "## Details", "A new paragraph.\n\n## Details"))
    done = session.rebuild(rel)
    index = ("it", "en", "ru").index(lang)
    page, leaflet = PAGES["treatment"][index], f"{lang}/leaflet/index.html"     # the leaflet shows every page
    assert done.redone == (page,)
    # besides the page and the leaflet, only its language's search index (and Pagefind's list of languages)
    search = {p for p in done.written if p.startswith("pagefind/")}
    assert set(done.written) - search == set(with_encodings(page)) | set(with_encodings(leaflet))
    assert search and all(p.split("/")[-1].removeprefix("pagefind.").startswith(f"{lang}_")
                          or p.startswith("pagefind/pagefind-entry.json") for p in search), search
    after = tree_bytes(session.out)
    assert b"A new paragraph." in after[page] and b"A new paragraph." in after[leaflet]
    assert {p for p, c in after.items() if before.get(p) != c} | (set(before) - set(after)) == set(done.written)
    session.assert_as_full_build()


def test_an_italian_edit_gives_its_translations_the_out_of_date_notice(tmp_path):
    session = Session(tmp_path, locked=True)
    assert not any(b'class="translation-notice"' in c for c in tree_bytes(session.out).values())
    rel = session.write(*_body("it", "treatment.md", "## Details", "Nuovo.\n\n## Details"))
    done = session.rebuild(rel)
    assert set(done.redone) == set(PAGES["treatment"])
    assert b'class="translation-notice"' in tree_bytes(session.out)["en/the-treatment/index.html"]
    assert any("published with an out-of-date notice" in w.message for w in done.warnings)
    session.assert_as_full_build()

    session.write(*_body("it", "treatment.md", "## Details", "## Details"))      # back as it was marked
    done = session.rebuild(rel)
    assert set(done.redone) == set(PAGES["treatment"])
    assert not any(b'class="translation-notice"' in c for c in tree_bytes(session.out).values())
    session.assert_as_full_build()


def test_marking_a_translation_current_removes_its_notice(tmp_path):
    session = Session(tmp_path, locked=True)
    session.rebuild(session.write(*_body("it", "treatment.md", "## Details", "Nuovo.\n\n## Details")))
    mark_current(session._config(), session.root / "templates", "en", ["treatment"], datetime.date(2026, 11, 21))
    done = session.rebuild("content/en/translations.lock")
    assert done.redone == ("en/the-treatment/index.html",)
    session.assert_as_full_build()


@pytest.mark.parametrize("name, edit, pages", [
    ("a number", ("range: [0.05, 0.1]", "range: [0.05, 0.2]"), PAGES["treatment"]),
    ("a number the list words use", ("range: [7, 30]", "range: [7, 31]"),
     PAGES["treatment"] + PAGES["contraindications"]),
    ("a document of a fact", ("range: [2, 4]\n    unit: session\n    sources: [doc-b]",
                              "range: [2, 4]\n    unit: session\n    sources: [doc-a, doc-b]"), PAGES["treatment"]),
    # the contraindications are in every page's structured data
    ("a contraindication", ("gallstones:\n        frequency: rare", "gallstones:\n        frequency: common"),
     PAGES["home"] + PAGES["treatment"] + PAGES["contraindications"]),
])
def test_a_fact_edit_renders_exactly_the_pages_that_show_it_in_every_language(tmp_path, name, edit, pages):
    session = Session(tmp_path)
    if "common" in edit[1]:
        for lang in ("it", "en", "ru"):
            session.replace(f"content/{lang}/words.yaml", "terms:\n", "terms:\n  common: x\n")
        session.full_build_served()
    done = session.rebuild(session.replace("content/facts.yaml", *edit))
    assert sorted(done.redone) == sorted(pages)
    session.assert_as_full_build()


def test_an_edit_of_the_facts_that_changes_nothing_shown_renders_nothing(tmp_path):
    session = Session(tmp_path)
    done = session.rebuild(session.write("content/facts.yaml", "# the facts\n" + FACTS_YAML))
    assert done.redone == done.written == ()
    session.assert_as_full_build()


def test_a_words_edit_renders_the_pages_of_that_language_that_show_them(tmp_path):
    session = Session(tmp_path)
    done = session.rebuild(session.replace("content/en/words.yaml", "sessions per course\n", "sessions in a course\n"))
    assert done.redone == ("en/the-treatment/index.html",)      # its fact table shows the label
    session.assert_as_full_build()
    done = session.rebuild(session.replace("content/en/words.yaml", "one session\n", "a single session\n"))
    assert done.redone == ()         # the page shows only the value of "one.session", not its label
    session.assert_as_full_build()
    # the contraindications' words are in the structured data of every page of the language
    done = session.rebuild(session.replace("content/ru/words.yaml", "Аллергия", "Аллергия на компоненты"))
    assert sorted(done.redone) == sorted(p for p in sum(PAGES.values(), ()) if p.startswith("ru/"))
    session.assert_as_full_build()


def test_italian_words_edited_give_the_translations_that_show_them_the_notice(tmp_path):
    session = Session(tmp_path, locked=True, changes={"content/facts.yaml": FACTS_YAML.replace(
        "contraindications:\n    critical: true\n", "contraindications:\n")})
    done = session.rebuild(session.replace("content/it/words.yaml", "Le sostanze sono attive.", "Sono attive."))
    assert sorted(done.redone) == sorted(PAGES["contraindications"])
    assert b'class="translation-notice"' in tree_bytes(session.out)["ru/protivopokazaniya/index.html"]
    session.assert_as_full_build()
    mark_current(session._config(), session.root / "templates", "ru", ["words:contraindications"],
                 datetime.date(2026, 11, 21))
    done = session.rebuild("content/ru/translations.lock")
    assert done.redone == ("ru/protivopokazaniya/index.html",)
    session.assert_as_full_build()


def test_italian_words_edited_make_critical_translations_a_notice_through_the_full_build(tmp_path):
    session = Session(tmp_path, locked=True)
    session.replace("content/it/words.yaml", "Le sostanze sono attive.", "Le sostanze sono molto attive.")
    done = session.rebuild("content/it/words.yaml")
    assert done.written is None and not done.whole       # pages replaced: the full build publishes them
    assert "updating-notice" in (session.out / "en/contraindications/index.html").read_text()
    assert "molto attive" in (session.out / "it/controindicazioni/index.html").read_text()
    session.assert_as_full_build()
    # while a page stays replaced by its notice (the same pages published, in the same states), an edit
    # of another page is a build from the previous one, and still equals the full build
    rel = session.write(*_body("en", "treatment.md", "## Details", "A sentence more.\n\n## Details"))
    done = session.rebuild(rel)
    assert done.written is not None and not done.whole and done.redone == (PAGES["treatment"][1],)
    assert "updating-notice" in (session.out / "en/contraindications/index.html").read_text()
    session.assert_as_full_build()


@pytest.mark.parametrize("name, rel, edit", [
    ("a template", "templates/facts/table.html", ("<table", '<table data-edited="yes"')),
    ("site.yaml", "site.yaml", ("Test Clinic", "Clinica Prova")),
    ("a catalogue", "content/ru/messages.po", ('msgstr "Источники"', 'msgstr "Источники информации"')),
    ("a title", "content/en/treatment.md", ("title: The treatment", "title: The cure")),
    ("a slug", "content/en/treatment.md", ("slug: the-treatment", "slug: treatment")),
    ("a menu position", "site.yaml", ("menu: [treatment, contraindications]", "menu: [contraindications, treatment]")),
    ("a review date", "content/en/treatment.md", ("reviewed: 2026-11-20", "reviewed: 2026-11-21")),
    ("a home page's description", "content/ru/index.md", ("description: Информация", "description: Сведения")),
    ("a fact's kind", "content/facts.yaml", ("one.session:\n    value: 1", "one.session:\n    value: 1\n    critical: true")),
    ("counted nouns", "content/en/words.yaml", ("other: sessions", "other: visits")),
])
def test_edits_that_change_what_many_pages_show_need_the_full_build(tmp_path, name, rel, edit):
    session = Session(tmp_path)
    assert session.rebuild(session.replace(rel, *edit)).written is None
    session.assert_as_full_build()


def test_a_new_or_removed_page_needs_the_full_build(tmp_path):
    session = Session(tmp_path)
    slugs = {"it": "il-trattamento", "en": "the-treatment", "ru": "procedura"}
    for lang, slug in slugs.items():
        session.write(f"content/{lang}/extra.md", page_text(lang, "treatment.md").replace(
            "key: treatment", "key: extra").replace(f"slug: {slug}", "slug: extra"))
    assert session.rebuild().written is None
    session.assert_as_full_build()
    for lang in slugs:
        (session.root / f"content/{lang}/extra.md").unlink()
    assert session.rebuild().written is None
    session.assert_as_full_build()
    (session.root / "content/ru/treatment.md").unlink()
    done = session.rebuild("content/ru/treatment.md")     # the full build: no Russian page, left out
    assert done.written is None and not done.whole and not (session.out / "ru/procedura").exists()
    session.assert_as_full_build()


def test_a_description_and_sources_edit_stays_incremental(tmp_path):
    session = Session(tmp_path)
    rel = session.replace("content/en/treatment.md", "description: How it works",
                          "description: How it goes\nsources: [doc-b]")
    assert session.rebuild(rel).redone == ("en/the-treatment/index.html",)
    session.assert_as_full_build()


@pytest.mark.parametrize("name, rel, edit", [
    ("front matter", "content/en/treatment.md", ("slug: the-treatment", "slug: The Treatment")),
    ("an unknown fact", "content/en/treatment.md", ("fact('interval')", "fact('intervall')")),
    ("a link to an unknown page", "content/ru/index.md", ("link('treatment')", "link('treatmen')")),
    ("a call", "content/it/treatment.md", ("## Details", "{{ facts('interval') }}\n\n## Details")),
    ("unsafe markup", "content/it/treatment.md", ("## Details", "<script>x</script>\n\n## Details")),
    ("facts.yaml", "content/facts.yaml", ("    range: [10, 12]\n", "    range: [10, 12\n")),
    ("a fact the pages call as a number", "content/facts.yaml", ("point.volume:\n    range: [0.05, 0.1]\n    unit: ml",
                                                                  "point.volume:\n    items: {a: {}}")),
    ("words calling an unknown fact", "content/en/words.yaml", ("fact('interval')", "fact('intervals')")),
])
def test_a_broken_edit_gives_the_full_builds_errors_and_writes_nothing_then_its_fix_rebuilds(tmp_path, name, rel, edit):
    session = Session(tmp_path)
    before = tree_bytes(session.out)
    session.replace(rel, *edit)
    try:
        full = session.full_build()
    except BuildError as exc:
        expected = str(exc)
    else:    # not an error: a warning (unsafe markup), the same as the full build's
        done = session.rebuild(rel)
        assert done.written is not None and done.warnings == full.warnings
        assert any("removed unsafe markup" in w.message for w in full.warnings)
        return
    try:
        done = session.rebuild(rel)
    except BuildError as exc:
        assert str(exc) == expected
    else:
        raise AssertionError("the full build fails, so must the build from the previous one")
    assert tree_bytes(session.out) == before
    session.replace(rel, edit[1], edit[0])
    done = session.rebuild(rel)
    assert done.written is not None       # from the last good build
    session.assert_as_full_build()


def test_a_touched_page_renders_nothing(tmp_path):
    session = Session(tmp_path)
    rel = session.write("content/en/treatment.md", page_text("en", "treatment.md"))
    done = session.rebuild(rel)
    assert done.redone == done.written == ()


def test_a_stylesheet_edit_copies_the_stylesheet(tmp_path):
    session = Session(tmp_path)
    rel = "templates/static/style.css"
    old = asset(session.out, "static/style.css")
    session.write(rel, (session.root / rel).read_text() + "\n.extra { color: red; }\n")
    done = session.rebuild(rel)
    new = asset(session.out, "static/style.css")
    # a new name in every page: the full build follows (the change plan: a static file is structural)
    assert done.written is None and new != old
    assert all(new.removeprefix("static/") in (session.out / p).read_text() for p in PAGES["treatment"])
    session.assert_as_full_build()


def test_a_burst_of_edits_of_every_kind_equals_the_full_build(tmp_path):
    session = Session(tmp_path, locked=True)
    session.write(*_body("it", "contraindications.md", "## List", "## Elenco"))
    session.write(*_body("ru", "index.md", "Welcome.", "Добро пожаловать."))
    session.replace("content/facts.yaml", "range: [7, 30]", "range: [7, 28]")
    session.write("content/en/words.yaml", WORDS["en"].replace("Allergy", "Allergies"))
    done = session.rebuild()
    assert done.written is not None
    session.assert_as_full_build()


# a full build prints how many files it wrote (pages, leaflets, search pages and index, hosting files,
# their .gz and .br: counted by the hosting tests)
FULL_BUILD = re.compile(r"built \d+ files")


def test_the_preview_rebuilds_incrementally_and_says_so(tmp_path):
    root = make_site(tmp_path / "project")
    printed = []
    preview = Preview(root, tmp_path / "served", printed.append)
    assert preview.rebuild() and FULL_BUILD.search(printed[-1])
    rel, text = _body("en", "treatment.md", "## Details", "More.\n\n## Details")
    (root / rel).write_text(text, encoding="utf-8")
    assert preview.rebuild((rel,))
    assert f"{rel} changed: built 1 page in " in printed[-1]
    assert re.search(r"wrote \d+ files", printed[-1])      # the page and its language's search index
    assert b"More." in (tmp_path / "served/en/the-treatment/index.html").read_bytes()
    build(root, tmp_path / "full", use_cache=False, jobs=1)
    assert tree_bytes(tmp_path / "served") == tree_bytes(tmp_path / "full")


@pytest.mark.parametrize("today, outcome", [("2027-11-01", "falls due"), ("2027-11-21", "overdue")])
def test_review_dates_are_checked_on_the_day_of_the_rebuild(tmp_path, monkeypatch, today, outcome):
    session = Session(tmp_path)
    monkeypatch.setenv("PATIENTSITE_TODAY", today)
    if outcome == "falls due":    # the warnings of that day are kept; an edited page's checked again
        session.rebuild(session.write(*_body("en", "index.md", "Welcome.", "Hello.")))
    rel, text = _body("en", "treatment.md", "## Details", "More.\n\n## Details")
    rel = session.write(rel, text.replace("reviewed:", "sources: [doc-a]\nreviewed:"))  # the line moves
    try:
        full = session.full_build()
    except BuildError as exc:
        with pytest.raises(BuildError) as failed:
            session.rebuild(rel)
        assert str(failed.value) == str(exc) and outcome in str(exc)
    else:
        assert session.rebuild(rel).warnings == full.warnings
        assert any(outcome in w.message for w in full.warnings)


def test_fact_edits_in_a_row_keep_equal_to_the_full_build(tmp_path):
    session = Session(tmp_path)
    for high in ("12", "13", "14", "12"):
        session.rebuild(session.write("content/facts.yaml", FACTS_YAML.replace("range: [10, 12]", f"range: [10, {high}]")))
        session.rebuild(session.write(*_body("ru", "treatment.md", "## Details", f"Текст {high}.\n\n## Details")))
        session.assert_as_full_build()


def test_a_bug_in_the_incremental_rebuild_falls_back_to_the_full_build(tmp_path, monkeypatch):
    root = make_site(tmp_path / "project")
    printed = []
    preview = Preview(root, tmp_path / "served", printed.append)
    assert preview.rebuild()
    monkeypatch.setattr(pipeline, "remodel_site", lambda *args: 1 / 0)
    rel, text = _body("en", "treatment.md", "## Details", "More.\n\n## Details")
    (root / rel).write_text(text, encoding="utf-8")
    assert preview.rebuild((rel,))
    assert "ZeroDivisionError" in printed[-2] and re.search(f"{rel} changed: " + FULL_BUILD.pattern, printed[-1])
    assert b"More." in (tmp_path / "served/en/the-treatment/index.html").read_bytes()


@pytest.mark.parametrize("name, rel, edit, pages", [
    ("a decided number", "content/facts.yaml", ("      range: [10, 12]\n", "      range: [10, 13]\n"), PAGES["treatment"]),
    ("a variant (no page shows it)", "content/facts.yaml", ("range: [10, 14]", "range: [9, 14]"), ()),
    ("a decision's status (a warning, no page)", "content/facts.yaml",
     ("      status: confirmed\n      reviewer: test-reviewer\n      date: 2026-11-20\n      rationale: Pain",
      "      status: proposed\n      reviewer: test-reviewer\n      date: 2026-11-20\n      rationale: Pain"), ()),
    ("a statement's words", "content/en/words.yaml", ("It can hurt a little.", "It may hurt a little."),
     ("en/the-treatment/index.html",)),
])
def test_a_decision_edit_renders_exactly_the_pages_that_show_it(tmp_path, name, rel, edit, pages):
    session = Session(tmp_path)
    done = session.rebuild(session.replace(rel, *edit))
    assert sorted(done.redone) == sorted(pages)
    session.assert_as_full_build()


def test_a_source_title_edit_rebuilds_the_site(tmp_path):
    session = Session(tmp_path)
    assert session.rebuild(session.replace("content/en/words.yaml", "Document B (in Russian)", "Document B")).written is None
    session.assert_as_full_build()


def _judged(monkeypatch) -> tuple[list, list]:
    """The translated pages judged and the page texts the copy check looks at from now on."""
    from patientsite.checks import copies, translations

    pages: list = []
    texts: list = []
    judge, foreign = translations._judge_page, copies.foreign_language
    monkeypatch.setattr(translations, "_judge_page", lambda site, state, page, *rest: (
        pages.append((page.language, page.key)), judge(site, state, page, *rest))[1])
    monkeypatch.setattr(copies, "foreign_language", lambda text, lang: (texts.append(text), foreign(text, lang))[1])
    return pages, texts


def _page_texts(session: Session, texts: list) -> list[str]:
    """Of the texts the copy check looked at, the pages' (their title, description and body)."""
    return [text for text in texts for page in session.last.site.pages
            if text.startswith(f"{page.title}\n\n{page.description}\n\n")]


def test_a_page_edit_judges_only_the_pages_it_changes_and_their_verdicts_follow(tmp_path, monkeypatch):
    session = Session(tmp_path, locked=True)
    judged, looked_at = _judged(monkeypatch)
    rel = session.write(*_body("en", "treatment.md", "## Details", "A sentence more.\n\n## Details"))
    done = session.rebuild(rel)
    # the other translated pages keep their verdicts; the copy check reads the edited page alone (and words)
    assert judged == [("en", "treatment")] and done.redone == (PAGES["treatment"][1],)
    assert [text.split("\n\n")[0] for text in _page_texts(session, looked_at)] == ["The treatment"]
    session.assert_as_full_build()
    judged.clear()
    # an Italian edit: its translations are judged again, and now carry the out-of-date notice
    done = session.rebuild(session.write(*_body("it", "treatment.md", "## Details", "Nuovo.\n\n## Details")))
    assert sorted(judged) == [("en", "treatment"), ("ru", "treatment")]
    assert set(session.last.state.translations.notices) == {("en", "treatment"), ("ru", "treatment")}
    session.assert_as_full_build()
    judged.clear()
    # marked current: that page's unit state changes, so its verdict (no notice) does
    mark_current(session._config(), session.root / "templates", "en", ["treatment"], datetime.date(2026, 11, 21))
    session.rebuild("content/en/translations.lock")
    assert judged == [("en", "treatment")]
    assert set(session.last.state.translations.notices) == {("ru", "treatment")}
    session.assert_as_full_build()


def test_a_page_edited_into_a_copy_fails_the_build_from_the_previous_one_as_the_full_build(tmp_path, monkeypatch):
    session = Session(tmp_path)
    judged, looked_at = _judged(monkeypatch)
    before = tree_bytes(session.out)
    session.replace("content/ru/treatment.md", "Все подробности о процедуре и о курсе вам расскажет врач клиники на "
                    "первой консультации.", "The doctor of the clinic will tell you all about the procedure and "
                    "the course at your first visit, and what you should do before and after it.")
    with pytest.raises(BuildError) as full:
        session.full_build()
    looked_at.clear()
    with pytest.raises(BuildError) as failed:
        session.rebuild("content/ru/treatment.md")
    assert str(failed.value) == str(full.value) and "content/ru/treatment.md" in str(failed.value)
    # the copied page judged (its text, then its paragraphs), not every page
    assert [text.split("\n\n")[0] for text in _page_texts(session, looked_at)] == ["Процедура"]
    assert tree_bytes(session.out) == before
