"""`check --previous SITEMAP`: every address in a previous build's sitemap.xml is still published, as
a page or as the redirect page of an alias (`aliases:` in the front matter of the page that replaces
it). An address that disappeared is an error naming the sitemap's line and what to do."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.parsers import expat

from patientsite.errors import Problem, shown
from patientsite.load.aliases import alias_output

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def read_locations(path: Path, shown_path: str) -> tuple[list[tuple[str, int]], list[Problem]]:
    """The <loc> addresses of a sitemap with their lines; or the problem that stops reading it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [Problem(shown_path, None, None, f"cannot read the previous sitemap: {exc.strerror}",
                            "Give the path of the sitemap.xml of the build that is published now.")]
    found: list[tuple[str, int]] = []
    inside: list[str] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name, _attrs):
        inside.append(name)
        if name == f"{SITEMAP_NS} loc":
            found.append(("", parser.CurrentLineNumber))

    def text(chunk):
        if inside and inside[-1] == f"{SITEMAP_NS} loc":
            found[-1] = (found[-1][0] + chunk, found[-1][1])

    def doctype(*_args):
        raise ValueError("a sitemap has no DOCTYPE")

    parser.StartElementHandler, parser.CharacterDataHandler = start, text
    parser.EndElementHandler = lambda _name: inside.pop()
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, ValueError) as exc:
        return [], [Problem(shown_path, parser.CurrentLineNumber, None,
                            f"the previous sitemap is not a sitemap.xml ({exc})",
                            "Give the sitemap.xml that a build of this site wrote.")]
    return [(loc.strip(), line) for loc, line in found], []


def disappeared(sitemap: Path, base_url: str, published, shown_path: str | None = None) -> list[Problem]:
    """Every address of the previous sitemap that this build no longer publishes."""
    shown_path = shown_path or str(sitemap)
    locations, problems = read_locations(sitemap, shown_path)
    root = urlsplit(base_url).path or "/"
    published = set(published)
    for loc, line in locations:
        if loc.startswith(base_url):
            rel = loc[len(base_url):]
        elif urlsplit(loc).path.startswith(root):
            rel = urlsplit(loc).path[len(root):]          # the same site at another host (staging)
        else:
            problems.append(Problem(shown_path, line, None, f'"{shown(loc)}" is not under this site\'s address '
                                    f"{base_url}", "Give the sitemap.xml of this site, or build with its --base-url."))
            continue
        rel = unquote(rel.split("?")[0].split("#")[0])
        if alias_output("/" + rel) not in published:
            problems.append(Problem(shown_path, line, None,
                                    f"{loc} is no longer published, and no page has it as an alias",
                                    f"Add it to the front matter of the page that replaces it: aliases: [/{rel}] "
                                    "(docs/deploy.md); or publish the page again."))
    return problems
