"""A large page (the leaflet) is published piece by piece (render/assets.py `rewritten_pieces`,
`publish_into`): the files written must be the bytes `publish` makes of the whole page at once."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patientsite.render import assets
from patientsite.render.assets import Publishing
from patientsite.render.cache import RenderCache

ASSETS = [("static/style.css", b"body{}"), ("static/search.js", b"x()"), ("brand.css", b":root{}"),
          ("static/favicon.svg", b"<svg/>")]
# what a page holds around its references to assets (whole, or cut by the chunks): a piece may end anywhere
BITS = ['<link href="../../static/style.css">', '<script src="/static/search.js?v=1"></script>',
        '<meta content="https://clinic.example/brand.css#x">', '<a href="../../favicon.svg">', '<img src="',
        "../../static/style.css", '"', "=", '="', " ", "\n", ">", "href", "Текст ", "è", "x"]


def publishing() -> Publishing:
    return Publishing.of(ASSETS, "https://clinic.example/")


@settings(max_examples=300, deadline=None)
@given(bits=st.lists(st.sampled_from(BITS), max_size=60), sizes=st.lists(st.integers(1, 9), min_size=1),
       piece=st.integers(1, 12))
def test_a_page_rewritten_in_pieces_is_the_page_rewritten_whole(bits, sizes, piece):
    text = "".join(bits)
    chunks, at, turn = [], 0, 0
    while at < len(text):
        chunks.append(text[at:at + sizes[turn % len(sizes)]])
        at, turn = at + sizes[turn % len(sizes)], turn + 1
    whole = publishing().rewritten("en/leaflet/index.html", text.encode("utf-8"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assets, "PIECE", piece)       # a cut wherever one may be
        pieces = list(publishing().rewritten_pieces("en/leaflet/index.html", chunks))
    assert b"".join(pieces) == whole


def leaflet_text(copies: int) -> list[str]:
    """A leaflet-like page, as a template's many small chunks and large parts."""
    part = ('<section id="page-a"><h2>Заголовок è</h2><p><a href="../static/style.css">x</a> '
            '<img src="../../static/favicon.svg" alt=""> <a href="#page-a--b">b</a></p></section>\n') * 40
    return ['<!DOCTYPE html><html lang="ru"><link rel="stylesheet" href="', "../../", "static/style.css", '">',
            *([part, '<hr class="', "x", '">'] * copies), "</html>\n"]


@pytest.mark.parametrize("copies", [0, 1, 60])
@pytest.mark.parametrize("cached", [False, True])
def test_a_page_published_into_a_folder_in_pieces_is_the_page_published_whole(tmp_path, copies, cached):
    chunks = leaflet_text(copies)
    path = "ru/leaflet/index.html"
    cache = RenderCache(tmp_path / "cache") if cached else None
    whole = publishing().publish(path, "".join(chunks).encode("utf-8"))
    if cached:      # the first build compressed the page: the second takes the encodings from the cache
        publishing().publish_into(tmp_path / "first", path, iter(chunks), cache)
    made = publishing().publish_into(tmp_path / "site", path, iter(chunks), cache)
    assert [name for name, _ in made] == [name for name, _ in whole]
    for (name, content), (_, sha) in zip(whole, made, strict=True):
        assert (tmp_path / "site" / name).read_bytes() == content
        assert sha == hashlib.sha256(content).hexdigest()
    if copies == 60:
        assert len(whole[0][1]) > 4 * assets.PIECE      # written in many pieces


def test_an_empty_page_is_published_in_pieces_as_whole(tmp_path):
    made = publishing().publish_into(tmp_path, "a.html", iter([""]))
    whole = publishing().publish("a.html", b"")
    assert [(tmp_path / name).read_bytes() for name, _ in made] == [content for _, content in whole]
