"""Bad input, kind: values. Impossible and out-of-range dates and numbers, YAML bombs (aliases, nesting),
unclosed quotes (reported where they open), words that call lists (self and cycles), exceptions inside
templates, missing templates, a full disk and refused writes. Each: exit 1, the exact `path:line`, no
traceback, the previous site byte-identical; the bombs in a subprocess with bounded time and memory."""

from __future__ import annotations

import calendar
import errno
import os
import resource
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from badinput import PUBLISHED_NOTHING, Previous, line_of, run, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefiles import FACTS_YAML, REPO, SITE_YAML, WORDS, base_files, page_text

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
TREATMENT = page_text("it", "treatment.md")
REVIEWED_LINE = line_of(TREATMENT, "reviewed:")


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    return Previous(tmp_path_factory.mktemp("values"))


# -- dates ----------------------------------------------------------------------------------------
def _impossible_dates():
    def impossible(year, month, day):
        return month > 12 or month == 0 or day == 0 or day > calendar.monthrange(year, month)[1]
    return st.tuples(st.integers(1900, 2999), st.integers(0, 99), st.integers(0, 99)).filter(
        lambda d: d[1] > 12 or d[1] == 0 or impossible(*d))


@SETTINGS
@given(date=_impossible_dates())
def test_an_impossible_reviewed_date_names_its_line(previous, date):
    text = f"{date[0]:04d}-{date[1]:02d}-{date[2]:02d}"
    err = previous.refused({"content/it/treatment.md": TREATMENT.replace("reviewed: 2026-11-20", f"reviewed: {text}")})
    assert f'error: content/it/treatment.md:{REVIEWED_LINE}:11: "{text}" is not a date' in err


@SETTINGS
@given(year=st.one_of(st.integers(1, 1899), st.integers(3000, 9999)))
def test_a_reviewed_year_out_of_range_names_its_line(previous, year):
    text = f"{year:04d}-02-28"
    err = previous.refused({"content/it/treatment.md": TREATMENT.replace("reviewed: 2026-11-20", f"reviewed: {text}")})
    assert f'error: content/it/treatment.md:{REVIEWED_LINE}:11: the date "{text}" is outside the years 1900-2999' in err


@pytest.mark.parametrize("rel,old,new", [
    ("content/facts.yaml", "    range: [10, 12]\n", "    value: 2026-02-30\n"),
    ("content/en/words.yaml", "  interval: interval between sessions", "  interval: 2026-02-30"),
    ("site.yaml", "  name: Tess Test", "  name: 2026-02-30"),
])
def test_an_impossible_date_in_any_yaml_file_names_its_line(previous, rel, old, new):
    text = base_files()[rel]
    err = previous.refused({rel: text.replace(old, new)})
    assert f'error: {rel}:{line_of(text, old.strip())}:' in err and '"2026-02-30" is not a date' in err


# -- numbers --------------------------------------------------------------------------------------
REVIEW = "review:\n  interval_days: {interval}\n  warn_days: {warn}\n"


@SETTINGS
@given(interval=st.one_of(st.integers(max_value=0), st.integers(min_value=3651)))
def test_a_review_interval_out_of_range_names_its_line(previous, interval):
    err = previous.refused({"site.yaml": SITE_YAML + REVIEW.format(interval=interval, warn=0)})
    line = SITE_YAML.count("\n") + 2
    assert f"error: site.yaml:{line}: interval_days {interval} must be between 1 and 3650" in err


@SETTINGS
@given(interval=st.integers(1, 3650), extra=st.integers(1, 10**30), negative=st.booleans())
def test_warn_days_out_of_range_names_its_line(previous, interval, extra, negative):
    warn = -extra if negative else interval + extra
    err = previous.refused({"site.yaml": SITE_YAML + REVIEW.format(interval=interval, warn=warn)})
    line = SITE_YAML.count("\n") + 3
    assert f"error: site.yaml:{line}: warn_days {warn} must be between 0 and interval_days ({interval})" in err


@pytest.mark.parametrize("value", ['"365"', "1.5", "true", "[365]", "{a: 1}", "2026-01-01", "abc"])
@pytest.mark.parametrize("key", ["interval_days", "warn_days"])
def test_a_review_interval_that_is_not_a_whole_number_names_its_line(previous, key, value):
    values = {"interval": 365, "warn": 30, ("interval" if key == "interval_days" else "warn"): value}
    err = previous.refused({"site.yaml": SITE_YAML + REVIEW.format(**values)})
    line = SITE_YAML.count("\n") + (2 if key == "interval_days" else 3)
    assert f'error: site.yaml:{line}: "{key}" in "review" must be a whole number' in err


BAD_NUMBERS = st.one_of(
    st.integers(max_value=-1).map(str), st.integers(min_value=1_000_001).map(str),
    st.sampled_from([".inf", "-.inf", ".nan", "1.0e400", "-0.5", "0.0000001", "1000000.5", "2.0e9"]),
    st.floats(min_value=1e-12, max_value=1e-7).map(lambda f: f"{f:.12f}"))


@SETTINGS
@given(number=BAD_NUMBERS, as_range=st.booleans())
def test_a_fact_number_out_of_range_names_its_line(previous, number, as_range):
    new = f"    range: [{number}, 2000000]\n" if as_range else f"    value: {number}\n"
    assert FACTS_YAML.count("\n    range: [2, 4]\n") == 1         # a fact's own number, not a decision's
    facts = FACTS_YAML.replace("\n    range: [2, 4]\n", "\n" + new)
    err = previous.refused({"content/facts.yaml": facts})
    what = "range" if as_range else "value"
    line = line_of(FACTS_YAML, "\n    range: [2, 4]\n") + 1
    assert f'error: content/facts.yaml:{line}: the {what} of fact "course.sessions.short" must be' in err


# -- YAML bombs: in a subprocess, with bounded time and memory ------------------------------------
def _laughs(levels: int, width: int) -> str:
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))


def _build_in_subprocess(root: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATIENTSITE_TODAY="2026-11-24")
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "build", "--out", str(out)],
                          capture_output=True, text=True, timeout=60, preexec_fn=_limited, env=env)


BOMB_PLACES = {   # where the bomb goes in each kind of YAML file: (file, text before, text after)
    "site.yaml": lambda bomb: SITE_YAML.replace("clinic:\n", "clinic:\n" + _indent(bomb, "  x")),
    "content/facts.yaml": lambda bomb: "bomb:\n" + _indent(bomb, "") + FACTS_YAML,
    "content/ru/words.yaml": lambda bomb: "bomb:\n" + _indent(bomb, "") + WORDS["ru"],
    "content/en/treatment.md": lambda bomb: page_text("en", "treatment.md").replace(
        "---\n", "---\nbomb:\n" + _indent(bomb, ""), 1),
    "content/ru/translations.lock": lambda bomb: "page:\n" + _indent(bomb, ""),
}


def _indent(bomb: str, prefix: str) -> str:
    return "".join(f"  {prefix}{line}\n" for line in bomb.splitlines())


@pytest.mark.parametrize("rel", sorted(BOMB_PLACES))
@pytest.mark.parametrize("levels,width", [(9, 9), (12, 10), (30, 2)])
def test_an_alias_bomb_is_refused_quickly_and_in_little_memory(previous, rel, levels, width):
    text = BOMB_PLACES[rel](_laughs(levels, width))
    assert len(text) < 6000
    root = previous.broken({rel: text})
    result = _build_in_subprocess(root, previous.out)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and PUBLISHED_NOTHING in result.stderr
    line = line_of(text, "&a0")
    assert f'error: {rel}:{line}:' in result.stderr and 'YAML anchor "&a0" is not allowed in content files' in result.stderr
    assert snapshot(previous.out) == previous.before


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(depth=st.integers(33, 20000), flow=st.booleans())
def test_deep_nesting_is_refused_quickly_and_in_little_memory(previous, depth, flow):
    if flow:
        nested = "deep: " + "[" * depth + "]" * depth + "\n"
    else:
        levels = min(depth, 400)
        nested = "deep:\n" + "".join(" " * level + f"k{level}:\n" for level in range(1, levels))
        nested += " " * levels + "end: 1\n"
    text = nested + FACTS_YAML
    root = previous.broken({"content/facts.yaml": text})
    result = _build_in_subprocess(root, previous.out)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "error: content/facts.yaml:" in result.stderr and "nest" in result.stderr
    assert snapshot(previous.out) == previous.before


# -- unclosed quotes: reported on the line where the quote opened --------------------------------
QUOTABLE = {rel: text for rel, text in base_files().items() if rel.endswith((".yaml", ".md"))}


def _quote_lines(text: str, quote: str, rel: str) -> list[int]:
    """Lines `key: value` whose value can be given an opening quote that nothing later closes."""
    lines = text.split("\n")
    end = lines.index("---", 1) if rel.endswith(".md") else len(lines)
    found = []
    for number, line in enumerate(lines[:end], 1):
        key, sep, value = line.partition(": ")
        if sep and value.strip() and value[0] not in "[{\"'&*|>" and quote not in "\n".join(lines[number - 1:end]):
            found.append(number)
    return found


@SETTINGS
@given(data=st.data())
def test_an_unclosed_quote_is_reported_where_it_opened(previous, data):
    rel = data.draw(st.sampled_from(sorted(QUOTABLE)), label="file")
    quote = data.draw(st.sampled_from(['"', "'"]), label="quote")
    text = QUOTABLE[rel]
    candidates = _quote_lines(text, quote, rel)
    if not candidates:
        return
    line = data.draw(st.sampled_from(candidates), label="line")
    lines = text.split("\n")
    key, _, value = lines[line - 1].partition(": ")
    lines[line - 1] = f"{key}: {quote}{value}"
    err = previous.refused({rel: "\n".join(lines)})
    assert f"error: {rel}:{line}:{len(key) + 3}: YAML syntax error: a quote opened here is never closed" in err


# -- words that call lists: a list showing itself, or a cycle ------------------------------------
@SETTINGS
@given(lang=st.sampled_from(["it", "en", "ru"]), item=st.sampled_from(["allergy", "gallstones"]),
       field=st.sampled_from(["label", "reason"]), function=st.sampled_from(["fact_list", "fact_faq", "fact_table"]))
def test_a_list_whose_words_call_a_list_names_the_line(previous, lang, item, field, function):
    words = WORDS[lang]
    start = words.index(f"      {item}: {{")
    end = words.index("\n", start)
    line = words[:start].count("\n") + 1
    entry = words[start:end]
    call = "{{ " + function + "('contraindications') }}"
    inner = entry[entry.index("{") + 1:-1]
    fields = dict(part.split(": ", 1) for part in _split_fields(inner))
    fields[field] = f'"{call}"'
    new = f"      {item}: {{" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}"
    err = previous.refused({f"content/{lang}/words.yaml": words[:start] + new + words[end:]})
    assert (f'error: content/{lang}/words.yaml:{line}: the words of "contraindications" call '
            f'{function}("contraindications")') in err


def _split_fields(inner: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in inner:
        if char == "," and depth == 0 and current.count('"') % 2 == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    parts.append(current.strip())
    return parts


def test_two_lists_calling_each_other_are_both_named(previous):
    assert FACTS_YAML.count("\ncorrections:") == 1
    facts = FACTS_YAML.replace("\ncorrections:", "\n  other.list:\n    sources: [doc-a]\n    items:\n      one: {}\n"
                               "corrections:")
    changes = {"content/facts.yaml": facts}
    for lang, words in WORDS.items():
        for reason in ("Le sostanze sono attive.", "The substances are active.", "Вещества активны."):
            words = words.replace(reason, "\"{{ fact_list('other.list') }}\"")
        words += "  other.list:\n    label: L\n    items:\n      one: {label: \"{{ fact_list('contraindications') }}\"}\n"
        changes[f"content/{lang}/words.yaml"] = words
    err = previous.refused(changes)
    for lang in WORDS:
        text = changes[f"content/{lang}/words.yaml"]
        assert (f'error: content/{lang}/words.yaml:{line_of(text, "allergy:")}: the words of "contraindications" '
                'call fact_list("other.list")') in err
        assert (f'error: content/{lang}/words.yaml:{line_of(text, "one: {label")}: the words of "other.list" '
                'call fact_list("contraindications")') in err


# -- exceptions inside templates, missing templates --------------------------------------------
BAD_EXPRESSIONS = ["{{ 1 // 0 }}", "{{ 1 % 0 }}", "{{ nofn() }}", '{{ "a" + 3 }}', '{{ "a"() }}', "{{ [1][5] }}",
                   '{{ {}["x"] }}', '{{ "%d" % "x" }}', "{{ nothing.attr }}", "{{ lang.code.nope }}",
                   "{{ lang.code | nofilter }}", "{{ 3 | attr('x') | string }}", "{% if 1 < 'a' %}x{% endif %}",
                   "{{ [1, 'a'] | sort }}", "{{ '{0}'.format() }}"]
TEMPLATE_LINES = {   # a template and a line of it that every build renders (facts/faq.html is not used here)
    "page.html": "  {{ body }}", "base.html": "<head>", "chooser.html": None, "404.html": None,
    "sitemap.xml": None, "partials/choose.html": None, "partials/not_found.html": None,
    "facts/list.html": None, "facts/table.html": None, "leaflet.html": "    {{ section.body }}",
}


@SETTINGS
@given(name=st.sampled_from(sorted(TEMPLATE_LINES)), expression=st.sampled_from(BAD_EXPRESSIONS))
def test_an_exception_inside_a_template_names_the_template_line(previous, name, expression):
    rel = f"templates/{name}"
    text = (REPO / rel).read_text(encoding="utf-8")
    anchor = TEMPLATE_LINES[name]
    if anchor is None:
        new, line = expression + "\n" + text, 1
    else:
        line = line_of(text, anchor)
        new = text.replace(anchor, anchor + expression, 1)
    err = previous.refused({rel: new}, "--no-cache")
    assert f"error: {rel}:{line}:" in err, err


GENERATOR_TEMPLATES = ["page.html", "chooser.html", "404.html", "sitemap.xml", "partials/choose.html",
                       "partials/not_found.html", "facts/list.html", "facts/table.html", "leaflet.html",
                       "search.html"]


@pytest.mark.parametrize("name", GENERATOR_TEMPLATES)
def test_a_missing_template_is_one_message_naming_it(previous, name):
    err = previous.refused({f"templates/{name}": None}, "--no-cache")
    assert err.startswith("1 error while rendering:\n"), err
    assert f"error: templates/{name}: this template is missing; the build renders with it" in err


PAGE_TEMPLATE = (REPO / "templates/page.html").read_text(encoding="utf-8")
BODY_LINE = PAGE_TEMPLATE[: PAGE_TEMPLATE.index("  {{ body }}")].count("\n") + 1


@pytest.mark.parametrize("name,including", [("base.html", ("templates/page.html:1", "templates/search.html:1")),
                                            ("partials/extra.html", (f"templates/page.html:{BODY_LINE}",))])
def test_a_missing_included_template_names_the_line_that_uses_it(previous, name, including):
    page = PAGE_TEMPLATE
    page = page.replace("  {{ body }}", '  {{ body }}{% include "partials/extra.html" %}')
    err = previous.refused({"templates/page.html": page, f"templates/{name}": None}, "--no-cache")
    assert err.startswith(f"{len(including)} error{'s' if len(including) > 1 else ''} while rendering:\n"), err
    for where in including:     # each template that uses it, once
        assert f'error: {where}: the template "{name}" used on this line is missing' in err


# -- a full disk, refused writes -----------------------------------------------------------------
DISK_ERRORS = {errno.ENOSPC: "the disk is full", errno.EACCES: "you have no permission to write here",
               errno.EROFS: "the disk is read-only", errno.EDQUOT: "your disk quota is used up",
               errno.EIO: "Input/output error"}


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(code=st.sampled_from(sorted(DISK_ERRORS)), after=st.integers(0, 13))
def test_a_failing_disk_is_a_message_and_the_previous_site_stays(previous, code, after):
    calls = {"n": 0}
    real = Path.write_bytes

    def failing(self, data):
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(code, os.strerror(code), str(self))
        return real(self, data)

    root = previous.broken({})
    with mock.patch.object(Path, "write_bytes", failing):
        status, _, err = run(root, "build", "--out", str(previous.out), "--no-cache")
    assert status == 1
    assert "Traceback" not in err and err.rstrip().endswith(PUBLISHED_NOTHING)
    assert f"cannot write: {DISK_ERRORS[code]}" in err
    assert snapshot(previous.out) == previous.before
    assert not (previous.out.parent / f".{previous.out.name}.building").exists()


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS, errno.ENOSPC])
@pytest.mark.parametrize("what", ["mkdir", "exchange", "lock"])
def test_an_unwritable_output_or_parent_folder_is_a_message(previous, what, code):
    root = previous.broken({})
    error = OSError(code, os.strerror(code), str(previous.out.parent))
    if what == "mkdir":
        real = Path.mkdir
        patch = mock.patch.object(Path, "mkdir", lambda self, *a, **k: (_ for _ in ()).throw(error)
                                  if self.name.endswith(".building") else real(self, *a, **k))
    elif what == "exchange":
        patch = mock.patch("patientsite.write.exchange", side_effect=error)
    else:
        import builtins
        real_open = builtins.open
        patch = mock.patch("builtins.open", lambda file, *a, **k: (_ for _ in ()).throw(error)
                           if str(file).endswith(".lock") else real_open(file, *a, **k))
    with patch:
        status, _, err = run(root, "build", "--out", str(previous.out), "--no-cache")
    assert status == 1, err
    assert "Traceback" not in err
    assert f"error: {previous.out.parent}: cannot write: {DISK_ERRORS[code]}" in err
    assert snapshot(previous.out) == previous.before
    assert not (previous.out.parent / f".{previous.out.name}.building").exists()


# -- size: memory stays bounded ------------------------------------------------------------------
@pytest.mark.parametrize("rel", ["content/it/faq.md", "content/facts.yaml", "content/en/words.yaml"])
def test_a_file_too_large_to_be_content_is_refused_before_it_is_read(previous, rel):
    err = previous.refused({rel: b"# " + b"x" * (4 * 1024 * 1024 + 10)})
    assert f"error: {rel}: the file is too large (4096 KB; at most 4 MB)" in err



@SETTINGS
@given(data=st.data())
def test_an_unclosed_call_is_reported_where_it_opened(previous, data):
    lang = data.draw(st.sampled_from(["it", "en", "ru"]), label="language")
    text = page_text(lang, "treatment.md")
    calls = [i for i in range(len(text)) if text.startswith("}}", i)]
    end = data.draw(st.sampled_from(calls[:-1]), label="call")   # not the last: a later call closes it
    broken = text[:end] + text[end + 2:]
    line = broken[:broken.rindex("{{", 0, end)].count("\n") + 1
    err = previous.refused({f"content/{lang}/treatment.md": broken})
    assert f'error: content/{lang}/treatment.md:{line}: "{{{{" opened on this line is not closed with "}}}}"' in err


@SETTINGS
@given(moment=st.datetimes(min_value=__import__("datetime").datetime(1900, 1, 1),
                           max_value=__import__("datetime").datetime(2999, 12, 31)),
       style=st.sampled_from(["{:%Y-%m-%d %H:%M:%S}", "{:%Y-%m-%dT%H:%M:%SZ}", "{:%Y-%m-%d %H:%M:%S.%f}"]))
def test_a_reviewed_date_with_a_time_names_its_line(previous, moment, style):
    text = style.format(moment)
    err = previous.refused({"content/it/treatment.md": TREATMENT.replace("reviewed: 2026-11-20", f"reviewed: {text}")})
    assert f'error: content/it/treatment.md:{REVIEWED_LINE}: reviewed "' in err and '" is a date with a time' in err


@pytest.mark.parametrize("flood", ["{{ ", "{% ", "{# ", "{{ fact(", "{{ nope() }} "])
def test_a_page_flooded_with_broken_calls_fails_quickly_with_few_messages(previous, flood):
    text = page_text("en", "treatment.md") + flood * (3_000_000 // len(flood))
    root = previous.broken({"content/en/treatment.md": text})
    result = _build_in_subprocess(root, previous.out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error: content/en/treatment.md:" in result.stderr
    assert result.stderr.count("\n") < 500
    assert snapshot(previous.out) == previous.before
