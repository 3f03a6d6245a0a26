"""Edits of `site.yaml` as text, for `i18n add-language` and `remove-language`: a language's entry
under `languages:` and its blocks under `clinic:` and `reviewer:` are added and removed as lines, so
every comment, quote and blank line of the file stays as the clinic wrote it (YAML is never dumped).
A block is the line that opens it and every following line indented deeper, or blank between them."""

from __future__ import annotations

import json
import re

from patientsite.load.yamlload import Node, Seq

COPIED = "# {code}: copied from {source} by add-language; translate these details"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], start: int, depth: int) -> int:
    """The index after the block that opens at `lines[start]`: the next non-blank line indented
    `depth` or less (trailing blank lines are not the block's)."""
    end = start + 1
    last = start
    while end < len(lines):
        line = lines[end]
        if line.strip():
            if _indent(line) <= depth:
                break
            last = end
        end += 1
    return last + 1


def yaml_text(value: str) -> str:
    """A value as YAML: plain where that reads back the same, else double-quoted (JSON's quoting is YAML's)."""
    if re.fullmatch(r"[^\W\d_][\w .()'-]*", value) and not value.endswith(" ") and value.lower() not in (
            "yes", "no", "true", "false", "on", "off", "null", "y", "n"):
        return value
    return json.dumps(value, ensure_ascii=False)


def language_lines(indent: int, code: str, locale: str, name: str, prefix: str) -> list[str]:
    pad = " " * indent
    return [f"{pad}- code: {code}", f"{pad}  locale: {locale}", f"{pad}  name: {yaml_text(name)}",
            f"{pad}  prefix: {prefix}"]


def add_language(text: str, data: Node, code: str, locale: str, name: str, prefix: str, source: str) -> str:
    """site.yaml's text with the language added at the end of `languages:`, and a copy of the source
    language's block under `clinic:` and `reviewer:` where it has one. `data`: the parsed text."""
    lines = text.split("\n")
    languages = data["languages"]
    first = languages.line_of(0) - 1
    dash = _indent(lines[first])
    end = _block_end(lines, languages.line_of(len(languages) - 1) - 1, dash)
    inserts = [(end, language_lines(dash, code, locale, name, prefix))]
    for section in ("clinic", "reviewer"):
        node = data.get(section)
        if isinstance(node, Node) and source in node:
            start = node.line_of(source) - 1
            depth = _indent(lines[start])
            block = lines[start:_block_end(lines, start, depth)]
            block[0] = block[0][:depth] + re.sub(r"^[^:]+:", f"{code}:", block[0][depth:], count=1)
            section_line = data.line_of(section) - 1
            at = _block_end(lines, section_line, _indent(lines[section_line]))
            inserts.append((at, [" " * depth + COPIED.format(code=code, source=source), *block]))
    for at, new in sorted(inserts, key=lambda item: -item[0]):
        lines[at:at] = new
    return "\n".join(lines)


def remove_language(text: str, data: Node, code: str) -> str:
    """site.yaml's text without the language's entry under `languages:` and its blocks under
    `clinic:` and `reviewer:` (with the comment add-language put above a copied block)."""
    lines = text.split("\n")
    cuts = []
    languages = data.get("languages")
    for index, item in enumerate(languages if isinstance(languages, Seq) else ()):
        if isinstance(item, Node) and item.get("code") == code:
            start = languages.line_of(index) - 1
            cuts.append((start, _block_end(lines, start, _indent(lines[start]))))
    for section in ("clinic", "reviewer"):
        node = data.get(section)
        if isinstance(node, Node) and code in node:
            start = node.line_of(code) - 1
            end = _block_end(lines, start, _indent(lines[start]))
            if start and lines[start - 1].strip().startswith(f"# {code}: copied from "):
                start -= 1
            cuts.append((start, end))
    for start, end in sorted(cuts, reverse=True):
        del lines[start:end]
    return "\n".join(lines)


def block_style(text: str, data: Node) -> bool:
    """Whether `languages:` is a list written one `- ` entry per line (the form add-language extends)."""
    languages = data.get("languages")
    if not isinstance(languages, Seq) or not languages:
        return False
    lines = text.split("\n")
    return all(lines[languages.line_of(i) - 1].lstrip().startswith("- ") for i in range(len(languages)))
