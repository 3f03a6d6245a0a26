"""`python build.py status [--fail-on missing,stale] [--json] [--mark-current LANG UNIT ...]`: each language's
translation status; marking translations current. What a status means for publishing: checks/translations.py."""

from __future__ import annotations

import argparse
import datetime
import difflib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from patientsite.checks.translations import are, mark_command, unit_label, unit_names, untracked_command
from patientsite.errors import BuildError, Problem, Problems, count, suggest
from patientsite.load.config import Config, load_config
from patientsite.load.translation import (
    FUZZY,
    KIND_NAMES,
    KINDS,
    MISSING,
    STALE,
    STATUSES,
    UNTRACKED,
    LanguageState,
    LockEntry,
    TranslationStatus,
    UnitState,
    assess_translations,
    lock_text,
    read_translation_sources,
)
from patientsite.write import write_file

GROUPS = {"all": KINDS, "pages": ("page",), "words": ("words",), "ui": ("ui",)}
FAIL_ON = {"missing": (MISSING, FUZZY), "stale": (STALE,), "fuzzy": (FUZZY,), "untracked": (UNTRACKED,)}


# -- marking translations current ---------------------------------------------------------------
@dataclass(frozen=True)
class MarkResult:
    lock_path: str
    marked: tuple[UnitState, ...]       # newly recorded
    unchanged: tuple[UnitState, ...]    # already current
    skipped: tuple[UnitState, ...]      # missing or fuzzy: nothing to mark
    warnings: tuple[str, ...]


def mark_current(config: Config, templates_dir: Path, code: str, targets, today: datetime.date,
                 force: bool = False) -> MarkResult:
    """Record the current Italian source of the chosen units in the language's lock file. A group
    (all, pages, words, ui) marks stale units only with `force`: each is a translation to check."""
    languages = [lang.code for lang in config.languages if not lang.source]
    if code not in languages:
        raise BuildError("marking translations current", [Problem(
            "site.yaml", None, None, f'"{code}" is not a translated language',
            f"{suggest(code, languages)}Translated languages: {', '.join(languages)}.")])
    state = assess_translations(read_translation_sources(config, templates_dir)).language(code)
    chosen = _resolve(state, targets, force)
    entries = {key: entry for key, entry in state.lock.entries.items() if state.find(*key)}
    marked: list = []
    unchanged: list = []
    skipped: list = []
    warnings: list = []
    for unit in chosen:
        if unit.status in (MISSING, FUZZY) or still_the_source(unit):
            skipped.append(unit)
            continue
        old = unit.entry
        same = old is not None and old.hash == unit.source.hash
        (unchanged if same else marked).append(unit)
        if unit.status == STALE and old.translation == unit.translation.hash:
            warnings.append(f"{_where(unit)}: the {code} translation of {unit_label(unit)} has not changed "
                            "since it was last marked current, although the Italian has: check that the translation "
                            "was updated")
        entries[unit.key] = LockEntry(unit.source.hash, unit.source.text, old.marked if same else today,
                                      unit.translation.hash)
    text = lock_text(state.language, config.source_language, entries)
    path = config.root / state.lock.path
    if (entries or path.is_file()) and (not path.is_file()
                                        or path.read_text(encoding="utf-8", errors="replace") != text):
        write_file(path, text)      # no lock file for nothing marked (a new language's first try)
    return MarkResult(state.lock.path, tuple(marked), tuple(unchanged), tuple(skipped), tuple(warnings))


def still_the_source(unit: UnitState) -> bool:
    """A fact's words still word for word the source's (as add-language copies them): not a translation
    to mark current. (A UI string may rightly equal the source's: "Menu", "E-mail".)"""
    return unit.source.kind == "words" and unit.translation is not None and unit.translation.text == unit.source.text


def _resolve(state: LanguageState, targets, force: bool = False) -> list[UnitState]:
    problems = Problems("marking translations current")
    chosen: dict[tuple[str, str], UnitState] = {}
    where = f"content/{state.language.code}"
    for target in targets:
        kind, _, name = target.partition(":")
        if target in GROUPS:
            found = [u for u in state.units if u.source.kind in GROUPS[target]]
            stale = [u for u in found if u.status == STALE]
            if stale and not force:
                problems.error(where, None, f'"{target}" would mark {count(len(stale), "stale unit")} of '
                               f"{state.language.code} current without a look: {unit_names(stale)}",
                               f"Update each translation and mark it by name: {mark_command(state, *stale)}; or, "
                               f"if every one is already up to date, add --force: python build.py status "
                               f"--mark-current {state.language.code} {target} --force")
                continue
        elif kind in KINDS and name:
            found = [u for u in state.units if u.key == (kind, name)]
        else:
            found = [u for u in state.units if u.source.id == target]
        if not found:
            names = {u.source.id for u in state.units if u.source.kind != "ui"}
            problems.error(where, None, f'nothing called "{target}" to mark current',
                           f"{suggest(target, names)}Give a page key, a fact id, or one of: {', '.join(GROUPS)}.")
        elif len(found) > 1 and target not in GROUPS:
            problems.error(where, None,
                           f'"{target}" is both ' + " and ".join(f"{u.source.kind}:{target}" for u in found),
                           "Say which one: " + " or ".join(f"{u.source.kind}:{target}" for u in found) + ".")
        elif target not in GROUPS and (found[0].status in (MISSING, FUZZY) or still_the_source(found[0])):
            unit = found[0]
            problems.error(unit.path, unit.line, f'the {state.language.code} translation of "{target}" cannot be '
                           f"marked current: {unit.detail or 'it is still the source text'}",
                           "Translate it first; python build.py status lists what is missing.")
        else:
            chosen.update((u.key, u) for u in found)
    problems.raise_if_any()
    return list(chosen.values())


# -- the report -----------------------------------------------------------------------------------
def changed_sections(old: str, new: str) -> list[str]:
    """The `##` sections of a page whose text differs ('(start of the page)' for the title and intro)."""
    def sections(text: str) -> dict[str, list[str]]:
        found: dict = {}
        heading = "(start of the page)"
        for line in text.split("\n"):
            heading = line[3:].strip() if line.startswith("## ") else heading
            found.setdefault(heading, []).append(line)
        return found
    before, after = sections(old), sections(new)
    return [h for h in dict.fromkeys([*before, *after]) if before.get(h) != after.get(h)]


HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def source_diff(unit: UnitState) -> str:
    """What changed in the Italian since the translation was marked current, each part headed by the
    file and line where it is now (`@@ content/it/treatment.md:12 @@`)."""
    if unit.entry is None:
        return ""
    lines = list(difflib.unified_diff(unit.entry.source.splitlines(), unit.source.text.splitlines(), lineterm="",
                                      n=2, fromfile=f"{unit.source.path} (when marked current, "
                                      f"{unit.entry.marked.isoformat()})", tofile=f"{unit.source.path} (now)"))
    for index, line in enumerate(lines):
        hunk = HUNK.match(line)
        if hunk:
            lines[index] = f"@@ {unit.source.path}" + _first_change(unit, lines, index, int(hunk.group(1))) + " @@"
    return "\n".join(_words_in_long_lines(lines))


LONG_LINE = 80        # characters: a changed paragraph at least this long is shown word by word
WORD_CONTEXT = 6      # unchanged words kept on each side of a change in such a paragraph


def _words_in_long_lines(lines: list[str]) -> list[str]:
    """A run of removed lines followed by as many added ones, where a pair is long (a paragraph), is
    shown as one `~` line per pair with the changed words marked: [-old-]{+new+}."""
    out: list[str] = []
    index = 0

    def run_of(start: int, sign: str) -> int:
        end = start
        while end < len(lines) and lines[end].startswith(sign) and not lines[end].startswith(sign * 3):
            end += 1
        return end - start

    while index < len(lines):
        removed = run_of(index, "-")
        added = run_of(index + removed, "+")
        if removed and removed == added:
            for old, new in zip(lines[index:index + removed], lines[index + removed:index + 2 * removed], strict=True):
                if max(len(old), len(new)) > LONG_LINE:
                    out.append("~" + word_diff(old[1:], new[1:]))
                else:
                    out.extend((old, new))
        else:
            out.extend(lines[index:index + max(removed + added, 1)])
        index += max(removed + added, 1)
    return out


def word_diff(old: str, new: str, context: int = WORD_CONTEXT) -> str:
    """`new` with the words changed from `old` marked [-removed-]{+added+}; long unchanged stretches
    shortened to `context` words on each side of a change, with "…"."""
    before, after = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    segments: list[tuple[bool, list[str], list[str]]] = []      # (same?, old tokens, new tokens)
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        same = op == "equal"
        if not same and len(segments) >= 2 and not segments[-2][0] and not "".join(segments[-1][1]).strip():
            space = segments.pop()[1]         # two changes with only a space between: one change
            last = segments.pop()
            segments.append((False, [*last[1], *space, *before[a1:a2]], [*last[2], *space, *after[b1:b2]]))
            continue
        segments.append((same, before[a1:a2], after[b1:b2]))
    parts: list[str] = []
    for number, (same, removed, added) in enumerate(segments):
        if not same:
            parts.append(("[-" + "".join(removed) + "-]" if removed else "")
                         + ("{+" + "".join(added) + "+}" if added else ""))
            continue
        words = [i for i, token in enumerate(added) if token.strip()]
        keep_start = 0 if number == 0 else context
        keep_end = 0 if number == len(segments) - 1 else context
        if len(words) > keep_start + keep_end + 2:
            head = added[:words[keep_start - 1] + 1] if keep_start else []
            tail = added[words[-keep_end]:] if keep_end else []
            added = [*head, (" " if keep_start else "") + "…" + (" " if keep_end else ""), *tail]
        parts.append("".join(added))
    return "".join(parts)


def _first_change(unit: UnitState, lines: list[str], header: int, start: int) -> str:
    """':LINE', the file line of the first changed line of the hunk whose header is at `header`."""
    number = start
    for line in lines[header + 1:]:
        if line.startswith(("+", "-")):
            break
        number += 1
    where = unit.source.file_line(max(number, 1)) if unit.source.lines else None
    return f":{where}" if where else ""


def _where(unit: UnitState) -> str:
    return unit.path + (f":{unit.line}" if unit.line else "")


def format_status(status: TranslationStatus, diffs: bool = True) -> str:
    out = [f"Translation status (source: {status.source.name}, content/{status.source.code}/)", "",
           f"{'language':<14}{'what':<12}{'current':>8}{'stale':>7}{'missing':>9}{'fuzzy':>7}{'untracked':>11}"]
    for state in status.languages:
        for kind in KINDS:
            counts = [str(state.count(kind, s)) if not (state.language.source and s in (STALE, UNTRACKED)) else "-"
                      for s in STATUSES]
            out.append(f"{state.language.code + ' ' + state.language.name:<14}{KIND_NAMES[kind]:<12}"
                       f"{counts[0]:>8}{counts[1]:>7}{counts[2]:>9}{counts[3]:>7}{counts[4]:>11}")
    for state in status.languages:
        out.extend(_details(state, diffs))
    return "\n".join(out) + "\n"


def _details(state: LanguageState, diffs: bool) -> list[str]:
    code = state.language.code
    listed = [u for u in state.units if u.status in (STALE, MISSING, FUZZY)]
    untracked = sum(1 for u in state.units if u.status == UNTRACKED)
    if not listed and not untracked:
        return []
    out = ["", f"{code} {state.language.name}" + (f" ({state.lock.path})" if state.lock.path else "")]
    for unit in listed:
        critical = ("  CRITICAL: the pages that show it are replaced by a \"being updated\" notice until this is fixed"
                    if unit.source.critical else "")
        out.append(f"  {unit.status:<9}{unit_label(unit):<34} {_where(unit)}"
                   + (f"  {unit.detail}" if unit.detail else "") + critical)
        if unit.status != STALE:
            continue
        if unit.source.kind == "page":
            out.append("           Italian changed in: " + ", ".join(
                f'"{s}"' for s in changed_sections(unit.entry.source, unit.source.text)))
        if diffs:
            out.extend("           " + line for line in source_diff(unit).splitlines())
        out.append(f"           when updated: {mark_command(state, unit)}")
    for unit in (u for u in state.units if u.status == UNTRACKED):
        out.append(f"  untracked {unit_label(unit):<33} {_where(unit)}")
    if untracked:
        out.append(f"  {count(untracked, 'unit')} {are(untracked)} untracked (no record of the Italian "
                   f"{'it was' if untracked == 1 else 'they were'} made from); once checked, run: {untracked_command(state)}")  # noqa: E501
    return out


def status_json(status: TranslationStatus) -> dict:
    languages = {}
    for state in status.languages:
        units = [{"kind": u.source.kind, "id": u.source.id, "status": u.status, "critical": u.source.critical,
                  "path": u.path, "line": u.line, "detail": u.detail,
                  "marked": u.entry.marked.isoformat() if u.entry else None,
                  "changed_sections": changed_sections(u.entry.source, u.source.text)
                  if u.status == STALE and u.source.kind == "page" else [],
                  "diff": source_diff(u) if u.status == STALE else ""} for u in state.units]
        summary = {KIND_NAMES[k]: {s: state.count(k, s) for s in STATUSES} for k in KINDS}
        languages[state.language.code] = {"name": state.language.name, "source": state.language.source,
                                          "lock": state.lock.path or None, "summary": summary, "units": units}
    return {"source_language": status.source.code, "languages": languages}


# -- the command ------------------------------------------------------------------------------------
def _fail_on(text: str) -> tuple[str, ...]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    for name in names:
        if name not in FAIL_ON:
            raise argparse.ArgumentTypeError(f'"{name}" is not one of {", ".join(FAIL_ON)}')
    return tuple(s for n in names for s in FAIL_ON[n])


class _MarkAction(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        if len(values) < 2:
            parser.error(f"{option_string} needs a language and what to mark, e.g. {option_string} en treatment")
        setattr(namespace, self.dest, values)


def add_arguments(parser) -> None:
    parser.add_argument("--fail-on", type=_fail_on, default=(), metavar="WHAT",
                        help="exit with 1 if any unit is one of: missing, stale, fuzzy, untracked "
                             "(comma-separated; missing includes fuzzy)")
    parser.add_argument("--json", action="store_true", help="print the status as JSON (for CI)")
    parser.add_argument("--force", action="store_true",
                        help="with --mark-current and a group (all, pages, words, ui): mark stale units too")
    parser.add_argument("--no-diff", action="store_true", help="do not show what changed in the Italian")
    parser.add_argument("--mark-current", nargs="+", action=_MarkAction, metavar=("LANG", "UNIT"),
                        help="record that LANG's translation of UNIT (a page key, a fact id, pages, words, ui "
                             "or all) is up to date with the Italian as it is now")


def run(args, root: Path) -> int:
    config = load_config(root)
    templates = root / "templates"
    if args.mark_current:
        result = mark_current(config, templates, args.mark_current[0], args.mark_current[1:], datetime.date.today(),
                              args.force)
        for unit in result.marked:
            print(f"marked current: {unit_label(unit)} ({unit.path})")
        if result.unchanged:
            print(f"already current: {count(len(result.unchanged), 'unit')}")
        if result.skipped:
            print(f"skipped, not translated yet: {', '.join(unit_label(u) for u in result.skipped)}")
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"Recorded in {result.lock_path}" if (root / result.lock_path).is_file() else "Nothing recorded")
        return 0
    status = assess_translations(read_translation_sources(config, templates))
    print(json.dumps(status_json(status), ensure_ascii=False, indent=2) if args.json
          else format_status(status, diffs=not args.no_diff), end="" if not args.json else "\n")
    failing = [u for state in status.languages for u in state.units if u.status in args.fail_on]
    if failing:
        print(f"status: {count(len(failing), 'unit')} {are(len(failing))} {' or '.join(sorted({u.status for u in failing}))}",  # noqa: E501
              file=sys.stderr)
        return 1
    return 0
