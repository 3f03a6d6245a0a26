"""`i18n update` and malformed catalogues (issue 9, item 9).

A template with a syntax error makes `i18n update` (and `extract`) refuse at `templates/<file>:<line>`
with every catalogue left byte for byte; a malformed messages.po is an error at its exact line for
`build` and `i18n update` alike, never a traceback, never a lost letter; and a string that returns to
the templates gets back its obsolete translation."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import Environment
from siteassertions import tree_bytes
from sitefiles import make_site

from patientsite.cli import main

EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
LANGUAGES = ("it", "en", "ru")


def run(root: Path, *command: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), *command])
    return code, out.getvalue() + err.getvalue()


def catalogues(root: Path) -> dict:
    return {code: (root / f"content/{code}/messages.po").read_bytes() for code in LANGUAGES}


class Project(tuple):
    """(root, templates' bytes by path, catalogues' bytes by language), shown briefly in reports."""

    def __repr__(self) -> str:
        return f"Project({self[0]})"


@pytest.fixture
def project(tmp_path):
    root = make_site(tmp_path / "p")
    templates = {p: p.read_bytes() for p in (root / "templates").rglob("*") if p.is_file()}
    return Project((root, templates, catalogues(root)))


def _restore(root: Path, templates: dict, pos: dict) -> None:
    for path, data in templates.items():
        path.write_bytes(data)
    for code, data in pos.items():
        (root / f"content/{code}/messages.po").write_bytes(data)
    (root / "templates/messages.pot").unlink(missing_ok=True)


# -- templates that do not parse ---------------------------------------------------------------------
BREAKS = {   # a line that is a syntax error on its own line, wherever it stands in the data of a template
    "empty expression": "{{ }}",
    "unfinished expression": "{{ page.title + }}",
    "stray end tag": "{% endtrans %}",      # closes nothing, wherever it stands
    "unknown tag": "{% include_it 'x.html' %}",
    "bad filter call": "{{ page.title | replace( }}",
    "unbalanced bracket": "{{ page.title) }}",
    "for without in": "{% for item %}{% endfor %}",
}
TEMPLATE_ENV = Environment(extensions=["jinja2.ext.i18n"])


def _data_lines(text: str) -> list[int]:
    """The line boundaries (0-based line indices) where a new line stands in the template's data, not
    inside a tag, comment or raw block: there the break is reported at its own line."""
    lines = text.split("\n")
    found = []
    for index in range(len(lines) + 1):
        prefix = "\n".join(lines[:index])
        try:
            list(TEMPLATE_ENV.lex(prefix + "\n{{ probe }}"))
            TEMPLATE_ENV.parse(prefix + ("\n" if index else "") + "{{ probe }}\n" + "\n".join(lines[index:]))
        except Exception:
            continue
        found.append(index)
    return found


def _templates(root: Path) -> list[str]:
    return sorted(p.relative_to(root / "templates").as_posix() for p in (root / "templates").rglob("*")
                  if p.suffix in (".html", ".xml"))


@EXAMPLES
@given(data=st.data(), action=st.sampled_from(["update", "extract"]))
def test_a_template_syntax_error_refuses_and_writes_nothing(project, data, action):
    root, templates, pos = project
    _restore(root, templates, pos)
    name = data.draw(st.sampled_from(_templates(root)))
    path = root / "templates" / name
    text = path.read_text(encoding="utf-8")
    at = data.draw(st.sampled_from(_data_lines(text)))
    kind = data.draw(st.sampled_from(sorted(BREAKS)))
    lines = text.split("\n")
    path.write_text("\n".join(lines[:at] + [BREAKS[kind]] + lines[at:]), encoding="utf-8")
    code, printed = run(root, "i18n", action)
    assert code == 1, printed
    assert f"templates/{name}:{at + 1}: the template cannot be parsed" in printed, (kind, printed)
    assert "Traceback" not in printed
    assert "no catalogue was changed" in printed
    assert catalogues(root) == pos
    assert not (root / "templates/messages.pot").exists()


def test_a_template_that_is_not_utf8_refuses(project):
    root, templates, pos = project
    path = root / "templates/partials/not_found.html"
    path.write_bytes(path.read_bytes().replace(b"\n", "\n<p>caf\u00e9</p>\n".encode("latin-1"), 1))
    code, printed = run(root, "i18n", "update")
    assert code == 1 and "templates/partials/not_found.html:2: the template is not UTF-8 text" in printed
    assert catalogues(root) == pos


def test_update_after_a_fixed_template_keeps_every_translation(project):
    root, templates, pos = project
    page = root / "templates/page.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{% endif %}", "{% endiff %}", 1), encoding="utf-8")
    assert run(root, "i18n", "update")[0] == 1
    page.write_bytes(templates[page])
    code, printed = run(root, "i18n", "update")
    assert code == 0, printed
    assert all(f"content/{c}/messages.po: 0 new, 0 untranslated" in printed for c in LANGUAGES), printed
    assert {c: t.replace(b"\n", b"") for c, t in catalogues(root).items() if b"#~" in t} == {}


# -- obsolete translations come back -----------------------------------------------------------------
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(removed=st.lists(st.sampled_from(["base.html", "facts/table.html", "facts/list.html",
                                         "partials/choose.html", "partials/not_found.html"]),
                        min_size=1, max_size=3, unique=True),
       runs=st.integers(1, 3))
def test_a_string_that_returns_gets_its_translation_back(project, removed, runs):
    root, templates, pos = project
    _restore(root, templates, pos)
    assert run(root, "i18n", "update")[0] == 0
    settled = catalogues(root)         # the catalogues as `update` writes them (header from this Babel)
    gone = {}
    for name in removed:               # a template without strings: they turn obsolete
        path = root / "templates" / name
        gone[path] = path.read_bytes()
        path.write_text("<p></p>\n", encoding="utf-8")
    for _ in range(runs):
        code, printed = run(root, "i18n", "update")
        assert code == 0, printed
    assert all(b"#~ msgid" in text for text in catalogues(root).values())
    for path, data in gone.items():
        path.write_bytes(data)
    code, printed = run(root, "i18n", "update")
    assert code == 0, printed
    assert all(f"content/{c}/messages.po: 0 new, 0 untranslated" in printed for c in LANGUAGES), printed
    assert catalogues(root) == settled


# -- malformed catalogues ----------------------------------------------------------------------------
def _one_line_msgstrs(lines: list[str]) -> list[int]:
    """Indices of `msgstr "text"` lines (one line, translated, not the header) with the msgid just above."""
    return [i for i, line in enumerate(lines) if line.startswith('msgstr "') and line != 'msgstr ""'
            and lines[i - 1].startswith('msgid "') and (i + 1 == len(lines) or not lines[i + 1].startswith('"'))]


def _break_catalogue(text: str, kind: str, data) -> tuple[str, int]:
    """The catalogue with one mistake of `kind`, and the 1-based line it must be reported at."""
    lines = text.split("\n")
    at = data.draw(st.sampled_from(_one_line_msgstrs(lines)))
    if kind == "unclosed quote":
        lines[at] = lines[at][:-1] + data.draw(st.sampled_from(["", " ", "x"]))
        return "\n".join(lines), at + 1
    if kind == "text after the quote":
        lines[at] += data.draw(st.sampled_from([" x", '"', ' "more', " ;"]))
        return "\n".join(lines), at + 1
    if kind == "bad escape":
        letter = data.draw(st.sampled_from("qzxuabefv0'"))
        body = lines[at][len('msgstr "'):-1]     # not between a backslash and the letter it escapes
        starts = [i for i in range(len(body) + 1) if (len(body[:i]) - len(body[:i].rstrip("\\"))) % 2 == 0]
        position = len('msgstr "') + data.draw(st.sampled_from(starts))
        lines[at] = lines[at][:position] + "\\" + letter + lines[at][position:]
        return "\n".join(lines), at + 1
    if kind == "stray text":
        stray = data.draw(st.from_regex(r"[A-Za-z][A-Za-z ]{0,20}", fullmatch=True)
                          .filter(lambda s: not s.startswith("msg")))
        lines.insert(at + 1, stray)
        return "\n".join(lines), at + 2
    if kind == "missing msgstr":
        del lines[at]
        return "\n".join(lines), at                      # the msgid just above
    if kind == "duplicate msgid":
        copy = [lines[at - 1], data.draw(st.sampled_from([lines[at], 'msgstr "altro"']))]
        while lines and lines[-1] == "":
            lines.pop()
        lines += ["", *copy, ""]
        return "\n".join(lines), len(lines) - 2
    raise AssertionError(kind)


PO_MISTAKES = ["unclosed quote", "text after the quote", "bad escape", "stray text", "missing msgstr",
               "duplicate msgid"]


@pytest.mark.parametrize("kind", PO_MISTAKES)
@EXAMPLES
@given(data=st.data(), command=st.sampled_from(["build", "update"]))
def test_a_malformed_catalogue_is_reported_at_its_line(project, tmp_path, kind, data, command):
    root, templates, pos = project
    _restore(root, templates, pos)
    out = tmp_path / "site"
    if not out.exists():
        assert run(root, "build", "--out", str(out), "--no-cache")[0] == 0
    before = tree_bytes(out)
    code_ = data.draw(st.sampled_from(LANGUAGES))
    broken, line = _break_catalogue(pos[code_].decode("utf-8"), kind, data)
    (root / f"content/{code_}/messages.po").write_text(broken, encoding="utf-8")
    written = catalogues(root)
    if command == "build":
        code, printed = run(root, "build", "--out", str(out))
    else:
        code, printed = run(root, "i18n", "update")
    assert code == 1, printed
    assert f"content/{code_}/messages.po:{line}: the catalogue cannot be read" in printed, (kind, line, printed)
    assert "Traceback" not in printed
    assert catalogues(root) == written
    assert tree_bytes(out) == before


@pytest.mark.parametrize("data, line", [(b"\xff\xfe", 1), (b'msgid ""\nmsgstr ""\n\nmsgid "caf\xe9"\nmsgstr "x"\n', 4)])
def test_a_catalogue_that_is_not_utf8_is_reported_at_its_line(project, data, line):
    root, _templates, _pos = project
    (root / "content/en/messages.po").write_bytes(data)
    for command in (["build", "--out", str(root.parent / "site")], ["i18n", "update"]):
        code, printed = run(root, *command)
        assert code == 1 and f"content/en/messages.po:{line}: the catalogue cannot be read: byte 0x" \
            in printed, printed


def test_a_byte_order_mark_is_accepted(project, tmp_path):
    root, _templates, pos = project
    (root / "content/ru/messages.po").write_bytes(b"\xef\xbb\xbf" + pos["ru"])
    code, printed = run(root, "build", "--out", str(tmp_path / "site"), "--no-cache")
    assert code == 0, printed


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@pytest.mark.parametrize("body, line, message", [
    ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[1] "z"\n', 9, "msgstr[1] is given twice"),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "y"\n', 7, "msgstr[1] is out of place"),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr "y"\n', 7, "msgstr is out of place"),
    ('msgid "a"\nmsgstr "x"\n"more\n', 7, "the quoted text is not closed"),
    ('!"orphan"\n' + HEADER, 1, "a quoted line outside any msgid or msgstr"),   # "!": without the header
    ('msgctxt "menu"\nmsgid "a"\nmsgstr "x"\n\nmsgctxt "menu"\nmsgid "a"\nmsgstr "y"\n', 10, 'the msgid "a" is already at line 6'),
    ('msgid "a"\nmsgstr "x"\n#~ msgid "old\n#~ msgstr "y"\n', 7, "the quoted text is not closed"),
    ('msgid "a"\n', 5, "this msgid has no msgstr"),
])
def test_the_syntax_check_names_each_mistake_at_its_line(body, line, message):
    from patientsite.load.posyntax import check_syntax

    found = check_syntax(body[1:] if body.startswith("!") else HEADER + body)
    assert [(found_line, text) for found_line, text, _hint in found if message in text] == [(line, found[0][1])]


def test_the_same_msgid_in_two_contexts_is_no_duplicate():
    from patientsite.load.posyntax import check_syntax

    assert check_syntax(HEADER + 'msgctxt "a"\nmsgid "x"\nmsgstr "1"\n\nmsgctxt "b"\nmsgid "x"\nmsgstr "2"\n\n'
                        'msgid "x"\nmsgstr "3"\n#~ msgid "x"\n#~ msgstr "4"\n') == []
