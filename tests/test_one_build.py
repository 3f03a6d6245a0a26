"""One build: an edited project built from the previous build's result (`build(previous=, changed=)`,
what the preview runs after a save) is byte for byte the cold full build of the same files, for many
generated edits of every kind the preview follows (a page's text, a fact's value, words, a lock file);
and the translation status is computed from what the load stage read, without reading a file again."""

from __future__ import annotations

import datetime
import pathlib
import shutil
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from siteassertions import tree_bytes
from sitefiles import FACTS_YAML, PAGES, WORDS, base_files, make_site

import patientsite.load.translationunits as translationunits
import patientsite.render.output as render
from patientsite.commands.status import mark_current
from patientsite.errors import BuildError
from patientsite.load.config import load_config
from patientsite.load.translation import assess_translations, read_translation_sources
from patientsite.pipeline import build

PHRASE = st.from_regex(r"[a-z]{1,8}( [a-z]{1,8}){0,3}", fullmatch=True)
PAGE_FILES = [f"content/{lang}/{name}" for lang in PAGES for name in PAGES[lang]]

# generated edits, each a function of the project's base files -> (path, new text)
page_edits = st.tuples(st.sampled_from(PAGE_FILES), PHRASE).map(
    lambda e: (e[0], base_files()[e[0]] + f"\n\nA new paragraph: {e[1]}.\n"))
fact_edits = st.one_of(
    st.tuples(st.integers(1, 29), st.integers(30, 60)).map(lambda r: FACTS_YAML.replace(
        "range: [7, 30]", f"range: [{r[0]}, {r[1]}]")),
    st.sampled_from(["0.2", "0.15", "0.3"]).map(lambda v: FACTS_YAML.replace("range: [0.05, 0.1]",
                                                                             f"range: [0.05, {v}]")),
    st.integers(5, 9).map(lambda n: FACTS_YAML.replace("range: [2, 4]", f"range: [2, {n}]")),
    st.just("# a comment moves every line\n" + FACTS_YAML),
).map(lambda text: ("content/facts.yaml", text))
words_edits = st.one_of(
    st.tuples(st.sampled_from(["sessions per course", "volume per point", "interval between sessions"]),
              PHRASE).map(lambda e: ("content/en/words.yaml", WORDS["en"].replace(e[0], e[1]))),
    PHRASE.map(lambda p: ("content/ru/words.yaml", WORDS["ru"].replace("Желчные камни", p))),
    PHRASE.map(lambda p: ("content/it/words.yaml", WORDS["it"].replace("Può fare un po' male.", p + "."))),
)
lock_edits = st.tuples(st.sampled_from(["en", "ru"]),
                       st.sampled_from([["all"], ["treatment"], ["home", "page:contraindications"],
                                        ["words:procedure.pain"], None]))
edits = st.lists(st.one_of(page_edits, fact_edits, words_edits, lock_edits), min_size=1, max_size=4)


class Project:
    """A project served from one build to the next, as the preview keeps it."""

    def __init__(self, folder: pathlib.Path):
        self.folder = folder
        self.root = make_site(folder / "project")
        self.served = folder / "served"
        self.last = build(self.root, self.served)
        self.pending: set[str] = set()      # the files changed since the last good build
        self.history: list = []             # every example's edits, to reproduce a failure

    def apply(self, edit) -> str:
        path, change = edit
        if path in ("en", "ru"):        # a lock edit: mark units current, or delete the lock file
            lock = f"content/{path}/translations.lock"
            if change is None:
                (self.root / lock).unlink(missing_ok=True)
            else:
                try:
                    mark_current(load_config(self.root), self.root / "templates", path, change,
                                 datetime.date(2026, 11, 21))
                except BuildError:      # refused (e.g. "all" over a stale unit): the lock is as it was
                    pass
            return lock
        (self.root / path).write_text(change, encoding="utf-8")
        return path

    def cold(self):
        """The cold full build of the same files (no render cache, a fresh folder)."""
        shutil.rmtree(self.folder / "cold", ignore_errors=True)
        return build(self.root, self.folder / "cold", use_cache=False, jobs=1)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return Project(tmp_path_factory.mktemp("one-build"))


# the project goes from edit to edit as in a preview session, so a failure is not shrunk (the history
# printed by note() reproduces it)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.generate])
@given(edits=edits)
def test_an_edited_project_built_from_the_previous_build_is_the_cold_full_build(project, edits):
    served = tree_bytes(project.served)
    project.history.append(edits)
    project.pending |= {project.apply(edit) for edit in edits}
    changed = sorted(project.pending)
    note(f"edits since the start: {project.history}")
    try:
        cold = project.cold()
    except BuildError as exc:          # e.g. Italian critical words edited while a lock holds them
        with pytest.raises(BuildError) as failed:
            build(project.root, project.served, previous=project.last, changed=changed)
        assert str(failed.value) == str(exc)
        assert tree_bytes(project.served) == served       # nothing was written
        return
    done = build(project.root, project.served, previous=project.last, changed=changed)
    assert tree_bytes(project.served) == tree_bytes(project.folder / "cold")
    assert done.warnings == cold.warnings
    assert done.state.output.records == cold.state.output.records     # the same dependency records
    assert done.state.status == cold.state.status == assess_translations(
        read_translation_sources(load_config(project.root), project.root / "templates"))
    # the pages rendered again are exactly those whose dependency record changed
    before = project.last.state.output.records
    assert set(done.redone) == {path for path, digest in cold.state.output.records.items()
                                if before.get(path) != digest} or done.written is None
    project.last, project.pending = done, set()


def test_many_pages_rendered_again_in_workers_equal_the_full_build(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "PARALLEL_MIN", 2)
    project = Project(tmp_path)
    # a contraindication is in every page's structured data: every page is rendered again, in workers
    project.apply(("content/facts.yaml", FACTS_YAML.replace("allergy: {sources: [doc-a]}",
                                                            "allergy: {sources: [doc-a, doc-b]}")))
    project.apply(("content/it/words.yaml", WORDS["it"].replace("Allergia", "Allergia grave")))
    for lang in ("en", "ru"):
        project.apply((f"content/{lang}/words.yaml", WORDS[lang].replace(
            "Allergy" if lang == "en" else "Аллергия", "Allergia")))
    done = build(project.root, project.served, previous=project.last, jobs=2,
                 changed=["content/facts.yaml", "content/it/words.yaml", "content/en/words.yaml",
                          "content/ru/words.yaml"])
    assert done.written is not None and len(done.redone) == 9
    project.cold()
    assert tree_bytes(project.served) == tree_bytes(tmp_path / "cold")


# -- the translation status reads nothing again ----------------------------------------------------
def test_the_build_reads_each_content_file_once_and_the_status_reads_none(tmp_path, monkeypatch):
    root = make_site(tmp_path / "project")
    mark_current(load_config(root), root / "templates", "en", ["all"], datetime.date(2026, 11, 20))
    reads: Counter = Counter()
    real = pathlib.Path.read_bytes

    def counted(path):
        reads[path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)] += 1
        return real(path)

    def no_second_reader(*args, **kwargs):
        raise AssertionError("the build's translation status must not read the files again")

    monkeypatch.setattr(pathlib.Path, "read_bytes", counted)
    for name in ("read_units", "read_words_units", "read_yaml_leniently", "read_fact_ids", "page_unit"):
        monkeypatch.setattr(translationunits, name, no_second_reader)
    result = build(root, tmp_path / "site", use_cache=False, jobs=1)
    content = {path: n for path, n in reads.items() if path.startswith("content/") or path == "site.yaml"}
    expected = {"site.yaml", "content/facts.yaml", "content/en/translations.lock", "content/ru/translations.lock"}
    expected |= {f"content/{lang}/{name}" for lang in PAGES for name in [*PAGES[lang], "words.yaml", "messages.po"]}
    assert set(content) == expected - {"content/ru/translations.lock"}     # no ru lock: nothing to read
    assert all(n == 1 for n in content.values()), {p: n for p, n in content.items() if n != 1}
    monkeypatch.undo()
    assert result.state.status == assess_translations(read_translation_sources(load_config(root), root / "templates"))
