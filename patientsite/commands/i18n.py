"""`python build.py i18n extract|update`: keep every language's messages.po in step with the
templates, with Babel's own extractor and catalogue merge (no hand-written parser).

Nothing is written unless every template parses and every catalogue reads: a template with a syntax
error would otherwise lose all its strings, and every translation of them would turn obsolete. A
string that comes back to the templates gets back its obsolete (`#~`) translation."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import cast

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from jinja2 import Environment, TemplateSyntaxError

from patientsite.errors import BuildError, Problem, Problems
from patientsite.load.config import Config
from patientsite.load.i18n import CATALOG_FILE, catalog_problems, extract_messages, read_catalog
from patientsite.load.posyntax import CatalogError

TEMPLATE_FILE = "templates/messages.pot"
TEMPLATE_SUFFIXES = (".html", ".xml")      # the files Babel extracts from (i18n.EXTRACT_METHODS)


def check_templates(templates_dir: Path, problems: Problems) -> None:
    """Every template the extractor reads must be UTF-8 and parse; each one that does not is an error
    at its line (Babel's extractor would silently skip it)."""
    env = Environment(extensions=["jinja2.ext.i18n"])     # parsed only, never rendered
    for path in sorted(templates_dir.rglob("*")):
        if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
            continue
        rel = f"templates/{path.relative_to(templates_dir).as_posix()}"
        data = path.read_bytes()
        try:
            env.parse(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            problems.error(rel, data[: exc.start].count(b"\n") + 1, "the template is not UTF-8 text",
                           "Save it as UTF-8, then run i18n again; no catalogue was changed.")
        except TemplateSyntaxError as exc:
            problems.error(rel, exc.lineno, f"the template cannot be parsed: {exc.message}",
                           "Fix the template tag on this line, then run i18n again; no catalogue was changed.")


def extract_template(config: Config, templates_dir: Path) -> Catalog:
    """Every UI string of the templates, as a gettext template catalogue."""
    template = Catalog(project="patient-information site", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_messages(templates_dir):
        template.add(message, None, [(f"templates/{filename}", lineno)], auto_comments=list(comments),
                     context=context)
    return template


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=False, ignore_obsolete=False,
             include_previous=True)
    return buffer.getvalue()


def _checked_template(config: Config, templates_dir: Path, problems: Problems) -> Catalog:
    check_templates(templates_dir, problems)
    problems.raise_if_any()
    return extract_template(config, templates_dir)


def write_template(config: Config, templates_dir: Path) -> Path:
    template = _checked_template(config, templates_dir, Problems("extracting the UI strings"))
    path = config.root / TEMPLATE_FILE
    path.write_bytes(_po_bytes(template))
    return path


def _obsolete_key(message) -> str | tuple[str, str]:
    key = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return key if message.context is None else (key, message.context)


def restore_obsolete(catalog: Catalog, template: Catalog) -> None:
    """Bring back the obsolete (`#~`) entry of every template string the catalogue lacks, so the merge
    keeps its translation."""
    for message in template:
        key = _obsolete_key(message)
        if message.id and catalog.get(message.id, message.context) is None and key in catalog.obsolete:
            catalog[message.id] = catalog.obsolete.pop(key)


def update_catalogs(config: Config, templates_dir: Path) -> list[tuple[str, int, int]]:
    """Merge the templates' strings into each messages.po; return (path, new, untranslated). Raises
    BuildError, writing nothing, when a template or a catalogue cannot be read."""
    problems = Problems("updating the UI string catalogues")
    check_templates(templates_dir, problems)
    catalogs = {}
    for language in config.languages:
        rel = f"content/{language.code}/{CATALOG_FILE}"
        path = config.root / rel
        if path.is_file():
            try:
                catalogs[language.code] = read_catalog(path, language)
            except CatalogError as exc:
                catalog_problems(rel, exc, problems)
    problems.raise_if_any()
    template = extract_template(config, templates_dir)
    results = []
    for language in config.languages:
        rel = f"content/{language.code}/{CATALOG_FILE}"
        path = config.root / rel
        catalog = catalogs.get(language.code)
        if catalog is None:
            catalog = Catalog(locale=language.locale, project="patient-information site", fuzzy=False)
        restore_obsolete(catalog, template)
        before = {m.id for m in catalog if m.id}      # a restored translation is not new
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        created = cast(datetime.datetime, template.creation_date)
        catalog.revision_date = catalog.creation_date = created.replace(year=2026, month=1, day=1, hour=0, minute=0)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_po_bytes(catalog))
        new = sum(1 for m in catalog if m.id and m.id not in before)
        untranslated = sum(1 for m in catalog if m.id and not (all(m.string) if isinstance(m.string,
                                                                                           tuple) else m.string))
        results.append((rel, new, untranslated))
    return results


def add_arguments(parser) -> None:
    parser.add_argument("action", choices=["extract", "update", "add-language", "remove-language"],
                        help="extract: write templates/messages.pot; update: merge it into every messages.po; "
                             "add-language CODE --locale LOCALE --name NAME: add a language, every file of it marked "
                             "untranslated; remove-language CODE: remove a language add-language added")
    parser.add_argument("code", nargs="?", help="with add-language and remove-language: the language code, e.g. de")
    parser.add_argument("--locale", help="with add-language: the Babel locale, e.g. de_DE")
    parser.add_argument("--name", help="with add-language: the language's name in itself, e.g. Deutsch")
    parser.add_argument("--prefix", help="with add-language: the URL prefix (default: the code)")
    parser.add_argument("--force", action="store_true",
                        help="with remove-language: also delete files changed since add-language made them")


def _languages(args, root) -> int:
    from patientsite.commands import languages

    if not args.code or (args.action == "add-language" and (args.locale is None or args.name is None)):
        usage = ("python build.py i18n add-language CODE --locale LOCALE --name NAME, e.g. python build.py i18n "
                 "add-language de --locale de_DE --name Deutsch" if args.action == "add-language"
                 else "python build.py i18n remove-language CODE, e.g. python build.py i18n remove-language de")
        raise BuildError(f"reading the command line of i18n {args.action}", [Problem(
            "site.yaml", None, None, f"i18n {args.action} needs "
            + ("a language code, --locale and --name" if args.action == "add-language" else "a language code"),
            f"Write: {usage}")])
    if args.action == "add-language":
        change = languages.add_language(root, args.code, args.locale, args.name, args.prefix, root / "templates")
        print(f"Added {args.code} ({args.name}): wrote {len(change.written)} files, every one marked untranslated:")
        for rel in change.written:
            print(f"  {rel}")
        print(f"Next: translate content/{args.code}/ (docs/clinic.md, \"Add a language\"); "
              "python build.py status shows what is left.")
        return 0
    change = languages.remove_language(root, args.code, args.force)
    print(f"Removed {args.code} from site.yaml and deleted {len(change.deleted)} files add-language made.")
    for rel in change.kept:
        print(f"  kept {rel} (not made by add-language; delete it yourself if it is not needed)")
    return 0


def run(args, root) -> int:
    from patientsite.load.config import load_config

    if args.action in ("add-language", "remove-language"):
        return _languages(args, root)
    config = load_config(root)
    templates = root / "templates"
    if args.action == "extract":
        path = write_template(config, templates)
        print(f"Wrote {path.relative_to(root)}")
        return 0
    for rel, new, untranslated in update_catalogs(config, templates):
        print(f"{rel}: {new} new, {untranslated} untranslated")
    return 0
