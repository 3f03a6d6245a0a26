"""Everything locale-specific: Babel formatting of numbers, ranges, units, dates and plurals,
and the gettext catalogues (`content/<lang>/messages.po`) of the templates' UI strings."""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal
from babel.support import Translations
from babel.units import format_unit

from patientsite.errors import Problems
from patientsite.load.config import Config, Language
from patientsite.load.facts import Amount, Words
from patientsite.load.posyntax import CatalogError, check_syntax, decode
from patientsite.load.units import ui_units
from patientsite.load.words import MEASURE_UNITS

CATALOG_FILE = "messages.po"
NBSP = "\u00a0"
RANGE_DASH = "\u2013"
EXTRACT_METHODS = [("**.html", "jinja2.ext:babel_extract"), ("**.xml", "jinja2.ext:babel_extract")]
EXTRACT_OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n"}, "**.xml": {"extensions": "jinja2.ext.i18n"}}


def format_number(number: Decimal | int, language: Language) -> str:
    return format_decimal(number, locale=language.locale, group_separator=False)


def format_amount(amount: Amount, language: Language, words: Words) -> str:
    """`0,05–0,1 ml`, `10–12 sedute`, `7–30 дней`: Babel for numbers, CLDR plurals for nouns."""
    last = amount.high if amount.high is not None else amount.low
    numbers = RANGE_DASH.join(format_number(n, language) for n in amount.numbers)
    if amount.unit in MEASURE_UNITS:
        text = _format_measure(last, amount.unit, language)
        return text.replace(format_number(last, language), numbers, 1).replace(" ", NBSP)
    category = language.babel.plural_form(last)
    forms = words.units[amount.unit]
    return f"{numbers}{NBSP}{forms.get(category) or forms['other']}"


def _format_measure(number: Decimal, unit: str, language: Language) -> str:
    cldr, length = MEASURE_UNITS[unit]
    text = format_unit(number, cldr, length=length, locale=language.locale)
    if cldr in text:  # Babel lacks some long forms (Italian days, months): use the short form
        text = format_unit(number, cldr, length="short", locale=language.locale)
    return text


def format_long_date(date: datetime.date, language: Language) -> str:
    return format_date(date, "long", locale=language.locale)


@dataclass(frozen=True)
class Catalogs:
    """Each language's compiled UI strings, and the message ids the templates use."""

    translations: Mapping[str, Translations]
    msgids: frozenset
    paths: Mapping[str, str]
    warnings: tuple = ()          # translations that contain markup (shown escaped, as text)
    digests: Mapping[str,
                     str] = field(default_factory=lambda: MappingProxyType({}))  # language -> sha256 of the bytes read
    # language -> the translation units of its catalogue, made from the same parse (load/units.py)
    units: Mapping[str, Mapping] = field(default_factory=lambda: MappingProxyType({}), compare=False, repr=False)
    untranslated: frozenset = frozenset()   # translated languages with a UI string not translated yet


def extract_messages(templates_dir: Path) -> tuple[tuple, ...]:
    """Every UI string of the templates as Babel's extractor gives it: (file, line, message, comments,
    context). Extracted once per state of the templates folder (the build, `status` and the catalogue
    check all ask), again as soon as a template changes."""
    state = tuple((p.relative_to(templates_dir).as_posix(), p.stat().st_mtime_ns, p.stat().st_size)
                  for p in sorted(templates_dir.rglob("*")) if p.is_file())
    return _extract(str(templates_dir), state)


@functools.lru_cache(maxsize=8)
def _extract(templates_dir: str, _state: tuple) -> tuple[tuple, ...]:
    return tuple((filename, lineno, message, tuple(comments), context) for filename, lineno, message, comments, context
                 in extract_from_dir(templates_dir, EXTRACT_METHODS, EXTRACT_OPTIONS))


def template_messages(templates_dir: Path) -> dict:
    """msgid -> (template path, line) for every UI string of the templates."""
    found: dict = {}
    for filename, lineno, message, _comments, _context in extract_messages(templates_dir):
        key = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, (f"templates/{filename}", lineno))
    return found


FUZZY = "marked fuzzy"


def unusable(message, plural: bool, num_plurals: int) -> str:
    """Why a catalogue entry cannot be shown to readers ('not translated', 'not translated in all N
    plural forms', 'marked fuzzy'), or '' when it can. The build and `status` judge by this alone."""
    strings = tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)
    if plural and (len(strings) < num_plurals or not all((s or "").strip() for s in strings)):
        return f"not translated in all {num_plurals} plural forms"
    if not all((s or "").strip() for s in strings):
        return "not translated"
    return FUZZY if message.fuzzy else ""


# A tag, a comment or a character reference in a translation: UI strings are plain text, so the
# build shows them escaped; `check` names them so the translator removes them.
MARKUP = re.compile(r"<\s*[A-Za-z/!?]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def markup_in(message) -> str:
    """The first piece of markup in a catalogue entry's translation, or ''."""
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    for text in strings:
        found = MARKUP.search(text or "")
        if found:
            return found.group(0)
    return ""


def parse_catalog(data: bytes, language: Language) -> Catalog:
    """A catalogue from its bytes; a malformed one raises CatalogError naming every bad line."""
    text = decode(data).replace("\r\n", "\n")      # a BOM and CRLF line ends simply work
    problems = check_syntax(text)
    if problems:
        raise CatalogError(problems)
    try:
        return read_po(io.BytesIO(text.encode("utf-8")), locale=language.locale, abort_invalid=True)
    except PoFileError as exc:      # Babel counts lines from 0
        raise CatalogError([((exc.lineno or 0) + 1, str(exc), "Check the msgid/msgstr lines.")]) from None


def read_catalog(path: Path, language: Language) -> Catalog:
    return parse_catalog(path.read_bytes(), language)


def catalog_problems(rel: str, exc: CatalogError, problems: Problems) -> None:
    for line, message, hint in exc.problems:
        problems.error(rel, line, f"the catalogue cannot be read: {message}", hint)


def load_catalogs(config: Config, templates_dir: Path) -> Catalogs:
    """Read every language's messages.po; each template string must be in it, and translated in full
    (in a translated language, one not translated yet is a warning and the language is `untranslated`)."""
    problems = Problems("reading the UI string catalogues")
    wanted = template_messages(templates_dir)
    translations, paths, digests, units = {}, {}, {}, {}
    untranslated: set[str] = set()
    for language in config.languages:
        rel = f"content/{language.code}/{CATALOG_FILE}"
        paths[language.code] = rel
        path = config.root / rel
        if not path.is_file():
            problems.error(rel, None, "the UI string catalogue is missing",
                           "Run: python build.py i18n update")
            continue
        data = path.read_bytes()       # read once: the render cache keys on exactly these bytes
        try:
            catalog = parse_catalog(data, language)
        except CatalogError as exc:
            catalog_problems(rel, exc, problems)
            continue
        digests[language.code] = hashlib.sha256(data).hexdigest()
        units[language.code] = MappingProxyType(ui_units(catalog, wanted, rel, unusable))
        if not language.source and wanted and not any(m.id and m.string and (
                any(m.string) if isinstance(m.string, tuple) else True) for m in catalog):
            # a new language (i18n add-language): nothing translated yet is not a mistake in a translation
            untranslated.add(language.code)
            problems.warn(rel, None, f"none of the {len(wanted)} UI strings is translated into {language.code} yet",
                          "Translate each msgstr; python build.py status lists them. The language is not ready "
                          "until they are.")
            wanted_here: dict = {}
        else:
            wanted_here = wanted
        for msgid, (tpath, tline) in wanted_here.items():
            key = msgid[0] if isinstance(msgid, tuple) else msgid
            message = catalog.get(key)
            if message is None:
                problems.error(rel, None, f'the UI string "{key}" (used in {tpath}:{tline}) is not in the catalogue',
                               "Run: python build.py i18n update, then translate the new msgstr.")
                continue
            problem = unusable(message, isinstance(msgid, tuple), catalog.num_plurals)
            if problem == FUZZY:
                problems.error(rel, message.lineno, f'the translation of "{key}" is marked fuzzy',
                               "Check the translation, then remove the '#, fuzzy' line above it.")
            elif problem and not language.source:
                # a translation in progress: the language is not ready, the rest of the site builds
                untranslated.add(language.code)
                problems.warn(rel, message.lineno, f'the UI string "{key}" is {problem}',
                              f"Fill in every msgstr line for it; {language.code} is not ready until every UI string "
                              "is translated.")
            elif problem:
                problems.error(rel, message.lineno, f'the UI string "{key}" is {problem}',
                               "Fill in every msgstr line for it.")
            elif markup_in(message):
                problems.warn(rel, message.lineno,
                              f'the translation of "{key}" contains markup ({markup_in(message)}); '
                              "readers would see it as text",
                              "UI strings are plain text: remove the tags or character references.")
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        translations[language.code] = Translations(buffer)
    problems.raise_if_any()
    return Catalogs(MappingProxyType(translations), frozenset(wanted), MappingProxyType(paths),
                    problems.warnings_tuple(), MappingProxyType(digests), MappingProxyType(units),
                    frozenset(untranslated))
