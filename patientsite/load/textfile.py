"""Reading a user's text file: UTF-8 with or without a byte-order mark, any line ending.

Every content file goes through `read_source`, so every kind of file (site.yaml, facts.yaml,
words.yaml, claims.yaml, translations.lock, the pages) accepts the same things and refuses the
same things with the same `path:line` message:

- a UTF-8 byte-order mark at the start is dropped, Windows (CRLF) and old Mac (CR) line ends
  become LF, so line numbers are the ones an editor shows;
- bytes that are not UTF-8 (a Latin-1 or Windows-1252 file) are an error naming the line,
  the column and the byte;
- control characters, the Unicode line and paragraph separators (which would shift every line
  number after them) and the private-use area (the build's own placeholders live there, so no
  content can forge one) are errors naming the line and the character;
- a file larger than MAX_BYTES is refused before it is parsed, so memory stays bounded.
"""

from __future__ import annotations

import re
from pathlib import Path

from patientsite.errors import Problems

MAX_BYTES = 4 * 1024 * 1024
BOM = "\ufeff"
# C0 controls but tab and line feed, DEL and C1 controls, line/paragraph separators, private use
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ue000-\uf8ff]")


def read_source(root: Path, rel: str, problems: Problems) -> str | None:
    """The text of `root/rel`, or None with its problem in `problems` (unreadable, too large, not
    UTF-8, forbidden characters). A missing file is the caller's to report."""
    data = read_bytes(root, rel, problems)
    return None if data is None else decode_source(data, rel, problems)


def read_bytes(root: Path, rel: str, problems: Problems) -> bytes | None:
    """The bytes of `root/rel`, or None with its problem in `problems` (unreadable, too large)."""
    path = root / rel
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            problems.error(rel, None, f"the file is too large ({size // 1024} KB; at most "
                           f"{MAX_BYTES // (1024 * 1024)} MB)", "Split it, or check that it is the right file.")
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.error(rel, None, f"the file cannot be read: {exc.strerror or exc}",
                       "Check that it is a readable file (its permissions), then build again.")
        return None
    return data


def decode_source(data: bytes, rel: str, problems: Problems) -> str | None:
    """Bytes of a content file -> its text with LF line ends, or None with the problem reported."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        problems.error(rel, line, f"byte 0x{byte:02x} is not UTF-8 text (the file was probably saved as "
                       "Latin-1 or Windows-1252)",
                       "Open the file in your editor and save it with the encoding UTF-8, then check the "
                       "accented letters on this line.", column=column)
        return None
    if text.startswith(BOM):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = FORBIDDEN.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        problems.error(rel, line, f"the character U+{ord(found.group()):04X} is not allowed in a content file",
                       "Delete it (it is invisible in most editors: delete the space around it and type "
                       "it again); control and private-use characters cannot be published.", column=column)
        return None
    return text




def check_templates(templates_dir: Path) -> None:
    """Every template (templates/**/*.html and *.xml, not static/) is UTF-8 text: checked before the
    catalogues and the model read them, so a Latin-1 template is a message, not a traceback."""
    problems = Problems("reading the templates")
    if not templates_dir.is_dir():
        problems.error("templates", None, "the templates folder is missing",
                       "Restore templates/ (e.g. from version control).")
    for path in sorted(templates_dir.rglob("*")) if templates_dir.is_dir() else ():
        rel = path.relative_to(templates_dir).as_posix()
        if path.suffix in (".html", ".xml") and not rel.startswith("static/") and path.is_file():
            try:
                data = path.read_bytes()
            except OSError as exc:
                problems.error(f"templates/{rel}", None, f"the template cannot be read: {exc.strerror or exc}",
                               "Check that it is a readable file (its permissions), then build again.")
                continue
            decode_source(data, f"templates/{rel}", problems)
    problems.raise_if_any()


__all__ = ["MAX_BYTES", "check_templates", "decode_source", "read_bytes", "read_source"]
