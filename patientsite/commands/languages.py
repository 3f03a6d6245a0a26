"""`python build.py i18n add-language CODE --locale LOCALE --name NAME` and `i18n remove-language CODE`.

add-language adds the language to site.yaml (as text: the file's comments stay) and writes its folder
content/CODE/: words.yaml and claims.yaml (copies of the source language's, headed UNTRANSLATED),
messages.po (every UI string of the templates, msgstr empty, Babel's catalogue) and one skeleton per
source page (its front matter and text, with `untranslated: true`). Nothing of it passes as
translated: a skeleton page is "missing" in the translation status until the line is deleted, the
catalogue's strings are untranslated, and no lock file records anything (the words are untracked).
It records each file it wrote, with its hash, in content/CODE/.add-language.yaml.

remove-language deletes exactly those files, unless one changed since (it may hold a translation:
refused without --force), and the language's lines in site.yaml; a file the user made in the
folder is kept and named. Every refusal is a `path:line` problem, and nothing is written.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog

from patientsite.commands import siteyaml
from patientsite.errors import BuildError, Problem, Problems, shown, suggest
from patientsite.load.config import CONFIG_FILE, Config, load_config
from patientsite.load.content import split_front_matter
from patientsite.load.facts import WORDS_FILE
from patientsite.load.i18n import CATALOG_FILE
from patientsite.load.textfile import read_source
from patientsite.load.words import plural_categories
from patientsite.load.yamlload import Node, parse_yaml
from patientsite.write import write_file

MANIFEST = ".add-language.yaml"
CLAIMS_FILE = "claims.yaml"
_CODE = re.compile(r"^[a-z]{2,3}$")
_PREFIX = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Change:
    written: tuple[str, ...] = ()     # files written (relative to the root)
    deleted: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()        # files of the folder that add-language did not make


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _site(root: Path, problems: Problems) -> tuple[Config, str, Node]:
    config = load_config(root)
    text = read_source(root, CONFIG_FILE, problems)
    problems.raise_if_any()
    data, _ = parse_yaml(text or "", CONFIG_FILE)
    assert isinstance(data, Node)
    return config, text or "", data


def add_language(root: Path, code: str, locale: str, name: str, prefix: str | None,
                 templates_dir: Path) -> Change:
    """Add the language `code`; raise BuildError (writing nothing) when it cannot be added."""
    problems = Problems(f'adding the language "{shown(code)}"')
    config, text, data = _site(root, problems)
    given_prefix = prefix is not None
    prefix = code if prefix is None else prefix
    where = data.line_of("languages")
    codes = {lang.code: lang for lang in config.languages}
    languages = data["languages"]
    if not _CODE.fullmatch(code):
        problems.error(CONFIG_FILE, where, f'the language code "{shown(code)}" is not a two- or three-letter code',
                       "Give the ISO 639 code in lower case, e.g. de or fr.")
    elif code in codes:
        index = [lang.code for lang in config.languages].index(code)
        problems.error(CONFIG_FILE, languages[index].line_of("code"), f'the language "{code}" ({codes[code].name}) '
                       "is already in the site", f"Translate content/{code}/; to start again, first run: python "
                       f"build.py i18n remove-language {code}")
    try:
        babel = Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        babel = None
        problems.error(CONFIG_FILE, where, f'unknown Babel locale "{shown(locale)}" for the language "{shown(code)}"',
                       "Give a locale Babel knows, e.g. --locale de_DE or --locale fr_FR.")
    if babel is not None and _CODE.fullmatch(code) and babel.language != code:
        problems.error(CONFIG_FILE, where, f'the locale "{locale}" is for the language "{babel.language}", '
                       f'not "{code}"', f"Give a locale of {code}, e.g. --locale {code}_{code.upper()}.")
    if not name.strip() or any(ord(c) < 32 or c in '"\\' for c in name):
        problems.error(CONFIG_FILE, where, f'the language name "{shown(name)}" is empty or holds a control character '
                       'or a quote', "Give the language's name in itself, e.g. --name Deutsch.")
    if not _PREFIX.fullmatch(prefix) and (given_prefix or _CODE.fullmatch(code)):
        problems.error(CONFIG_FILE, where, f'URL prefix "{shown(prefix)}" may only use a-z, 0-9 and single "-"',
                       "Give e.g. --prefix de, or leave it out to use the code.")
    elif any(lang.prefix == prefix for lang in config.languages):
        problems.error(CONFIG_FILE, where, f'the URL prefix "{prefix}" is already used by another language',
                       "Give another one with --prefix.")
    if not siteyaml.block_style(text, data):
        problems.error(CONFIG_FILE, where, "the languages are not written one '- code: ...' entry per line",
                       "Write each language as a '- code: ...' entry on its own lines; add-language adds one.")
    folder = root / "content" / code
    if _CODE.fullmatch(code) and code not in codes and folder.exists():
        found = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else [folder.name]
        if found:
            problems.error(f"content/{code}", None, f"the folder already holds files: {', '.join(found[:5])}"
                           + (" ..." if len(found) > 5 else ""),
                           f"Move content/{code}/ away (or delete it), then add the language again.")
    problems.raise_if_any()
    source = config.source_language
    files = _language_files(config, code, name.strip(), babel, templates_dir, problems)
    problems.raise_if_any()
    new_text = siteyaml.add_language(text, data, code, locale, name.strip(), prefix, source.code)
    manifest = _manifest_text(code, files)
    written = []
    try:
        write_file(root / CONFIG_FILE, new_text)
        for rel, content in files.items():
            write_file(root / rel, content)
            written.append(rel)
        write_file(root / f"content/{code}/{MANIFEST}", manifest)
        load_config(root)       # the edited site.yaml must read back
    except BuildError:
        write_file(root / CONFIG_FILE, text)
        for rel in written:
            (root / rel).unlink(missing_ok=True)
        (root / f"content/{code}/{MANIFEST}").unlink(missing_ok=True)
        raise
    return Change(written=(CONFIG_FILE, *files, f"content/{code}/{MANIFEST}"))


def _language_files(config: Config, code: str, name: str, babel, templates_dir: Path,
                    problems: Problems) -> dict[str, str]:
    """content/CODE/'s files: relative path -> text."""
    from patientsite.commands.i18n import _po_bytes, extract_template

    source = config.source_language
    src = config.root / "content" / source.code
    files: dict[str, str] = {}
    for path in sorted(src.glob("*.md")):
        rel = f"content/{source.code}/{path.name}"
        text = read_source(config.root, rel, problems)
        if text is not None:
            files[f"content/{code}/{path.name}"] = _skeleton(text, rel, problems)
    header = (f"# UNTRANSLATED: a copy of content/{source.code}/{{name}}, made by `python build.py i18n "
              f"add-language {code}`.\n# Replace the {source.name} words with {name} ones, entry by entry; "
              "then check them and run: python build.py status --mark-current " + code + " {what}\n")
    words = read_source(config.root, f"content/{source.code}/{WORDS_FILE}", problems)
    if words is not None:
        words = _with_plural_forms(words, plural_categories(_Lang(babel)))
        files[f"content/{code}/{WORDS_FILE}"] = header.format(name=WORDS_FILE, what="words") + words
    claims = config.root / "content" / source.code / CLAIMS_FILE
    text = read_source(config.root, f"content/{source.code}/{CLAIMS_FILE}", problems) if claims.is_file() else None
    files[f"content/{code}/{CLAIMS_FILE}"] = (
        f"# UNTRANSLATED: the {source.name} phrases of content/{source.code}/{CLAIMS_FILE}, made by add-language.\n"
        f"# Replace them with the {name} phrases the advertising rules forbid (and require).\n"
        + (text if text is not None else "forbidden: {}\n"))
    catalog = Catalog(locale=str(babel), project="patient-information site", fuzzy=False)
    catalog.update(extract_template(config, templates_dir), no_fuzzy_matching=True, update_header_comment=False)
    catalog.revision_date = catalog.creation_date = datetime.datetime(2026, 1, 1)
    files[f"content/{code}/{CATALOG_FILE}"] = _po_bytes(catalog).decode("utf-8")
    return files


@dataclass(frozen=True)
class _Lang:
    babel: object


def _skeleton(text: str, rel: str, problems: Problems) -> str:
    """A source page as an untranslated skeleton: the same text, `untranslated: true` in the front matter."""
    front, body, _ = split_front_matter(text)
    if front is None:
        problems.error(rel, 1, "the page has no front matter", "Fix the source page, then add the language.")
        return text
    front = front if front.endswith("\n") else front + "\n"
    return f"---\n{front}untranslated: true   # delete this line once the page is translated\n---\n{body}"


def _with_plural_forms(text: str, needed: tuple[str, ...]) -> str:
    """words.yaml's text with every flow-style counted noun (`session: {one: ..., other: ...}`) given
    the plural categories the new language needs (the source's "other" form in each new one)."""
    out = []
    in_units = False
    for line in text.split("\n"):
        if re.match(r"^\S", line):
            in_units = line.startswith("units:")
        match = re.match(r"^(\s+[\w.-]+:\s*\{)(.*)(\}\s*(?:#.*)?)$", line) if in_units else None
        if match:
            forms = dict(re.findall(r"(\w+):\s*([^,]+?)\s*(?:,|$)", match.group(2)))
            if "other" in forms:
                for category in needed:
                    forms.setdefault(category, forms["other"])
                line = match.group(1) + ", ".join(f"{k}: {v}" for k, v in forms.items()) + match.group(3)
        out.append(line)
    return "\n".join(out)


def _manifest_text(code: str, files: dict[str, str]) -> str:
    entries = {rel: _digest(content.encode("utf-8")) for rel, content in sorted(files.items())}
    return (f"# Written by `python build.py i18n add-language {code}`: the files it made, with their sha256.\n"
            f"# `python build.py i18n remove-language {code}` deletes these files (and only these).\n"
            + yaml.safe_dump({"language": code, "files": entries}, sort_keys=True, allow_unicode=True))


def remove_language(root: Path, code: str, force: bool = False) -> Change:
    """Remove the language `code` that add-language added; raise BuildError (changing nothing) when
    it cannot be removed."""
    problems = Problems(f'removing the language "{shown(code)}"')
    config, text, data = _site(root, problems)
    codes = [lang.code for lang in config.languages]
    where = data.line_of("languages")
    if code not in codes:
        problems.error(CONFIG_FILE, where, f'"{shown(code)}" is not a language of the site',
                       f"{suggest(code, codes)}The site's languages: {', '.join(codes)}.")
        problems.raise_if_any()
    line = data["languages"][codes.index(code)].line_of("code")
    if config.language(code).source:
        problems.error(CONFIG_FILE, line, f'"{code}" is the source language: every translation is made from it',
                       "A source language cannot be removed.")
        problems.raise_if_any()
    rel_manifest = f"content/{code}/{MANIFEST}"
    files = _read_manifest(root, rel_manifest, code, line, problems)
    changed = []
    for rel, digest in files.items():
        path = root / rel
        if path.is_file() and _digest(path.read_bytes()) != digest:
            changed.append(rel)
            if not force:
                problems.error(rel, 1, "changed since add-language made it: it may hold a translation",
                               f"Move it out of content/{code}/ to keep it, or run: python build.py i18n "
                               f"remove-language {code} --force (deletes it too).")
    problems.raise_if_any()
    write_file(root / CONFIG_FILE, siteyaml.remove_language(text, data, code))
    deleted = []
    for rel in files:
        if (root / rel).is_file():
            (root / rel).unlink()
            deleted.append(rel)
    (root / rel_manifest).unlink()
    folder = root / "content" / code
    kept = sorted(f"content/{code}/{p.name}" for p in folder.iterdir()) if folder.is_dir() else []
    if folder.is_dir() and not kept:
        folder.rmdir()
    return Change(written=(CONFIG_FILE,), deleted=(*deleted, rel_manifest), kept=tuple(kept))


def _read_manifest(root: Path, rel: str, code: str, line: int, problems: Problems) -> dict[str, str]:
    if not (root / rel).is_file():
        problems.error(CONFIG_FILE, line, f'"{code}" was not added by add-language ({rel} is missing), so '
                       "remove-language does not know which files are its own",
                       f"Remove it by hand: its entry under languages: (and its {code}: blocks under clinic: "
                       f"and reviewer:) in {CONFIG_FILE}, then the files of content/{code}/ you no longer need.")
        problems.raise_if_any()
    data, found = parse_yaml(read_source(root, rel, problems) or "", rel)
    files = data.get("files") if isinstance(data, Node) else None
    if found or not isinstance(files, Node) or not all(
            isinstance(k, str) and k.startswith(f"content/{code}/") and "/.." not in k and isinstance(v, str)
            for k, v in files.items()):
        problems.error(rel, 1, "the record of the files add-language made is damaged",
                       f"Restore it from version control, or remove the language by hand (its lines in "
                       f"{CONFIG_FILE}, the files of content/{code}/).")
        problems.raise_if_any()
    return {str(k): str(v) for k, v in files.items()}


__all__ = ["Change", "MANIFEST", "add_language", "remove_language", "Problem"]
