"""Guarantees of the sanitizer (markdown.py): only allow-listed tags, attributes and URL schemes reach
a page; scripts, event handlers, `style=` and script or data URLs are removed, and every removal the
build can see is named with its line (find_unsafe_markup)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patientsite.render.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    find_unsafe_markup,
    make_markdown,
    sanitize,
    to_html,
    to_inline_html,
)

VOID = {"br", "hr"}


INNER = {"table": "<tbody><tr><td>x</td></tr></tbody>", "thead": "<tr><td>x</td></tr>",
         "tbody": "<tr><td>x</td></tr>", "tr": "<td>x</td>", "ul": "<li>x</li>", "ol": "<li>x</li>",
         "dl": "<dt>x</dt>"}


def element(tag: str, attrs: str = "", inner: str = "x") -> str:
    inner = INNER.get(tag, inner)
    return f"<{tag}{attrs}>" if tag in VOID else f"<{tag}{attrs}>{inner}</{tag}>"


def wrapped(tag: str, html: str) -> str:
    """Table parts are only kept inside a table: give them one."""
    parents = {"caption": "table", "thead": "table", "tbody": "table", "tr": "table><tbody",
               "td": "table><tbody><tr", "th": "table><tbody><tr", "li": "ul", "dt": "dl", "dd": "dl"}
    if tag not in parents:
        return html
    opening = "<" + parents[tag] + ">"
    closing = "".join(f"</{p}>" for p in reversed(parents[tag].split("><")))
    return opening + html + closing


# -- tags ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("tag", sorted(ALLOWED_TAGS))
def test_every_allowed_tag_is_kept(tag):
    html = wrapped(tag, element(tag))
    assert sanitize(html) == html


@pytest.mark.parametrize("tag", ["script", "style", "iframe", "object", "embed", "img", "form", "input", "svg",
                                 "math", "link", "meta", "base", "h1", "button", "textarea", "video", "audio"])
def test_a_tag_not_allowed_is_removed(tag):
    cleaned = sanitize(f"<div>before{element(tag, ' src=x', 'inner')}after</div>")
    assert f"<{tag}" not in cleaned and f"</{tag}" not in cleaned
    assert cleaned.startswith("<div>before") and cleaned.endswith("after</div>")
    if tag in ("script", "style"):
        assert "inner" not in cleaned         # their content too, not only the tags


def test_comments_are_removed():
    assert sanitize("<p>a<!-- secret --><!--[if IE]>x<![endif]-->b</p>") == "<p>ab</p>"


# -- attributes ----------------------------------------------------------------------------------------
ATTRIBUTE_CASES = sorted((tag, attr) for tag, attrs in ALLOWED_ATTRIBUTES.items() if tag != "*" for attr in attrs)


@pytest.mark.parametrize("tag, attr", ATTRIBUTE_CASES)
def test_every_allowed_attribute_is_kept_on_its_tag(tag, attr):
    value = "https://x.example/" if attr == "href" else "2"
    html = wrapped(tag, element(tag, f' {attr}="{value}"'))
    assert sanitize(html) == html


@pytest.mark.parametrize("tag", sorted(ALLOWED_TAGS))
@pytest.mark.parametrize("attr", ["class", "id", "lang"])
def test_the_common_attributes_are_kept_on_every_tag(tag, attr):
    html = wrapped(tag, element(tag, f' {attr}="v"'))
    assert sanitize(html) == html


SPECIFIC = sorted({a for attrs in ALLOWED_ATTRIBUTES.values() for a in attrs} - ALLOWED_ATTRIBUTES["*"])


@pytest.mark.parametrize("tag", sorted(ALLOWED_TAGS))
def test_an_attribute_is_kept_only_where_it_is_allowed(tag):
    allowed = ALLOWED_ATTRIBUTES.get(tag, ALLOWED_ATTRIBUTES["*"])
    for attr in SPECIFIC:
        cleaned = sanitize(wrapped(tag, element(tag, f' {attr}="2"')))
        assert (f'{attr}="2"' in cleaned) == (attr in allowed), (tag, attr)


@pytest.mark.parametrize("attr", ["style", "onclick", "onmouseover", "onerror", "ONLOAD", "formaction", "srcdoc",
                                  "data-x", "data-secret", "target", "rel", "src", "tabindex", "contenteditable"])
@pytest.mark.parametrize("tag", ["a", "p", "span", "li", "div", "td"])
def test_style_event_handlers_and_other_attributes_are_removed(attr, tag):
    cleaned = sanitize(wrapped(tag, element(tag, f' {attr}="color:red;alert(1)"', "text")))
    assert attr.lower() not in cleaned.lower() and "alert" not in cleaned and "text" in cleaned


def test_no_rel_is_added_to_links():
    assert sanitize('<a href="https://x.example/">l</a>') == '<a href="https://x.example/">l</a>'


# -- URLs ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["https://x.example/a?b=c", "http://x.example/", "mailto:a@b.example", "tel:+39000",
                                 "../page/index.html", "#anchor", "page.html", "/abs/"])
def test_allowed_and_relative_urls_are_kept(url):
    assert sanitize(f'<a href="{url}">l</a>') == f'<a href="{url}">l</a>'


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                                 "jav&#x61;script:alert(1)", "java\tscript:alert(1)", "vbscript:msgbox(1)",
                                 "data:text/html;base64,PHNjcmlwdD4=", "DATA:text/html,x", "file:///etc/passwd",
                                 "ftp://x.example/"])
def test_script_data_and_other_urls_are_removed(url):
    assert sanitize(f'<a href="{url}">l</a>') == "<a>l</a>"


# -- Markdown ------------------------------------------------------------------------------------------
def test_markdown_gives_tables_sane_lists_and_heading_ids():
    md = make_markdown()
    assert to_html(md, "## Дозы и курс\n\n## A\n\n## A") == (
        '<h2 id="дозы-и-курс">Дозы и курс</h2>\n<h2 id="a">A</h2>\n<h2 id="a_1">A</h2>')
    assert to_html(md, "## A") == '<h2 id="a">A</h2>'        # reset between texts: no "a_2"
    assert to_html(md, "| a |\n|---|\n| 1 |") == (
        "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n</tr>\n</tbody>\n</table>")
    assert to_html(md, "3. x\n4. y\n\n- z") == '<ol start="3">\n<li>x</li>\n<li>y</li>\n</ol>\n<ul>\n<li>z</li>\n</ul>'


@pytest.mark.parametrize("text, html", [
    ("a *b*", "a <em>b</em>"), ("a", "a"), ("", ""), ("a\n\nb", "<p>a</p>\n<p>b</p>"), ("- x", "<ul>\n<li>x</li>\n</ul>"),
    ("<p>x</p>", "x"), ("p>x</p", "p&gt;x&lt;/p"), ("[l](https://x.example/)", '<a href="https://x.example/">l</a>'),
])
def test_a_short_text_loses_only_its_one_wrapping_paragraph(text, html):
    assert to_inline_html(make_markdown(), text) == html


def test_list_item_words_are_sanitized_like_pages():
    md = make_markdown()
    words = ('See [this](javascript:alert(1)) <span style="color:red" onclick="x()">now</span>'
             '<script>steal()</script> [data](data:text/html,x)')
    cleaned = sanitize(to_inline_html(md, words))
    assert cleaned == 'See <a>this</a> <span>now</span> <a>data</a>'


# -- naming what is removed ----------------------------------------------------------------------------
@pytest.mark.parametrize("snippet, what", [
    ("<script>x</script>", "<script"), ("< SCRIPT src=x>", "< SCRIPT"), ("<iframe src=x>", "<iframe"),
    ("<object>", "<object"), ("<embed>", "<embed"), ("<style>p{}</style>", "<style"),
    ('<p onclick="x">', "onclick="), ('<p\tONMOUSEOVER = "x">', "ONMOUSEOVER ="),
    ("[l](javascript:alert(1))", "javascript:"), ("[l](JavaScript :x)", "JavaScript:"),
    ("[l](vbscript:x)", "vbscript:"), ("[l](data:text/html,x)", "data:"), ("[l]( <data:x>)", "data:"),
    ("<data:text/html,x>", "data:"), ('<a href="data:x">l</a>', "data:"), ("<a href='DATA:x'>l</a>", "DATA:"),
    ("<a href=data:x>l</a>", "data:"), ("[ref]: data:text/html,x", "data:"), ("  [ref]: <javascript:x>", "javascript:"),
])
def test_each_kind_of_unsafe_markup_is_named(snippet, what):
    assert find_unsafe_markup(f"intro\n\n{snippet} more\nlast") == [(3, what)]


@pytest.mark.parametrize("text", ["Personal data: none kept.", "metadata:x", '<span data-fact="a">x</span>',
                                  "a <b>bold</b> text", "once upon a time", "[l](https://x.example/data:x)",
                                  "scripture: 3", "", "no markup at all"])
def test_ordinary_text_is_not_named(text):
    assert find_unsafe_markup(text) == []


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["plain", "<script>", '<p onclick="x">', "[l](javascript:x)",
                                           "[l](data:x)", "<a href='vbscript:x'>"]),
                          st.sampled_from(["", "text ", "Personal data: "])), min_size=1, max_size=8))
def test_every_unsafe_line_is_named_with_its_number(lines):
    text = "\n".join(prefix + kind for kind, prefix in lines)
    expected = [(n, {"<script>": "<script", '<p onclick="x">': "onclick=", "[l](javascript:x)": "javascript:",
                     "[l](data:x)": "data:", "<a href='vbscript:x'>": "vbscript:"}[kind])
                for n, (kind, _prefix) in enumerate(lines, start=1) if kind != "plain"]
    assert find_unsafe_markup(text) == expected


def test_two_removals_on_one_line_are_both_named():
    assert find_unsafe_markup('<p onclick="a" onblur="b">[x](javascript:y)</p>') == [
        (1, "onclick="), (1, "onblur="), (1, "javascript:")]


def test_what_the_sanitizer_removes_from_a_url_is_what_is_named():
    for scheme in ("javascript", "vbscript", "data"):
        text = f"[l]({scheme}:x)"
        assert sanitize(to_inline_html(make_markdown(), text)) == "<a>l</a>"
        assert find_unsafe_markup(text) == [(1, f"{scheme}:")]
    assert re.search("href", sanitize(to_inline_html(make_markdown(), "[l](https://x.example/)")))


# -- images are found (and so refused) with their line ----------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("no image here", []),
    ("a < b, and ![ is not an image", []),
    ("![A syringe](syringe.png)", [(1, "![A syringe](syringe.png)")]),
    ("first line\n\nBefore ![](a.jpg) after", [(3, "![](a.jpg)")]),
    ("one\n<img src=x alt=y>\n", [(2, "<img src=x alt=y>")]),
    ("![a](b.png) and ![c][ref]\nthen <IMG src=e>", [(1, "![a](b.png)"), (1, "![c][ref]"), (2, "<IMG src=e>")]),
])
def test_every_image_is_found_on_its_line(text, expected):
    """A Markdown or HTML image, as written, with the line it is on (the build refuses it there)."""
    from patientsite.render.markdown import find_images

    assert find_images(text) == expected


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("scriptdaonvbj SCRIPTDATA:=<[]()\n\"'ſK-")), max_size=60))
def test_text_without_a_bracket_an_equals_sign_or_a_colon_is_never_unsafe(text):
    from patientsite.render.markdown import _UNSAFE

    if not any(c in text for c in "<=:"):          # what find_unsafe_markup skips unread
        assert _UNSAFE.search(text) is None and find_unsafe_markup(text) == []
