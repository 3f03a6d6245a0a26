"""`site.yaml` -> a frozen `Config` with its `Language`s. Unknown keys are errors. The clinic's and
the reviewer's details, per language: clinic.py."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from babel import Locale, UnknownLocaleError

from patientsite.errors import Problem, Problems, shown
from patientsite.load.clinic import Clinic, Reviewer, ReviewerWords, read_clinic, read_reviewer, reviewer_words
from patientsite.load.textfile import read_source
from patientsite.load.yamlload import Node, Seq, check_keys, check_types, parse_yaml

CONFIG_FILE = "site.yaml"
_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class Language:
    code: str          # content folder and hreflang, e.g. "ru"
    locale: str        # Babel locale, e.g. "ru_RU"
    name: str          # the language's name in itself, e.g. "Русский"
    prefix: str        # URL prefix, e.g. "ru"
    source: bool       # the language translations are made from

    @property
    def babel(self) -> Locale:
        return Locale.parse(self.locale)


@dataclass(frozen=True)
class Config:
    root: Path
    base_url: str      # absolute, ends with "/"
    clinic: Clinic
    reviewer: Reviewer
    review_interval_days: int
    review_warn_days: int
    languages: tuple[Language, ...]
    warnings: tuple[Problem, ...] = ()
    # language code -> the clinic's details in that language (`clinic` is the source language's)
    clinics: Mapping[str, Clinic] = field(default_factory=lambda: MappingProxyType({}))
    menu: tuple[str, ...] = ()      # the page keys of the menu, in order, the same in every language
    menu_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))   # key -> site.yaml line

    def clinic_in(self, code: str) -> Clinic:
        return self.clinics.get(code, self.clinic)

    def reviewer_in(self, code: str, terms: Mapping[str, str]) -> ReviewerWords:
        """The reviewer's name, title and role as the language `code` shows them."""
        return reviewer_words(self.reviewer, code, terms)

    @property
    def source_language(self) -> Language:
        return next(lang for lang in self.languages if lang.source)

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)


_TOP = {"base_url", "clinic", "reviewer", "review", "languages", "menu"}
_KEY = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_REVIEW = {"interval_days", "warn_days"}
_LANGUAGE = {"code", "locale", "name", "prefix", "source"}


def load_config(root: Path, base_url: str | None = None) -> Config:
    """Read and validate `site.yaml`; raise `BuildError` with every problem found. `base_url` (the
    build's --base-url), else the environment's PATIENTSITE_BASE_URL, replaces site.yaml's base_url."""
    problems = Problems("reading site.yaml")
    override = _base_url_override(base_url, problems)
    path = root / CONFIG_FILE
    if not path.is_file():
        problems.error(CONFIG_FILE, None, "the site configuration is missing",
                       f"Create {CONFIG_FILE} at the top of the project (see docs/clinic.md).")
        problems.raise_if_any()
    text = read_source(root, CONFIG_FILE, problems)
    problems.raise_if_any()
    data, found = parse_yaml(text, CONFIG_FILE)
    problems.errors.extend(found)
    problems.raise_if_any()
    if not isinstance(data, Node):
        problems.error(CONFIG_FILE, 1, "site.yaml must be a mapping of keys to values", "")
        problems.raise_if_any()
        raise AssertionError("unreachable")
    check_keys(data, _TOP, CONFIG_FILE, "site.yaml", problems, required=sorted(_TOP - {"review", "menu"}))
    languages = _languages(data.get("languages"), data, problems)
    codes = tuple(dict.fromkeys(lang.code for lang in languages))
    source = next((lang.code for lang in languages if lang.source), codes[0] if codes else "")
    clinic_node = _section(data, "clinic", problems)
    clinic, clinics = read_clinic(clinic_node, codes, source, problems)
    reviewer = read_reviewer(_section(data, "reviewer", problems), codes, problems)
    _check_brand_colour(clinic_node, problems)
    review = _section(data, "review", problems)
    check_keys(review, _REVIEW, CONFIG_FILE, '"review"', problems)
    check_types(data, {"base_url": str}, CONFIG_FILE, "site.yaml", problems)
    menu, menu_lines = _menu(data, problems)
    interval, warn = _review_days(review, problems)
    base_url = str(data.get("base_url", ""))
    if "base_url" in data and not re.fullmatch(r"https?://[^/\s]+(/\S*)?", base_url):
        problems.error(CONFIG_FILE, data.line_of("base_url"), f'base_url "{base_url}" is not an absolute URL',
                       'Write it like "https://www.clinic.example/".')
    problems.raise_if_any()
    if clinic.example:
        problems.warn(CONFIG_FILE, clinic_node.line_of("example"),
                      "the clinic's name, address, phone and e-mail are still the shipped examples",
                      "Replace them with the clinic's real details, then delete the line 'example: true'.")
    return Config(
        root=root,
        base_url=override or base_url.rstrip("/") + "/",
        clinic=clinic,
        reviewer=reviewer,
        review_interval_days=interval,
        review_warn_days=warn,
        languages=languages,
        warnings=problems.warnings_tuple(),
        clinics=clinics,
        menu=menu,
        menu_lines=MappingProxyType(menu_lines),
    )


BASE_URL_VARIABLE = "PATIENTSITE_BASE_URL"
_BASE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/([A-Za-z0-9._~%!$&'()*+,;=:@-]+/)*")


def _base_url_override(given: str | None, problems: Problems) -> str | None:
    """--base-url, else $PATIENTSITE_BASE_URL (for staging and preview deploys): an absolute http(s)
    address ending in /, or None (site.yaml's base_url)."""
    where = "--base-url" if given is not None else BASE_URL_VARIABLE
    value = given if given is not None else os.environ.get(BASE_URL_VARIABLE)
    if value is None or (given is None and value == ""):
        return None
    if not _BASE_URL.fullmatch(value):
        problems.error(where, None, f'the base URL "{shown(value)}" is not an absolute http(s) address ending in /',
                       "Write it like https://staging.clinic.example/ or https://clinic.example/patients/.")
        return None
    return value


MAX_INTERVAL_DAYS = 3650
MIN_CONTRAST = 4.5      # WCAG AA for normal text: white text on the brand colour


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on a #rrggbb colour."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def _check_brand_colour(clinic: Node, problems: Problems) -> None:
    """clinic.brand_colour: "#rrggbb", dark enough for white text on it (AA, 4.5:1)."""
    if "brand_colour" not in clinic:
        return
    colour = clinic["brand_colour"]
    line = clinic.line_of("brand_colour")
    if not (isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour)):
        problems.error(CONFIG_FILE, line, f'the brand colour "{shown(str(colour))}" is not a colour written #rrggbb',
                       'Write it in quotes as # and six hexadecimal digits, e.g. brand_colour: "#0b5394".')
    elif (ratio := contrast_with_white(colour)) < MIN_CONTRAST:
        problems.error(CONFIG_FILE, line, f'the brand colour "{colour}" is too light for white text on it '
                       f'(contrast {ratio:.2f}:1, at least {MIN_CONTRAST}:1 is needed)',
                       "Choose a darker shade of the colour, e.g. one with each of its three pairs of digits lower.")


def _review_days(review: Node, problems: Problems) -> tuple[int, int]:
    """review: interval_days (1..3650, default 365) and warn_days (0..interval, default 30)."""
    check_types(review, {"interval_days": int, "warn_days": int}, CONFIG_FILE, '"review"', problems)
    interval, warn = review.get("interval_days", 365), review.get("warn_days", 30)
    if not isinstance(interval, int) or isinstance(interval, bool):
        return 365, 30
    if not 1 <= interval <= MAX_INTERVAL_DAYS:
        problems.error(CONFIG_FILE, review.line_of("interval_days"),
                       f"interval_days {interval} must be between 1 and {MAX_INTERVAL_DAYS} (ten years)",
                       "Write the days between two medical reviews of a page, e.g. interval_days: 365.")
        return 365, 30
    if isinstance(warn, int) and not isinstance(warn, bool) and not 0 <= warn <= interval:
        problems.error(CONFIG_FILE, review.line_of("warn_days"),
                       f"warn_days {warn} must be between 0 and interval_days ({interval})",
                       "Write how many days before a review falls due the build should warn, e.g. warn_days: 30.")
    return interval, warn if isinstance(warn, int) and not isinstance(warn, bool) else 30


def _section(data: Node, name: str, problems: Problems) -> Node:
    node = data.get(name, _empty())
    if not isinstance(node, Node):
        problems.error(CONFIG_FILE, data.line_of(name), f'"{name}" must be a mapping of keys to values',
                       f"Indent the keys of {name} under it.")
        return _empty()
    return node


def _menu(data: Node, problems: Problems) -> tuple[tuple[str, ...], dict[str, int]]:
    """`menu:` the page keys of the menu, in order, once for every language."""
    raw = data.get("menu")
    if raw is None:
        return (), {}
    if not isinstance(raw, Seq):
        problems.error(CONFIG_FILE, data.line_of("menu"), '"menu" must be a list of page keys',
                       "Write menu: [what-is, uses, faq]: the key: of each page, in the order of the menu.")
        return (), {}
    keys: dict[str, int] = {}
    for index, key in enumerate(raw):
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            problems.error(CONFIG_FILE, raw.line_of(index), f'the menu entry "{shown(key)}" is not a page key',
                           "Write the key: of a page (a-z, 0-9, - and _), one per line.")
        elif key in keys:
            problems.error(CONFIG_FILE, raw.line_of(index), f'the page "{key}" is in the menu twice',
                           "Delete one of the two lines.")
        elif key == "home":
            problems.error(CONFIG_FILE, raw.line_of(index), "the home page is not a menu entry",
                           "Delete it: the clinic's name in the header already leads home.")
        else:
            keys[key] = raw.line_of(index)
    return tuple(keys), keys


def _empty() -> Node:
    node = Node()
    node.key_lines = {}
    node.line = None
    return node


def _languages(raw, data: Node, problems: Problems) -> tuple[Language, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Seq) or not raw:
        problems.error(CONFIG_FILE, data.line_of("languages"), '"languages" must be a list of languages',
                       "Give one '- code: ...' entry per language.")
        return ()
    result: list[Language] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        line = raw.line_of(index)
        if not isinstance(item, Node):
            problems.error(CONFIG_FILE, line, "each language must be a mapping (code, locale, name, prefix)", "")
            continue
        check_keys(item, _LANGUAGE, CONFIG_FILE, "a language", problems, required=("code", "locale", "name"))
        check_types(item, {"code": str, "locale": str, "name": str, "prefix": str, "source": bool},
                    CONFIG_FILE, "a language", problems)
        code = str(item.get("code", ""))
        if code and not _CODE.fullmatch(code):
            problems.error(CONFIG_FILE, item.line_of("code"),
                           f'language code "{shown(code)}" is not a two- or three-letter code',
                           'Use an ISO 639 code such as "it", "en" or "ru".')
        if code in seen:
            problems.error(CONFIG_FILE, item.line_of("code"), f'language "{code}" is declared twice', "Remove one.")
        seen.add(code)
        locale = str(item.get("locale", ""))
        try:
            Locale.parse(locale)
        except (UnknownLocaleError, ValueError):
            problems.error(CONFIG_FILE, item.line_of("locale"), f'unknown Babel locale "{locale}"',
                           'Use a locale such as "it_IT", "en_GB" or "ru_RU".')
        prefix = str(item.get("prefix", code))
        if not re.fullmatch(r"[a-z0-9-]+", prefix):
            problems.error(CONFIG_FILE, item.line_of("prefix"),
                           f'URL prefix "{shown(prefix)}" may only use a-z, 0-9 and "-"', "")
        result.append(Language(code, locale, str(item.get("name", code)), prefix, item.get("source") is True))
    sources = [lang for lang in result if lang.source]
    if result and len(sources) != 1:
        problems.error(CONFIG_FILE, raw.line,
                       f"exactly one language must be the source language (found {len(sources)})",
                       'Mark the language translations are made from with "source: true".')
    return tuple(result)
