"""Safe YAML that keeps line numbers and rejects duplicate keys.

Mappings load as `Node` dicts that remember the line of each key; lists as `Seq` lists
that remember the line of each item. Errors become `Problem`s naming `path:line:column`.
"""

from __future__ import annotations

import functools
from types import MappingProxyType

import yaml

from .errors import Problem


class Node(dict):
    """A YAML mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict
    text_lines: dict = MappingProxyType({})   # key -> first line of a block scalar's text (| or >)

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)

    def text_line(self, key) -> int:
        """The line a value's text starts on: the key's line, or the next one for a | or > block."""
        return self.text_lines.get(key, self.line_of(key))


class Seq(list):
    """A YAML sequence that knows its own line and each item's line (1-based)."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser where installed (several times faster), with our constructors."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    loader.flatten_mapping(node)
    result = Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            loader.duplicates.append(Problem(
                loader.src_path, line + loader.line_offset, key_node.start_mark.column + 1,
                f'duplicate key "{key}" (first given on line '
                f'{result.key_lines[key] + loader.line_offset})',
                "Keep one of the two; YAML would silently use the last one."))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
        if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
            result.text_lines = {**result.text_lines, key: value_node.start_mark.line + 2}
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    result = Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


@functools.lru_cache(maxsize=16384)
def parse_yaml(text: str, src_path: str, line_offset: int = 0) -> tuple[object, list[Problem]]:
    """Parse YAML text; return (data, problems). Lines in `Node`s are file lines. Results are cached by
    text and shared between callers (a page is read by the content and the translation stages):
    treat them as read-only."""
    loader = _Loader(text)
    loader.src_path = src_path
    loader.line_offset = line_offset
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(src_path, line, column, f"YAML syntax error: {what}",
                              "Check the indentation and the quotes on this line and the one "
                              "before it; text with ':' or '#' needs quotes.")]
    except yaml.YAMLError as exc:  # pragma: no cover - non-marked errors are rare
        return None, [Problem(src_path, None, None, f"YAML error: {exc}", "")]
    finally:
        loader.dispose()
    if loader.duplicates:
        return data, list(loader.duplicates)
    return _shift(data, line_offset), []


def _shift(data, offset: int):
    if not offset:
        return data
    if isinstance(data, Node):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        data.text_lines = {k: v + offset for k, v in data.text_lines.items()}
        for value in data.values():
            _shift(value, offset)
    elif isinstance(data, Seq):
        data.line += offset
        data.item_lines = [v + offset for v in data.item_lines]
        for value in data:
            _shift(value, offset)
    return data


def check_keys(node: Node, allowed, src_path: str, where: str, problems,
               required=()) -> None:
    """Report unknown keys and missing required keys of one mapping."""
    from .errors import suggest

    for key in node:
        if key not in allowed:
            problems.error(src_path, node.line_of(key), f'unknown key "{key}" in {where}',
                           f"{suggest(str(key), allowed)}Allowed keys: {', '.join(sorted(allowed))}.")
    for key in required:
        if key not in node:
            problems.error(src_path, node.line, f'{where} is missing the required key "{key}"',
                           f'Add "{key}: ..." here.')
