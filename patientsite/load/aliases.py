"""`aliases:` in a page's front matter: the page's old addresses, each answered by a small redirect
page and a `_redirects` line (render/hosting.py). An alias is a path from the site's root, a folder
(/en/old-page/) or a file (/en/old-page.html). `read_aliases` checks each one's form where the front
matter is read; `check_aliases` checks, once every page is modelled, that no two outputs meet."""

from __future__ import annotations

import re

from patientsite.errors import Problems, shown
from patientsite.load.yamlload import Node, Seq, type_name

KEY = "aliases"
SEGMENT = re.compile(r"[\w.~-]+")       # letters (any script), digits and - . _ ~
MAX_LENGTH = 200
FORM_HINT = ("Write each old address from the site's root, as a folder or an .html file: "
             "aliases: [/en/old-page/, /en/old-page.html].")


def read_aliases(data: Node, rel: str, problems: Problems) -> tuple[tuple[str, int], ...]:
    """The page's aliases with their lines; each malformed one reported on its line."""
    if KEY not in data:
        return ()
    value, line = data[KEY], data.line_of(KEY)
    if not isinstance(value, list):
        problems.error(rel, line, f"aliases must be a list of old addresses, not {type_name(value, detail=True)}",
                       FORM_HINT)
        return ()
    found = []
    for index, alias in enumerate(value):
        at = value.line_of(index) if isinstance(value, Seq) else line
        problem = alias_problem(alias)
        if problem is None:
            found.append((alias, at))
        else:
            problems.error(rel, at, *problem)
    return tuple(found)


def alias_problem(alias) -> tuple[str, str] | None:
    """(what is wrong, what to do) with one alias's form, or None."""
    if not isinstance(alias, str):
        return f"an alias must be an address like /en/old-page/, not {type_name(alias, detail=True)}", FORM_HINT
    said = f'the alias "{shown(alias)}"'
    depth = 0
    for segment in alias.split("/"):
        depth += -1 if segment == ".." else 0 if segment in ("", ".") else 1
        if depth < 0:
            return f"{said} would escape the output folder", "Write the old address without .. parts. " + FORM_HINT
    if not alias.startswith("/") or alias.startswith("//"):
        return f"{said} does not start with a single /", FORM_HINT
    if len(alias) > MAX_LENGTH:
        return f"{said} is longer than {MAX_LENGTH} characters", FORM_HINT
    if alias != "/" and not alias.endswith(("/", ".html")):
        return f"{said} must end with / (a folder) or .html (a file)", FORM_HINT
    segments = alias[1:].split("/")
    for segment in segments[:-1] if alias.endswith("/") else segments:
        if segment in (".", "..") or not SEGMENT.fullmatch(segment):
            return (f"{said} may only use letters, digits and - . _ ~ between single / (no spaces, "
                    "?, #, %, \\ or . and .. parts)", FORM_HINT)
    return None


def alias_output(alias: str) -> str:
    """The file an old address is answered from: /en/old/ -> en/old/index.html, /old.html -> old.html."""
    path = alias.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def check_aliases(pages, reserved: dict[str, str], problems: Problems) -> None:
    """No alias is a page's address, one of the `reserved` outputs (output path -> what it is, e.g.
    the 404 pages; a path ending in / reserves a folder) or another alias. `pages`: the modelled
    pages (src_path, output_path, source.aliases)."""
    taken = {page.output_path: f"the address of the page {page.src_path}" for page in pages}
    for page in pages:
        for alias, line in page.source.aliases if page.source is not None else ():
            output = alias_output(alias)
            folder = next((what for path, what in reserved.items() if path.endswith("/") and
                           output.startswith(path)), None)
            what = taken.get(output) or reserved.get(output) or folder
            if what is None:
                taken[output] = f"already an alias of {page.src_path}:{line}"
                continue
            problems.error(page.src_path, line, f'the alias "{shown(alias)}" is {what}',
                           "Remove it from aliases: an old address can lead to one page only, and never to "
                           "where a page or the site's own files are.")
