"""`python build.py i18n extract|update`: keep every language's messages.po in step with the
templates, with Babel's own extractor and catalogue merge (no hand-written parser)."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from .config import Config
from .i18n import CATALOG_FILE, extract_messages, read_catalog

TEMPLATE_FILE = "templates/messages.pot"


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


def write_template(config: Config, templates_dir: Path) -> Path:
    path = config.root / TEMPLATE_FILE
    path.write_bytes(_po_bytes(extract_template(config, templates_dir)))
    return path


def update_catalogs(config: Config, templates_dir: Path) -> list[tuple[str, int, int]]:
    """Merge the templates' strings into each messages.po; return (path, new, untranslated)."""
    template = extract_template(config, templates_dir)
    results = []
    for language in config.languages:
        rel = f"content/{language.code}/{CATALOG_FILE}"
        path = config.root / rel
        if path.is_file():
            catalog = read_catalog(path, language)
            before = {m.id for m in catalog if m.id}
        else:
            catalog = Catalog(locale=language.locale, project="patient-information site", fuzzy=False)
            before = set()
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.revision_date = catalog.creation_date = template.creation_date.replace(year=2026, month=1, day=1,
                                                                                       hour=0, minute=0)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_po_bytes(catalog))
        new = sum(1 for m in catalog if m.id and m.id not in before)
        untranslated = sum(1 for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string))
        results.append((rel, new, untranslated))
    return results


def add_arguments(parser) -> None:
    parser.add_argument("action", choices=["extract", "update"],
                        help="extract: write templates/messages.pot; update: merge it into every messages.po")


def run(args, root) -> int:
    from .config import load_config

    config = load_config(root)
    templates = root / "templates"
    if args.action == "extract":
        path = write_template(config, templates)
        print(f"Wrote {path.relative_to(root)}")
        return 0
    for rel, new, untranslated in update_catalogs(config, templates):
        print(f"{rel}: {new} new, {untranslated} untranslated")
    return 0
