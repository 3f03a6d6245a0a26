"""Old addresses keep working: `aliases:` in a page's front matter writes a redirect page and a
`_redirects` line; a malformed alias, one that escapes the output folder, or one that meets a page,
the site's own files or another alias is an error on its line (exit 1, nothing published). And
`check --previous SITEMAP` names every address of the published build that disappeared."""

from __future__ import annotations

import json
import re
import string

import pytest
from badinput import Previous, line_of, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefiles import make_site, page_text

from patientsite.errors import shown
from patientsite.load.yamlload import type_name
from patientsite.pipeline import load_site

SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
TREATMENT = page_text("it", "treatment.md")
CONTRA = page_text("it", "contraindications.md")
ALIAS_LINE = line_of(TREATMENT, "reviewed:") + 1     # the first item of an aliases: block put before reviewed:
SEGMENT = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12)


def with_aliases(text: str, *aliases) -> str:
    items = "".join(f"  - {json.dumps(alias)}\n" for alias in aliases)
    return text.replace("reviewed:", f"aliases:\n{items}reviewed:", 1)


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    return Previous(tmp_path_factory.mktemp("aliases"))


def refused_alias(previous, alias, rel="content/it/treatment.md", text=TREATMENT, **more) -> str:
    return previous.refused({rel: with_aliases(text, alias), **more})


# -- the redirect pages -----------------------------------------------------------------------------
def test_an_alias_writes_a_redirect_page_and_a_redirects_line(tmp_path):
    root = make_site(tmp_path / "src", {"content/it/treatment.md": with_aliases(
        TREATMENT, "/it/vecchio-trattamento/", "/trattamento.html", "/it/старый/")})
    code, _, err = run(root, "build", "--out", str(tmp_path / "site"), "--no-cache")
    assert code == 0, err
    site = tmp_path / "site"
    for output, target in (("it/vecchio-trattamento/index.html", "../il-trattamento/"),
                           ("trattamento.html", "it/il-trattamento/"), ("it/старый/index.html", "../il-trattamento/")):
        html = (site / output).read_text()
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in html, output
        assert '<link rel="canonical" href="https://clinic.example/it/il-trattamento/">' in html
        assert '<meta name="robots" content="noindex">' in html and '<html lang="it">' in html
        assert f'<a href="{target}">Il trattamento</a>' in html and "<script" not in html and "style" not in html
        assert (site / output).parent.joinpath(target, "index.html").resolve().is_file()
    redirects = (site / "_redirects").read_text().splitlines()
    assert [line for line in redirects if not line.startswith("#")] == [
        "/it/vecchio-trattamento/ /it/il-trattamento/ 301", "/trattamento.html /it/il-trattamento/ 301",
        "/it/%D1%81%D1%82%D0%B0%D1%80%D1%8B%D0%B9/ /it/il-trattamento/ 301"]


def test_an_alias_under_a_sub_path_keeps_the_sub_path(tmp_path):
    root = make_site(tmp_path / "src", {"content/en/treatment.md": with_aliases(page_text("en", "treatment.md"),
                                                                               "/en/old/")})
    code, _, err = run(root, "build", "--out", str(tmp_path / "site"), "--base-url", "https://clinic.example/p/")
    assert code == 0, err
    assert "/p/en/old/ /p/en/the-treatment/ 301" in (tmp_path / "site/_redirects").read_text()
    assert 'href="https://clinic.example/p/en/the-treatment/"' in (tmp_path / "site/en/old/index.html").read_text()


# -- malformed, escaping -------------------------------------------------------------------------------
@SETTINGS
@given(segments=st.lists(SEGMENT, max_size=3), up=st.integers(1, 4), after=st.lists(SEGMENT, max_size=2),
       end=st.sampled_from(["/", ".html"]))
def test_an_alias_that_escapes_the_output_folder_names_its_line(previous, segments, up, after, end):
    alias = "/" + "/".join([*segments, *[".."] * (len(segments) + up), *after, "x"]) + end
    err = refused_alias(previous, alias)
    assert (f'error: content/it/treatment.md:{ALIAS_LINE}: the alias "{alias}" would escape the output folder'
            in err), err


BAD_CHARACTERS = st.sampled_from(list(" ?#%\\\"'<>|*:\t\n\x00\x7f") + ["é?", " x"])


@SETTINGS
@given(before=SEGMENT, bad=BAD_CHARACTERS, after=SEGMENT, end=st.sampled_from(["/", ".html"]))
def test_an_alias_with_a_character_outside_an_address_names_its_line(previous, before, bad, after, end):
    alias = f"/en/{before}{bad}{after}{end}"
    err = refused_alias(previous, alias)
    assert (f'error: content/it/treatment.md:{ALIAS_LINE}: the alias "{shown(alias)}" may only use letters, digits '
            "and - . _ ~ between single / (no spaces, ?, #, %, \\ or . and .. parts)") in err, err


@SETTINGS
@given(segments=st.lists(SEGMENT, min_size=1, max_size=3),
       form=st.sampled_from(["relative", "double", "url", "ending"]), ending=st.sampled_from(["", ".php", ".htm", ".md"]))
def test_an_alias_of_the_wrong_form_names_its_line(previous, segments, form, ending):
    path = "/".join(segments)
    alias, what = {
        "relative": (f"{path}/", "does not start with a single /"),
        "double": (f"//{path}/", "does not start with a single /"),
        "url": (f"https://clinic.example/{path}/", "does not start with a single /"),
        "ending": (f"/{path}{ending}", "must end with / (a folder) or .html (a file)"),
    }[form]
    err = refused_alias(previous, alias)
    assert f'error: content/it/treatment.md:{ALIAS_LINE}: the alias "{alias}" {what}' in err, err


@SETTINGS
@given(value=st.one_of(st.integers(), st.booleans(), st.floats(allow_nan=False, allow_infinity=False),
                       st.dictionaries(SEGMENT, SEGMENT, min_size=1, max_size=2), st.lists(SEGMENT, min_size=1, max_size=2)))
def test_an_alias_that_is_not_text_names_its_line(previous, value):
    err = refused_alias(previous, value)
    assert (f"error: content/it/treatment.md:{ALIAS_LINE}: an alias must be an address like /en/old-page/, not "
            f"{type_name(value, detail=True)}") in err, err


@SETTINGS
@given(value=st.one_of(st.integers(), st.booleans(), SEGMENT.map(lambda s: f"/{s}/")))
def test_aliases_that_are_not_a_list_name_their_line(previous, value):
    err = previous.refused({"content/it/treatment.md": TREATMENT.replace(
        "reviewed:", f"aliases: {json.dumps(value)}\nreviewed:", 1)})
    assert (f"error: content/it/treatment.md:{ALIAS_LINE - 1}: aliases must be a list of old addresses, not "
            f"{type_name(value, detail=True)}") in err, err


# -- collisions ---------------------------------------------------------------------------------------
def _page_addresses(previous) -> list[tuple[str, str]]:
    """(address, source file) of every page of the small site."""
    return [("/" + page.url, page.src_path) for page in load_site(previous.good).pages]


@SETTINGS
@given(data=st.data(), spelled=st.sampled_from(["folder", "index"]))
def test_an_alias_that_is_a_pages_address_names_its_line(previous, data, spelled):
    address, source = data.draw(st.sampled_from(_page_addresses(previous)))
    alias = address if spelled == "folder" else address + "index.html"
    err = refused_alias(previous, alias)
    assert (f'error: content/it/treatment.md:{ALIAS_LINE}: the alias "{alias}" is the address of the page {source}'
            in err), err


RESERVED = [("/", "the address of the language chooser"), ("/index.html", "the address of the language chooser"),
            ("/404.html", "the site's 404 page"), ("/en/404.html", "the English 404 page"),
            ("/ru/404.html", "the Русский 404 page")]


@SETTINGS
@given(data=st.data(), rest=st.lists(SEGMENT, max_size=2), end=st.sampled_from(["/", ".html"]))
def test_an_alias_that_is_one_of_the_sites_own_files_names_its_line(previous, data, rest, end):
    if data.draw(st.booleans()):
        alias, what = data.draw(st.sampled_from(RESERVED))
    else:
        alias, what = "/static/" + "/".join([*rest, "x"]) + end, "in the folder of the site's assets (static/)"
    err = refused_alias(previous, alias)
    assert f'error: content/it/treatment.md:{ALIAS_LINE}: the alias "{alias}" is {what}' in err, err


@SETTINGS
@given(segments=st.lists(SEGMENT, min_size=1, max_size=3), end=st.sampled_from(["/", ".html"]),
       same_page=st.booleans())
def test_an_alias_given_twice_names_the_second_and_the_first(previous, segments, end, same_page):
    alias = "/" + "/".join(segments) + end
    if same_page:
        err = previous.refused({"content/it/treatment.md": with_aliases(TREATMENT, alias, alias)})
        first, second = f"content/it/treatment.md:{ALIAS_LINE}", f"content/it/treatment.md:{ALIAS_LINE + 1}"
    else:
        err = previous.refused({"content/it/treatment.md": with_aliases(TREATMENT, alias),
                                "content/it/contraindications.md": with_aliases(CONTRA, alias)})
        first = f"content/it/contraindications.md:{line_of(CONTRA, 'reviewed:') + 1}"
        second = f"content/it/treatment.md:{ALIAS_LINE}"
    assert f'error: {second}: the alias "{alias}" is already an alias of {first}' in err, err


# -- check --previous ---------------------------------------------------------------------------------
def test_check_previous_names_each_address_that_disappeared(tmp_path):
    old = make_site(tmp_path / "old")
    assert run(old, "build", "--out", str(tmp_path / "old-site"))[0] == 0
    sitemap = (tmp_path / "old-site/sitemap.xml").read_text()
    moved = page_text("en", "treatment.md").replace("slug: the-treatment", "slug: how-it-is-done")
    new = make_site(tmp_path / "new", {"content/en/treatment.md": moved})
    code, out, err = run(new, "check", "--out", str(tmp_path / "new-site"), "--previous",
                         str(tmp_path / "old-site/sitemap.xml"))
    line = line_of(sitemap, "<loc>https://clinic.example/en/the-treatment/</loc>")
    assert code == 1 and "Traceback" not in err
    assert (f"error: [old addresses] {tmp_path}/old-site/sitemap.xml:{line}: https://clinic.example/en/the-treatment/ "
            "is no longer published, and no page has it as an alias\n    Add it to the front matter of the page that "
            "replaces it: aliases: [/en/the-treatment/] (docs/deploy.md); or publish the page again.") in err
    assert len(re.findall(r"\[old addresses\]", err)) == 1
    # with the alias, the old address is published again and the check passes on it
    fixed = make_site(tmp_path / "fixed", {"content/en/treatment.md": with_aliases(moved, "/en/the-treatment/")})
    code, out, err = run(fixed, "check", "--out", str(tmp_path / "fixed-site"), "--previous",
                         str(tmp_path / "old-site/sitemap.xml"))
    assert "[old addresses]" not in err and "Traceback" not in err


@pytest.mark.parametrize("content, found", [
    (None, "cannot read the previous sitemap"),
    ("<urlset><url><loc>x</loc></url>", "the previous sitemap is not a sitemap.xml"),
    ('<!DOCTYPE x [<!ENTITY a "b">]><urlset/>', "the previous sitemap is not a sitemap.xml"),
])
def test_check_previous_refuses_what_is_not_a_sitemap(tmp_path, content, found):
    root = make_site(tmp_path / "src")
    sitemap = tmp_path / "old.xml"
    if content is not None:
        sitemap.write_text(content)
    code, _, err = run(root, "check", "--out", str(tmp_path / "site"), "--previous", str(sitemap))
    assert code == 1 and "Traceback" not in err and f"error: [old addresses] {sitemap}" in err and found in err
