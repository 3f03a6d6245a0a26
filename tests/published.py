"""The published names of the rendered files (render/assets.py): the one helper the tests use to find
a fingerprinted asset, and a written file's compressed copies."""

from __future__ import annotations

import posixpath
from pathlib import Path

from patientsite.render.assets import BRAND_CSS, STABLE, STATIC, is_text


def asset(where, rendered: str) -> str:
    """The published path of a rendered asset in a built folder or a {path: bytes} mapping:
    static/style.css -> static/style.<hash>.css, brand.css -> static/brand.<hash>.css, the icons at the root."""
    if rendered in STABLE:
        return STABLE[rendered]
    paths = ([p.relative_to(where).as_posix() for p in Path(where).rglob("*")] if isinstance(where, (str, Path))
             else list(where))
    folder, name = posixpath.split(rendered.removeprefix(STATIC) if rendered != BRAND_CSS else rendered)
    stem, _, suffix = name.rpartition(".")
    found = [p for p in paths if posixpath.dirname(p) == posixpath.join("static", folder).rstrip("/")
             and posixpath.basename(p).startswith(stem + ".") and p.endswith("." + suffix)
             and len(posixpath.basename(p).split(".")) == 3]
    assert len(found) == 1, (rendered, found)
    return found[0]


def with_encodings(*paths: str) -> tuple[str, ...]:
    """The paths and, for text files, their .gz and .br copies, sorted as a build lists them."""
    return tuple(sorted(p for path in paths for p in ((path, path + ".gz", path + ".br") if is_text(path) else (path,))))
