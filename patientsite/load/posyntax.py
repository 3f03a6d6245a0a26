"""The syntax of a gettext catalogue (`messages.po`), checked line by line before Babel reads it.

Babel's reader is lenient: an unclosed quote loses the last letter, an unknown escape is kept as two
characters, a duplicate msgid silently wins, and its own errors count lines from 0. This check
finds those mistakes first and names each one's line (counted from 1), so a malformed catalogue is
a `path:line` error, never a lost letter or a traceback.
"""

from __future__ import annotations

import re

KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=\s|\"|$)\s*(.*)$")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
ESCAPE = re.compile(r"\\(.)")
ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r"}   # what Babel understands
QUOTE_HINT = 'Put the text in double quotes on one line: "like this", with \\" for a quote inside it.'


class CatalogError(ValueError):
    """A malformed catalogue: `problems` holds (line, message, hint) for every mistake, first to last."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        self.problems = problems
        self.lineno = problems[0][0]
        super().__init__(problems[0][1])


def decode(data: bytes) -> str:
    """A catalogue's text (a UTF-8 byte order mark is dropped); undecodable bytes raise CatalogError."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError([(line, f"byte 0x{data[exc.start]:02x} is not UTF-8 text (the file was probably "
                             "saved as Latin-1 or Windows-1252)", "Save the file as UTF-8 in your editor.")]) from None


def _string(text: str, line: int, problems: list) -> str | None:
    """The value of one quoted string (`"..."`), or None after recording what is wrong with it."""
    found = STRING.match(text)
    if found is None:
        problems.append((line, "the quoted text is not closed" if text.startswith('"') else
                         "text must be in double quotes", QUOTE_HINT))
        return None
    if text[found.end():].strip():
        problems.append((line, f"unexpected text after the closing quote: {text[found.end():].strip()[:40]}",
                         QUOTE_HINT))
        return None
    for escape in ESCAPE.finditer(found.group(1)):
        if escape.group(1) not in ESCAPES:
            problems.append((line, f"unknown escape \\{escape.group(1)} in the quoted text",
                             'Write \\\\ for a backslash; only \\n, \\t, \\" and \\\\ are understood.'))
            return None
    return ESCAPE.sub(lambda m: ESCAPES[m.group(1)], found.group(1))


class _Entries:
    """The entries of one stream of lines (the live ones, or the obsolete `#~` ones)."""

    def __init__(self, problems: list, duplicates: bool):
        self.problems, self.duplicates = problems, duplicates
        self.seen: dict[tuple, int] = {}
        self.state, self.field, self.msgid, self.id_line, self.plurals = "", "", "", 0, 0
        self.context: str | None = None

    def finish(self) -> None:
        if self.state in ("ctxt", "id", "plural"):
            self.problems.append((self.id_line, "this msgid has no msgstr",
                                  'Add a msgstr line after it (msgstr "" while it is not translated).'))
        elif self.state == "str" and self.duplicates:
            key = (self.context, self.msgid)
            if key in self.seen:
                self.problems.append((self.id_line, f'the msgid "{self.msgid[:60]}" is already at line '
                                      f"{self.seen[key]}", "Keep one of the two entries and delete the other."))
            else:
                self.seen[key] = self.id_line
        self.state, self.context, self.msgid = "", None, ""

    def keyword(self, name: str, index: str | None, value: str | None, line: int) -> None:
        if name in ("msgctxt", "msgid") and not (name == "msgid" and self.state == "ctxt"):
            self.finish()
        allowed = {"msgctxt": ("",), "msgid": ("", "ctxt"), "msgid_plural": ("id",)}.get(name)
        if name == "msgstr":
            allowed = ("id",) if index is None else ("plural",) if index == "0" else ("str",)
            if index is not None and index != "0" and int(index) != self.plurals:
                allowed = ()
        if name == "msgstr" and index is not None and self.state == "str" and int(index) < self.plurals:
            self.problems.append((line, f"msgstr[{index}] is given twice for this msgid",
                                  "Keep one of the two lines and delete the other."))
        elif self.state not in allowed:
            self.problems.append((line, f"{name}{'' if index is None else f'[{index}]'} is out of place here",
                                  "Each entry is msgid, then msgstr (or msgid_plural, then msgstr[0], "
                                  "msgstr[1] ...); check the lines above."))
        if name == "msgctxt":
            self.state, self.context, self.field = "ctxt", value or "", "context"
        elif name == "msgid":
            self.state, self.msgid, self.id_line, self.field = "id", value or "", line, "msgid"
        elif name == "msgid_plural":
            self.state, self.field = "plural", ""
        else:
            self.state, self.field = "str", ""
            self.plurals = 0 if index is None else int(index) + 1

    def more(self, value: str | None, line: int) -> None:
        if not self.state:
            self.problems.append((line, "a quoted line outside any msgid or msgstr",
                                  "Delete it, or put it right below the msgid or msgstr it continues."))
        elif self.field == "context":
            self.context += value or ""
        elif self.field == "msgid":
            self.msgid += value or ""


def check_syntax(text: str) -> list[tuple[int, str, str]]:
    """Every syntax mistake of a catalogue: (line, message, hint), in line order."""
    problems: list = []
    live, obsolete = _Entries(problems, duplicates=True), _Entries(problems, duplicates=False)
    for number, raw in enumerate(text.splitlines(), start=1):
        line, entries = raw.strip(), live
        if line.startswith("#~"):
            line, entries = line[2:].strip(), obsolete
            if line.startswith("|") or not line:
                continue                    # a previous msgid of an obsolete entry
        elif not line or line.startswith("#"):
            continue
        keyword = KEYWORD.match(line)
        if keyword:
            value = _string(keyword.group(3), number, problems)
            entries.keyword(keyword.group(1).split("[")[0], keyword.group(2), value, number)
        elif line.startswith('"'):
            entries.more(_string(line, number, problems), number)
        else:
            problems.append((number, f"unexpected text: {line[:40]}",
                             "Lines are msgid, msgstr, a quoted continuation, a # comment or empty; "
                             "delete or quote this one."))
    live.finish()
    obsolete.finish()
    return sorted(problems, key=lambda p: p[0])
