"""The published names and encodings of the rendered files: fingerprinted assets, and a `.gz` and a
`.br` beside every text file, byte-identical between builds.

`fingerprint(files, base_url)`: every file under static/ and brand.css gets its content's hash in its
name (static/style.3f9a1c0b2d.css), so a host may cache it for a year (docs/deploy.md); every page's
references follow (href, src and content attributes, relative, root-relative or absolute). The icons
and the share image (STABLE) keep stable names at the site's root instead: browsers, crawlers and
chat apps ask for them by name, and a shared link's preview must not break when they change.
`compress(files)`: gzip (level 9, no time stamp) and brotli (quality 11) of every text file, for a
server that sends them as they are (nginx's gzip_static and brotli_static)."""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import brotli

STATIC = "static/"
BRAND_CSS = "brand.css"     # the brand colour from site.yaml (render/output.py)
# published at the site's root under these names, cached for a day (not a year)
STABLE = {f"{STATIC}favicon.svg": "favicon.svg", f"{STATIC}favicon-32.png": "favicon-32.png",
          f"{STATIC}apple-touch-icon.png": "apple-touch-icon.png", f"{STATIC}og-image.png": "og-image.png"}
HASH_LENGTH = 10
TEXT_SUFFIXES = (".html", ".css", ".xml", ".txt", ".svg", ".js", ".json")
COMPRESSED = (".gz", ".br")
_REFERENCE = re.compile(r'(?P<attr>\b(?:href|src|content)=")(?P<url>[^"]*)(?=")')
_UP = re.compile(r"(?:\.\.?/)*")

Files = list[tuple[str, bytes]]


def asset_names(files: Iterable[tuple[str, bytes]]) -> dict[str, str]:
    """Rendered path -> published path of every asset: static/x.css -> static/x.<hash>.css,
    brand.css -> static/brand.<hash>.css, the STABLE ones to the root."""
    names = {}
    for path, content in files:
        if path in STABLE:
            names[path] = STABLE[path]
        elif path.startswith(STATIC) or path == BRAND_CSS:
            folder, name = posixpath.split(path.removeprefix(STATIC))
            stem, dot, suffix = name.rpartition(".")
            stem, suffix = (stem, f".{suffix}") if dot and stem else (name, "")
            digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
            names[path] = STATIC + posixpath.join(folder, f"{stem}.{digest}{suffix}")
    return names


def fingerprint(files: Iterable[tuple[str, bytes]], base_url: str) -> Files:
    """The files under their published names, every HTML page's references to an asset rewritten."""
    files = list(files)
    names = asset_names(files)
    site_path = urlsplit(base_url).path or "/"
    published: Files = []
    for path, content in files:
        if path.endswith(".html"):
            content = _rewrite(path, content.decode("utf-8"), names, base_url, site_path).encode("utf-8")
        published.append((names.get(path, path), content))
    return sorted(published)


def _rewrite(page: str, html: str, names: dict[str, str], base_url: str, site_path: str) -> str:
    folder = posixpath.dirname(page)

    def renamed(match: re.Match) -> str:
        url = match.group("url")
        cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
        path, rest = url[:cut], url[cut:]
        if path.startswith(base_url):
            prefix, target = base_url, path[len(base_url):]
        elif path.startswith("/") and not path.startswith("//"):
            if not path.startswith(site_path):
                return match.group()
            prefix, target = site_path, path[len(site_path):]
        elif not path or ":" in path.split("/")[0] or path.startswith("//"):
            return match.group()            # another site, tel:, mailto:, a fragment
        else:
            prefix = _UP.match(path).group()
            target = posixpath.normpath(posixpath.join(folder, path))
            if posixpath.normpath(posixpath.join(folder, prefix)) != ".":    # not written from the root
                prefix = ""
                if target in names:
                    return match.group("attr") + posixpath.relpath(names[target], folder or ".") + rest
        if target not in names:
            return match.group()
        return match.group("attr") + prefix + names[target] + rest

    return _REFERENCE.sub(renamed, html)


def is_text(path: str) -> bool:
    return path.endswith(TEXT_SUFFIXES)


_memo: dict[bytes, tuple[bytes, bytes]] = {}     # content's sha256 -> (gzip, brotli), of the last call


def encodings(content: bytes, memo=None) -> tuple[bytes, bytes]:
    """(gzip, brotli) of `content`: the same bytes every time (no time stamp or file name)."""
    key = hashlib.sha256(content).digest()
    found = _memo.get(key)
    if found is None:
        found = (gzip.compress(content, compresslevel=9, mtime=0), brotli.compress(content, quality=11))
    if memo is not None:
        memo[key] = found
    return found


def compress(files: Iterable[tuple[str, bytes]]) -> Files:
    """The files, and path.gz and path.br beside each text file. The encodings of the last call are
    kept (one site's worth), so that the preview compresses only what an edit changed."""
    global _memo  # one site's encodings, replaced whole by each call
    memo: dict[bytes, tuple[bytes, bytes]] = {}
    result: Files = []
    for path, content in files:
        result.append((path, content))
        if is_text(path):
            gz, br = encodings(content, memo)
            result += [(path + ".gz", gz), (path + ".br", br)]
    _memo = memo
    return sorted(result)
