"""Bad input, kind: encodings. A file saved as Latin-1 is `path:line:column` naming the byte; control and
private-use characters are refused at their line; a UTF-8 byte-order mark and Windows line ends simply
work in every kind of file; a console that is not UTF-8 never turns a build into a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from badinput import Previous, run, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefiles import REPO, base_files, make_site

FILES = sorted(base_files())            # site.yaml, facts.yaml, every words.yaml and page
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
# a byte that cannot start UTF-8 text when an ASCII letter follows it: a continuation byte, or a lead
# byte without its continuation (what a Windows editor's "è" or "é" in Latin-1/Windows-1252 becomes)
BAD_BYTES = st.integers(0x80, 0xFF)


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    return Previous(tmp_path_factory.mktemp("encoding"))


def _with_byte(text: str, line: int, byte: int) -> tuple[bytes, int]:
    """The file's UTF-8 bytes with `byte` and an ASCII letter put at the end of `line` (a comment in
    YAML, text in a page): (the bytes, the byte's column)."""
    lines = text.encode("utf-8").split(b"\n")
    column = len(lines[line - 1]) + 1
    lines[line - 1] += bytes([byte]) + b"x"
    return b"\n".join(lines), column


@SETTINGS
@given(data=st.data())
def test_a_latin1_byte_in_any_file_names_the_file_line_and_byte(previous, data):
    rel = data.draw(st.sampled_from(FILES), label="file")
    text = base_files()[rel]
    line = data.draw(st.integers(1, text.count("\n")), label="line")
    byte = data.draw(BAD_BYTES, label="byte")
    content, column = _with_byte(text, line, byte)
    err = previous.refused({rel: content})
    assert f"error: {rel}:{line}:{column}: byte 0x{byte:02x} is not UTF-8 text" in err
    assert "save it with the encoding UTF-8" in err


@pytest.mark.parametrize("rel", ["content/en/translations.lock", "content/ru/translations.lock"])
def test_a_latin1_lock_file_names_its_line(previous, rel):
    content = "page:\n  treatment:\n    hash: abc\n    source: caf\xe9\n".encode("latin-1")
    err = previous.refused({rel: content})
    assert f"error: {rel}:4:16: byte 0xe9 is not UTF-8 text" in err


@pytest.mark.parametrize("lang", ["it", "en", "ru"])
def test_a_latin1_claims_file_names_its_line(tmp_path, lang):
    root = make_site(tmp_path / "p")
    claims = root / f"content/{lang}/claims.yaml"
    for code in ("it", "en", "ru"):
        shutil.copy(REPO / f"content/{code}/claims.yaml", root / f"content/{code}/claims.yaml")
    claims.write_bytes(b"forbidden:\n  painless:\n    why: gi\xe0\n    phrases: [x]\n")
    code, _, err = run(root, "check", "--out", str(tmp_path / "out"))
    assert code == 1
    assert f"content/{lang}/claims.yaml:3:12: byte 0xe0 is not UTF-8 text" in err
    assert "Traceback" not in err


FORBIDDEN = st.sampled_from([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x85, 0x9F, 0x2028, 0x2029,
                             0xE000, 0xE001, 0xF8FF])


@SETTINGS
@given(data=st.data())
def test_control_and_private_use_characters_are_refused_at_their_line(previous, data):
    rel = data.draw(st.sampled_from(FILES), label="file")
    text = base_files()[rel]
    line = data.draw(st.integers(1, text.count("\n")), label="line")
    char = chr(data.draw(FORBIDDEN, label="character"))
    lines = text.split("\n")
    column = len(lines[line - 1]) + 1
    lines[line - 1] += char
    err = previous.refused({rel: "\n".join(lines).encode("utf-8")})
    assert f"error: {rel}:{line}:{column}: the character U+{ord(char):04X} is not allowed" in err


def _windows(data: bytes, bom: bool, crlf: bool) -> bytes:
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    return (b"\xef\xbb\xbf" if bom else b"") + data


def _all_kinds(root):
    """Every kind of input file in a project: site.yaml, facts.yaml, words.yaml, pages, messages.po,
    translations.lock, claims.yaml."""
    for code in ("it", "en", "ru"):
        shutil.copy(REPO / f"content/{code}/claims.yaml", root / f"content/{code}/claims.yaml")
    assert run(root, "status", "--mark-current", "en", "all")[0] in (0, 1)
    assert (root / "content/en/translations.lock").is_file()
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".md", ".po", ".lock")
                  and "templates" not in p.parts and ".cache" not in p.parts)


@pytest.mark.parametrize("bom,crlf", [(True, False), (False, True), (True, True)])
@pytest.mark.parametrize("kind", [".yaml", ".md", ".po", ".lock", "all"])
def test_a_byte_order_mark_and_windows_line_ends_just_work(tmp_path, kind, bom, crlf):
    plain = make_site(tmp_path / "plain")
    windows = make_site(tmp_path / "windows")
    files = _all_kinds(plain)
    _all_kinds(windows)
    changed = 0
    for path in files:
        if kind == "all" or path.suffix == kind:
            target = windows / path.relative_to(plain)
            target.write_bytes(_windows(path.read_bytes(), bom, crlf))
            changed += 1
    assert changed
    code, _, err = run(plain, "build", "--out", str(tmp_path / "a"), "--no-cache")
    assert code == 0, err
    code, _, err = run(windows, "build", "--out", str(tmp_path / "b"), "--no-cache")
    assert code == 0, err
    assert "Traceback" not in err and "front matter" not in err
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    for root in (plain, windows):      # claims.yaml is read by check
        code, out, err = run(root, "check", "--out", str(tmp_path / f"check-{root.name}"))
        assert "claims.yaml" not in err, err
        assert "Traceback" not in err


def _console_run(root, out, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIO"))}
    env.update(PYTHONIOENCODING="ascii", LANG="C", LC_ALL="C", PATIENTSITE_TODAY="2026-11-24")
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "build", "--out", str(out)],
                          capture_output=True, env=env, timeout=120, cwd=tmp_path)


def test_a_console_that_is_not_utf8_shows_a_successful_build(tmp_path):
    root = make_site(tmp_path / "p")
    result = _console_run(root, tmp_path / "site", tmp_path)
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert b"ru  ???????" in result.stdout          # the language's name, with what ASCII cannot show replaced
    assert result.stdout.isascii() and result.stderr.isascii()


@pytest.mark.parametrize("rel,old,new", [
    ("content/ru/words.yaml", "  interval: интервал между сеансами\n", "  интервал: интервал\n"),
    ("content/ru/treatment.md", "slug: procedura", "slug: процедура"),
])
def test_a_console_that_is_not_utf8_shows_a_failing_build(tmp_path, rel, old, new):
    root = make_site(tmp_path / "p")
    assert _console_run(root, tmp_path / "site", tmp_path).returncode == 0
    before = snapshot(tmp_path / "site")
    path = root / rel
    text = path.read_text(encoding="utf-8").replace(old, new)
    path.write_text(text, encoding="utf-8")
    where = f"{rel}:{text[:text.index(new)].count(chr(10)) + 1}"     # the line of the Cyrillic text
    result = _console_run(root, tmp_path / "site", tmp_path)
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert f"error: {where}".encode() in result.stderr and b"?" in result.stderr
    assert result.stderr.isascii()
    assert snapshot(tmp_path / "site") == before


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_latin1_byte_in_a_catalogue_names_its_line_and_byte(previous, data):
    rel = f"content/{data.draw(st.sampled_from(['it', 'en', 'ru']), label='language')}/messages.po"
    text = (REPO / rel).read_text(encoding="utf-8")
    line = data.draw(st.integers(1, text.count("\n")), label="line")
    byte = data.draw(BAD_BYTES, label="byte")
    content, _ = _with_byte(text, line, byte)
    err = previous.refused({rel: content})
    assert f"error: {rel}:{line}: the catalogue cannot be read: byte 0x{byte:02x} is not UTF-8 text" in err


TEMPLATES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "templates").rglob("*")
                   if p.suffix in (".html", ".xml"))


@pytest.mark.parametrize("rel", TEMPLATES)
def test_a_latin1_byte_in_a_template_names_its_line(previous, rel):
    text = (REPO / rel).read_text(encoding="utf-8")
    content, column = _with_byte(text, 2, 0xE8)
    err = previous.refused({rel: content})
    assert f"error: {rel}:2:{column}: byte 0xe8 is not UTF-8 text" in err


# -- any damage to any file: a build or a message, never a traceback ----------------------------
DAMAGE = st.one_of(
    st.binary(min_size=1, max_size=8).map(lambda b: ("insert", b)),
    st.text(min_size=1, max_size=8).map(lambda t: ("insert", t.encode("utf-8", "surrogatepass"))),
    st.sampled_from(["'", '"', "[", "{", ": ", "\n  ", "\n-", "&a", "*a", "!!python/object:os.system", "%TAG",
                     "---", "{{", "}}", "{%", "\t", "\r", "\ufeff"]).map(lambda t: ("insert", t.encode())),
    st.integers(1, 40).map(lambda n: ("delete", n)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_damage_to_any_file_builds_or_fails_with_a_message(previous, data):
    rel = data.draw(st.sampled_from(FILES), label="file")
    content = base_files()[rel].encode("utf-8")
    for _ in range(data.draw(st.integers(1, 3), label="damages")):
        position = data.draw(st.integers(0, len(content)), label="position")
        kind, what = data.draw(DAMAGE, label="damage")
        content = (content[:position] + what + content[position:] if kind == "insert"
                   else content[:position] + content[position + what:])
    root = previous.broken({rel: content})
    code, _, err = run(root, "build", "--out", str(previous.out), "--no-cache")
    shutil.rmtree(root, ignore_errors=True)
    assert "Traceback" not in err
    if code == 0:
        run(previous.good, "build", "--out", str(previous.out), "--no-cache")
    else:
        assert code == 1 and err.rstrip().endswith("Nothing was published: the previous site is unchanged.")
        assert snapshot(previous.out) == previous.before
        assert ":0:" not in err and ":0\n" not in err


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_damage_to_any_template_builds_or_fails_with_a_message(previous, data):
    rel = data.draw(st.sampled_from(TEMPLATES), label="template")
    content = (REPO / rel).read_bytes()
    for _ in range(data.draw(st.integers(1, 3), label="damages")):
        position = data.draw(st.integers(0, len(content)), label="position")
        kind, what = data.draw(DAMAGE, label="damage")
        content = (content[:position] + what + content[position:] if kind == "insert"
                   else content[:position] + content[position + what:])
    root = previous.broken({rel: content})
    code, _, err = run(root, "build", "--out", str(previous.out), "--no-cache")
    shutil.rmtree(root, ignore_errors=True)
    assert "Traceback" not in err
    if code == 0:
        run(previous.good, "build", "--out", str(previous.out), "--no-cache")
    else:
        assert code == 1 and snapshot(previous.out) == previous.before
