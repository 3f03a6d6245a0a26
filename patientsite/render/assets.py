"""The published names and encodings of the rendered files: fingerprinted assets, and a `.gz` and a
`.br` beside every text file, byte-identical between builds. One file at a time: the render stage
publishes each file as it is made (a worker the pages it renders), so no step needs every file's bytes.

`Publishing.of(files, base_url)` names the assets: every file under static/ and brand.css gets its
content's hash in its name (static/style.3f9a1c0b2d.css), so a host may cache it for a year
(docs/deploy.md). The icons and the share image (STABLE) keep stable names at the site's root instead:
browsers, crawlers and chat apps ask for them by name, and a shared link's preview must not break when
they change. `publishing.publish(path, content)`: the file under its published name, a page's
references to an asset rewritten (href, src and content attributes, relative, root-relative or
absolute; rewriting twice changes nothing), and gzip (level 9, no time stamp) and brotli (quality 5)
of every text file beside it, for a server that sends them as they are (nginx's gzip_static and
brotli_static). Brotli's quality 5 makes the same size as 9 on these pages in a thirtieth of the time
of 11, which saves a tenth more (14 ms a page: 40 s of CPU at 3,000 pages); the encodings are kept in
the render cache by content, so an unchanged file is never compressed twice."""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import mmap
import os
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO
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
_UP = re.compile(r"(?:\.\.?/)*")

Files = list[tuple[str, bytes]]
BROTLI_QUALITY = 5
PIECE = 1 << 16         # a streamed file (the leaflet) is rewritten and written this many characters at a time
Buffer = bytes | mmap.mmap


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


@dataclass(frozen=True)
class Publishing:
    """How this site's rendered files are published: the assets' names and the site's address."""

    names: Mapping[str, str]       # rendered path -> published path of every asset
    base_url: str

    @classmethod
    def of(cls, assets: Iterable[tuple[str, bytes]], base_url: str) -> Publishing:
        return cls(MappingProxyType(asset_names(assets)), base_url)

    @functools.cached_property
    def digest(self) -> str:
        """What a published page depends on beyond its rendering: the asset names and the address
        (made once: it is part of every page's cache key)."""
        return hashlib.sha256(repr((sorted(self.names.items()), self.base_url)).encode()).hexdigest()

    @functools.cached_property
    def _references(self) -> re.Pattern:
        """The attributes whose address ends with an asset's rendered path (the others are left alone
        without a look: a page has some eighty links and five references to assets)."""
        ends = "|".join(re.escape(name) for name in sorted(self.names, key=len, reverse=True))
        return re.compile(r'(?P<attr>\b(?:href|src|content)=")(?P<url>[^"]*?(?:' + ends + r')(?:[?#][^"]*)?)(?=")')

    def rewritten(self, path: str, content: bytes) -> bytes:
        """A page with its references to assets under their published names (other files as they are)."""
        if not path.endswith(".html") or not self.names:
            return content
        site_path = urlsplit(self.base_url).path or "/"
        return _rewrite(path, content.decode("utf-8"), self.names, self.base_url, site_path,
                        self._references).encode("utf-8")

    def publish(self, path: str, content: bytes, cache=None, as_published: bool = False) -> Files:
        """The file under its published name (a page's references rewritten, unless it is
        `as_published` already), then its .gz and .br when it is text. `cache` (a RenderCache) keeps
        the encodings by content."""
        if not as_published:
            content = self.rewritten(path, content)
        path = self.names.get(path, path)
        if not is_text(path):
            return [(path, content)]
        gz, br = encodings(content, cache)
        return [(path, content), (path + ".gz", gz), (path + ".br", br)]

    def rewritten_pieces(self, path: str, chunks: Iterable[str]) -> Iterator[bytes]:
        """`rewritten(path, "".join(chunks).encode())`, as UTF-8 pieces of about PIECE characters: the
        text is cut only just after a quote that does not follow "=", which no reference to an asset
        spans (its only quote inside follows "="; the one after it ends a piece), so each piece is
        rewritten alone as it would be in the whole."""
        rewrite = path.endswith(".html") and bool(self.names)
        site_path = urlsplit(self.base_url).path or "/"
        pending: list[str] = []
        size = 0
        for chunk in chunks:
            pending.append(chunk)
            size += len(chunk)
            if size < PIECE:
                continue
            text = "".join(pending)
            cut = _cut(text) if rewrite else len(text)
            if cut:
                yield (_rewrite(path, text[:cut], self.names, self.base_url, site_path, self._references)
                       if rewrite else text[:cut]).encode("utf-8")
            pending, size = [text[cut:]], len(text) - cut
        text = "".join(pending)
        yield (_rewrite(path, text, self.names, self.base_url, site_path, self._references)
               if rewrite else text).encode("utf-8")

    def publish_into(self, folder: Path, path: str, chunks: Iterable[str], cache=None) -> list[tuple[str, str]]:
        """`publish(path, "".join(chunks).encode())` written into `folder` piece by piece, never whole in
        the process's memory (a 10 MB leaflet): [(published path, sha256)]. The .gz and .br come from
        `cache` by the content's digest, else are made from the written file, mapped."""
        name = self.names.get(path, path)
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        sha, key = hashlib.sha256(), hashlib.sha256(b"encodings\x00")
        with target.open("wb") as file:
            for piece in self.rewritten_pieces(path, chunks):
                file.write(piece)
                sha.update(piece)
                key.update(piece)
        made = [(name, sha.hexdigest())]
        if is_text(name):
            with target.open("rb") as written, _mapped(written) as view:
                gz, br = encodings(view, cache, key.hexdigest())
            for suffix, content in ((".gz", gz), (".br", br)):
                (folder / (name + suffix)).write_bytes(content)
                made.append((name + suffix, hashlib.sha256(content).hexdigest()))
        return made


def _mapped(file: BinaryIO) -> contextlib.AbstractContextManager:
    """The file's bytes mapped into memory (the kernel's pages of the file, not a copy), b"" when empty."""
    if os.fstat(file.fileno()).st_size == 0:
        return contextlib.nullcontext(b"")
    return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)


def _cut(text: str) -> int:
    """Where `text` may be cut for rewritten_pieces: just after its last quote not following "=" (0: none)."""
    at = text.rfind('"')
    while at > 0 and text[at - 1] == "=":
        at = text.rfind('"', 0, at - 1)
    return at + 1 if at > 0 else 0


def _rewrite(page: str, html: str, names: Mapping[str, str], base_url: str, site_path: str,
             references: re.Pattern) -> str:
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

    return references.sub(renamed, html)


def is_text(path: str) -> bool:
    return path.endswith(TEXT_SUFFIXES)


def encodings(content: Buffer, cache=None, key: str | None = None) -> tuple[bytes, bytes]:
    """(gzip, brotli) of `content` (bytes, or a file's mmap: never copied): the same bytes every time
    (no time stamp or file name); from and into `cache` (a RenderCache) when given, by `key` when the
    content's digest is known already."""
    key = key or hashlib.sha256(b"encodings\x00" + content).hexdigest()
    entry = cache.get(key) if cache is not None else None
    if entry is not None and len(entry) >= 4:
        size = int.from_bytes(entry[:4], "big")
        if 4 + size <= len(entry):
            return entry[4:4 + size], entry[4 + size:]
    # whole, not in pieces: brotli's encoder chooses its hash tables by the input it has at its first block
    gz = gzip.compress(content, compresslevel=9, mtime=0)
    br = brotli.compress(content, quality=BROTLI_QUALITY)
    if cache is not None:
        cache.put(key, len(gz).to_bytes(4, "big") + gz + br)
    return gz, br
