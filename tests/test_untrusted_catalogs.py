"""Issue 9.1: a translator's UI strings (messages.po) are untrusted text. Every string of every
catalogue is replaced by hostile text; the built pages must have exactly the elements and attributes
of a clean build (nothing injected, no attribute broken out of), and show the text, escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sitefiles import make_site

from patientsite.cli import main
from patientsite.load.i18n import MARKUP

LANGS = ("it", "en", "ru")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
CLASSIC = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    '" autofocus onfocus="alert(1)',
    "</title><script>alert(1)</script>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<style>body{display:none}</style>",
    "</script><script>alert(1)</script>",
    "<!-- --><svg onload=alert(1)>",
]


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}


class _Shape(HTMLParser):
    """The structure of a page: each element with its attribute names, and every script's type."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.shape: list[tuple] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.shape.append((tag, tuple(sorted(name for name, _ in attrs))))
        self.handlers += [f"{tag} {name}={value}" for name, value in attrs       # a URL that runs, not text
                          if name.startswith("on") or (name in URL_ATTRIBUTES
                                                       and (value or "").strip().lower().startswith("javascript:"))]
        if tag == "script":
            self.shape.append(("script-type", dict(attrs).get("type")))


def shape(path: Path) -> tuple[list, list]:
    reader = _Shape()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.shape, reader.handlers


def poison(root: Path, payload: str) -> None:
    """Every msgstr of every catalogue becomes the payload, keeping the msgid's placeholders."""
    for lang in LANGS:
        path = root / "content" / lang / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale={"it": "it_IT", "en": "en_GB", "ru": "ru_RU"}[lang])
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            names = sorted({name for text in ids for name in PLACEHOLDER.findall(text)})
            text = payload.replace("%", "%%") + "".join(f" %({name})s" for name in names)
            message.string = tuple(text for _ in range(catalog.num_plurals)) if isinstance(message.id, tuple) else text
        with path.open("wb") as handle:
            write_po(handle, catalog)


def build(root: Path, out: Path) -> int:
    return main(["--root", str(root), "build", "--out", str(out), "--no-cache"])


def pages(out: Path) -> dict[str, Path]:
    return {p.relative_to(out).as_posix(): p for p in sorted(out.rglob("*.html"))}


_reference: dict = {}


def reference_shapes(tmp_root: Path, capsys) -> dict:
    if not _reference:
        root = make_site(tmp_root / "clean")
        poison(root, "Plain words")
        assert build(root, tmp_root / "clean-out") == 0
        _reference.update({rel: shape(p)[0] for rel, p in pages(tmp_root / "clean-out").items()})
        capsys.readouterr()
    return _reference


def assert_inert(root: Path, out: Path, payload: str, capsys, tmp_root: Path) -> None:
    expected = reference_shapes(tmp_root, capsys)
    poison(root, payload)
    assert build(root, out) == 0
    err = capsys.readouterr().err
    built = pages(out)
    assert set(built) == set(expected)
    for rel, path in built.items():
        found, handlers = shape(path)
        assert handlers == [], f"{rel}: event handler or javascript: URL from a translation: {handlers}"
        assert found == expected[rel], f"{rel}: a translation changed the page's elements or attributes"
    if "<" in payload or "&" in payload:
        home = (out / "it" / "index.html").read_text(encoding="utf-8")
        assert "&lt;" in home or "&amp;" in home          # shown as text
    if MARKUP.search(payload):
        assert "contains markup" in err and "content/it/messages.po:" in err


def test_classic_payloads_in_every_string_are_inert(tmp_path, capsys):
    for index, payload in enumerate(CLASSIC):
        root = make_site(tmp_path / f"p{index}")
        assert_inert(root, tmp_path / f"out{index}", payload, capsys, tmp_path)


_ALPHABET = st.sampled_from(list("<>\"'&=/ ;:()") + ["script", "onload", "img", "javascript", "a", "x", "\n"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.lists(_ALPHABET, min_size=1, max_size=14).map("".join).filter(lambda s: s.strip()))
@example(payload="javascript:")
def test_generated_payloads_are_inert(tmp_path_factory, capsys, payload):
    base = tmp_path_factory.mktemp("gen")
    root = make_site(base / "project")
    assert_inert(root, base / "out", payload, capsys, tmp_path_factory.getbasetemp())


def test_check_names_the_translation_with_markup(tmp_path, capsys):
    root = make_site(tmp_path / "project")
    path = root / "content" / "ru" / "messages.po"
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgstr "Перейти к содержанию"', 'msgstr "Перейти <b>к</b> содержанию"')
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index('msgstr "Перейти <b>к</b> содержанию"')   # msgid is the line before
    assert main(["--root", str(root), "check", "--strict"]) != 0
    err = capsys.readouterr()
    assert f'content/ru/messages.po:{line}: the translation of "Skip to content" contains markup (<b)' in err.out + err.err
