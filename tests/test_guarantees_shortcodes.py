"""Guarantees of the page calls (shortcodes.py): every call in a text is found with its exact line and
span, every mistake is named on its own line, and expanding the calls keeps every other character of
the text (the first and the last included)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patientsite.load.shortcodes import FUNCTIONS, Call, expand, read_calls


@pytest.fixture(autouse=True)
def no_cached_answers():
    """Each test reads its texts itself (so a mutation run sees which tests read calls)."""
    read_calls.cache_clear()


def call_at(text: str, snippet: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(snippet, start + 1)
    return start, start + len(snippet)


FUNCTIONS_ECHO = {name: (lambda argument, name=name: f"<{name}:{argument!r}>") for name in FUNCTIONS}


# -- what is a call ----------------------------------------------------------------------------------
def test_a_text_without_a_brace_has_no_calls():
    assert read_calls("plain text, no calls at all\nsecond line") == ((), ())
    assert read_calls("") == ((), ())


@pytest.mark.parametrize("snippet, function, names", [
    ('{{ fact("a.b") }}', "fact", ("a.b",)),
    ("{{fact('a')}}", "fact", ("a",)),
    ('{{   link( "home" )   }}', "link", ("home",)),
    ('{{ fact_faq("faq") }}', "fact_faq", ("faq",)),
    ('{{ fact_list("l") }}', "fact_list", ("l",)),
    ('{{ fact_table("t") }}', "fact_table", ("t",)),
    ('{{ fact_table(["a", "b"]) }}', "fact_table", ("a", "b")),
    ('{{ fact_table(("a", \'b\')) }}', "fact_table", ("a", "b")),
    ('{{ fact("say \\"hi\\"") }}', "fact", ('say "hi"',)),
    ('{{ fact(\n"wrapped") }}', "fact", ("wrapped",)),
])
def test_each_function_and_quoting_is_read(snippet, function, names):
    assert read_calls(snippet) == ((Call(function, names, 1, 0, len(snippet)),), ())


@pytest.mark.parametrize("snippet", ['{{ fact() }}', '{{ fact }}', '{{ fact(a) }}', '{{ fact(1) }}',
                                     '{{ fact(["a"]) }}', '{{ fact_table([]) }}', '{{ fact_table(["a", 1]) }}',
                                     '{{ fact_table({"a": 1}) }}', '{{ link("a", "b") }}', '{{ fact("a" }}',
                                     '{{ fact(None) }}', '{{ fact_table("a" "b" 1) }}'])
def test_a_call_without_one_quoted_name_is_a_mistake(snippet):
    calls, mistakes = read_calls(snippet)
    assert calls == () and [m.line for m in mistakes] == [1]
    assert mistakes[0].message.endswith("() needs one quoted name") or mistakes[0].message.startswith("cannot read")


@pytest.mark.parametrize("snippet, start", [
    ("{% if x %}", '"{% if x %}" is not allowed'), ("{# note #}", '"{# note #}" is not allowed'),
    ("{{ 1 + 2 }}", "cannot read"), ("{{ }}", "cannot read"), ("{{ fact.x }}", "cannot read"),
    ('{{ facts("a") }}', 'unknown name "facts"'), ('{{ include("a") }}', 'unknown name "include"'),
    ('{{ Fact("a") }}', 'unknown name "Fact"'),
])
def test_template_syntax_and_unknown_names_are_mistakes(snippet, start):
    calls, mistakes = read_calls(f"intro\n\nsee {snippet} here")
    assert calls == () and len(mistakes) == 1
    assert mistakes[0].line == 3 and mistakes[0].message.startswith(start)


def test_a_misspelt_name_gets_a_suggestion():
    assert 'did you mean "fact_list"?' in read_calls('{{ fact_lsit("a") }}')[1][0].hint


@pytest.mark.parametrize("function", ["fact_faq", "fact_list", "fact_table"])
@pytest.mark.parametrize("text, alone", [
    ("{call}", True), ("  {call}  ", True), ("a\n{call}\nb", True), ("a\n\t{call}", True), ("{call}\n", True),
    ("x {call}", False), ("{call} x", False), ("a\nx{call}\nb", False), ("a\n{call}.\nb", False),
    ("{call}\n{call}", True),
])
def test_a_block_call_must_stand_alone_on_its_line(function, text, alone):
    text = text.replace("{call}", f'{{{{ {function}("a") }}}}')
    calls, mistakes = read_calls(text)
    expected = text.count("{{")
    if alone:
        assert len(calls) == expected and mistakes == ()
    else:
        assert calls == () and [(m.line, m.message) for m in mistakes] == [
            (text[:text.index("{{")].count("\n") + 1, f"{function}() must stand alone on its line")]


def test_inline_calls_may_share_a_line_with_text():
    text = 'Take {{ fact("a") }} twice, see {{ link("b") }}.'
    assert [c.function for c in read_calls(text)[0]] == ["fact", "link"]


# -- lines and spans -----------------------------------------------------------------------------------
FILLER = st.text(st.characters(blacklist_characters="{}\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
                               blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(FILLER, st.sampled_from(["fact", "link", "bad", "tpl", "unknown"]), FILLER,
                          st.integers(0, 3)), min_size=1, max_size=6), FILLER)
def test_every_call_and_mistake_has_its_exact_line_and_span(pieces, tail):
    text, expected_calls, expected_lines = "", [], []
    for before, kind, after, newlines in pieces:
        text += before
        line = text.count("\n") + 1
        snippet = {"fact": '{{ fact("f.' + str(len(text)) + '") }}', "link": "{{ link('p') }}", "bad": "{{ 1 + }}",
                   "tpl": "{% x %}", "unknown": '{{ nope("a") }}'}[kind]
        start = len(text)
        text += snippet + after + "\n" * newlines
        if kind in ("fact", "link"):
            names = (f"f.{start}",) if kind == "fact" else ("p",)
            expected_calls.append(Call(kind, names, line, start, start + len(snippet)))
        else:
            expected_lines.append(line)
    text += tail
    calls, mistakes = read_calls(text)
    assert list(calls) == expected_calls
    assert [m.line for m in mistakes] == expected_lines


@pytest.mark.parametrize("before", ["\n", "\n\n", "x\n", "\nx\n"])
def test_a_call_after_leading_newlines_has_its_line(before):
    text = before + '{{ fact("a") }} and {{ link("b") }}\n{% x %}'
    line = before.count("\n") + 1
    assert [c.line for c in read_calls(text)[0]] == [line, line]
    assert [m.line for m in read_calls(text)[1]] == [line + 1]


@pytest.mark.parametrize("mistake", ['{{ fact() }}', '{{ fact(1) }}', 'x {{ fact_list("l") }}', '{{ nope("a") }}',
                                     '{{ 1 + }}', '{% x %}'])
def test_a_mistake_does_not_hide_the_calls_after_it(mistake):
    text = f'{mistake}\n{{{{ fact("a") }}}} then {{{{ link("b") }}}}\n\n{{{{ fact_list("c") }}}}\n'
    calls, mistakes = read_calls(text)
    assert [(c.function, c.line) for c in calls] == [("fact", 2), ("link", 2), ("fact_list", 4)]
    assert [m.line for m in mistakes] == [1]


def test_a_call_after_a_multi_line_call_has_its_own_line():
    text = 'a\n{{ fact(\n"x") }}\nb\n{{ fact("y") }}\n{% no %}'
    calls, mistakes = read_calls(text)
    assert [(c.names, c.line) for c in calls] == [(("x",), 2), (("y",), 5)]
    assert [m.line for m in mistakes] == [6]


# -- expanding ---------------------------------------------------------------------------------------
EXPANDED = {'{{ fact("a") }}': "<fact:'a'>", "{{link('b')}}": "<link:'b'>",
            '\n{{ fact_table(["c", "d"]) }}\n': "\n<fact_table:['c', 'd']>\n"}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(FILLER, st.sampled_from(sorted(EXPANDED))), max_size=5), FILLER)
def test_expanding_keeps_every_character_around_the_calls(pieces, tail):
    text = "".join(before + call for before, call in pieces) + tail
    expected = "".join(before + EXPANDED[call] for before, call in pieces) + tail
    assert expand(text, read_calls(text)[0], FUNCTIONS_ECHO) == expected


def test_expanding_the_first_and_last_character():
    text = 'X{{ fact("a") }}Y{{ link("b") }}Z'
    assert expand(text, read_calls(text)[0], FUNCTIONS_ECHO) == "X<fact:'a'>Y<link:'b'>Z"
    text = '{{ fact("a") }}'
    assert expand(text, read_calls(text)[0], {"fact": lambda a: 7}) == "7"


def test_expanding_without_calls_returns_the_text():
    assert expand("a {{ b", (), {}) == "a {{ b"


# -- help_box(), block calls alone on their line, the cap on mistakes -------------------------------
def _read(text):
    from patientsite.load import shortcodes

    return shortcodes._read_calls(text)      # uncached: each test sees the reader itself


def test_help_box_takes_nothing_and_stands_alone():
    text = "Intro.\n\n{{ help_box() }}\n\nMore."
    calls, mistakes = _read(text)
    assert mistakes == ()
    assert [(c.function, c.names, c.line, text[c.start:c.end]) for c in calls] == [
        ("help_box", (), 3, "{{ help_box() }}")]
    from patientsite.load.shortcodes import expand
    assert expand(text, calls, {"help_box": lambda: "BOX"}) == "Intro.\n\nBOX\n\nMore."


@pytest.mark.parametrize("call", ['{{ help_box("x") }}', "{{ help_box }}", "{{ help_box(1) }}"])
def test_help_box_with_anything_between_its_brackets_is_a_mistake_on_its_line(call):
    calls, mistakes = _read(f"one\ntwo\n\n{call}\n")
    assert calls == () and [m.line for m in mistakes] == [4]


@pytest.mark.parametrize("function", ["fact_list", "fact_faq", "help_box"])
@pytest.mark.parametrize("before, after", [("Text ", ""), ("", " text"), ("  ", "  ")])
def test_a_block_call_with_text_beside_it_is_a_mistake(function, before, after):
    args = "" if function == "help_box" else '"x"'
    text = f"first\n{before}{{{{ {function}({args}) }}}}{after}\nlast"
    calls, mistakes = _read(text)
    alone = not before.strip() and not after.strip()
    assert (len(calls), len(mistakes)) == ((1, 0) if alone else (0, 1))
    assert [c.line for c in calls] + [m.line for m in mistakes] == [2]


def test_a_block_call_on_the_last_line_without_a_newline_is_alone():
    calls, mistakes = _read('a\n\n{{ fact_list("x") }}')
    assert mistakes == () and [(c.function, c.names, c.line) for c in calls] == [("fact_list", ("x",), 3)]


def test_the_mistakes_of_one_text_stop_after_the_cap_with_one_last_line():
    from patientsite.load.shortcodes import MAX_MISTAKES

    text = "".join(f"line {n} {{{{ nope() }}}}\n" for n in range(1, MAX_MISTAKES + 11))
    calls, mistakes = _read(text)
    assert calls == ()
    assert [m.line for m in mistakes] == list(range(1, MAX_MISTAKES + 1)) + [MAX_MISTAKES]   # said on the last one
    assert mistakes[-1].message == "more mistakes follow in this text"
    assert MAX_MISTAKES == 50


@pytest.mark.parametrize("opening, line", [("{{", 3), ("{%", 2), ("{#", 4)])
def test_an_opening_never_closed_is_a_mistake_where_it_opens(opening, line):
    lines = ["a", "b", "c", "d"]
    lines[line - 1] += f" {opening} fact("
    calls, mistakes = _read("\n".join(lines) + '\n{{ fact("ok") }}')
    assert [m.line for m in mistakes] == [line]
    assert [(c.function, c.names, c.line) for c in calls] == [("fact", ("ok",), 5)]


@pytest.mark.parametrize("args, names", [
    ('"a"', ("a",)), ("'b'", ("b",)), (' "c" ', ("c",)), ('"a" + "b"', None), ("", None), ("1", None),
    ('["x", "y"]', None), ('("x",)', None),
])
def test_one_quoted_name_is_read_and_nothing_else(args, names):
    from patientsite.load.shortcodes import _names

    assert _names(args, "fact") == names


@pytest.mark.parametrize("args, names", [
    ('["x", "y"]', ("x", "y")), ('("x", "y")', ("x", "y")), ("[]", None), ('["x", 1]', None), ('"x"', ("x",)),
])
def test_a_table_takes_a_list_of_quoted_names(args, names):
    from patientsite.load.shortcodes import _names

    assert _names(args, "fact_table") == names


@settings(max_examples=300)
@given(st.text(alphabet='{}%#ab\n "()', max_size=60))
def test_the_fast_scan_finds_what_the_call_pattern_finds_everywhere(text):
    from patientsite.load import shortcodes

    assert [(m.span(), m.groups()) for m in shortcodes._call_matches(text)] == \
        [(m.span(), m.groups()) for m in shortcodes._CALL.finditer(text)]
