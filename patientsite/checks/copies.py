"""Copied text: a page or a fact's words that are mostly in another language (an English page copied
into content/de/, Italian words in the Russian list) are an error naming the file and line.

A cheap, deterministic test per text: the script (Cyrillic against Latin letters) for every language,
then, for Latin-script text, profiles of short function words ("the", "und", "della") that only one
language of the profiles uses. A text is foreign when it has enough letters or profile words to judge
(`MIN_LETTERS`, `MIN_HITS`) and another language's words outnumber its own `RATIO` times over. Real
translations have many of their own function words and almost none of another's; a copy the reverse.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType

from patientsite.errors import Problems

CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "bg", "be", "mk", "sr"})
MIN_LETTERS = 20      # fewer letters than this: too short to judge by script
MIN_HITS = 3          # fewer profile words than this: too short to judge by words
RATIO = 2             # another language's profile words must outnumber the text's own this many times

_WORDS = {
    "it": "il lo gli della delle degli dello che non per con una sono nel nella alla alle dal dalla anche più "
          "questo questa essere ogni perché già può viene quando sul sulla ai agli è di da si suo sua ci come tra "
          "molto dopo prima sempre senza quindi oppure cosa",
    "en": "the and of to is are with for that this it be not you your or can from after before which will "
          "have has what when there they an at by as on we does may should how without between during",
    "de": "der die das und ist nicht mit sie ein eine einer den dem des zu auf für von auch oder wird werden "
          "bei nach wie sich ihre ihr sind kann wenn dass nur noch aus über im",
    "fr": "les des est et du pour pas dans au aux avec vous votre cette sont peut plus ou mais être elle leur "
          "sur ces été",
    "es": "el los las es y por para sus más está pero muy puede también cuando después hay usted con si se su "
          "sin desde hasta tiene pueden entre sobre",
    "pt": "os dos das em um não ao pode seu também quando após você pela pelo",
    "nl": "het een en van niet met zijn op voor dat te er ook bij aan worden kan naar uw",
}
# words more than one profile holds say nothing about which language it is
_SHARED = {w for code, words in _WORDS.items() for w in words.split()
           if sum(w in other.split() for other in _WORDS.values()) > 1}
PROFILES = {code: frozenset(words.split()) - _SHARED for code, words in _WORDS.items()}
_PROFILE_OF = {word: code for code, words in PROFILES.items() for word in words}
NAMES = {"it": "Italian", "en": "English", "de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese",
         "nl": "Dutch", "cyrillic": "Cyrillic script", "latin": "Latin script"}

_CALL = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]*>|https?://\S+")
_CYRILLIC = re.compile("[\u0400-\u04ff]+")          # runs of letters: counted by their lengths
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]+")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def plain(text: str) -> str:
    """The words a reader sees: page calls, link targets and tags removed."""
    return _LINK_TARGET.sub(" ", _CALL.sub(" ", text))


VERDICTS_KEPT = 16384
_verdicts: dict[tuple[bytes, str], str | None] = {}    # by the text's digest: the preview judges the same
#                                                        texts after every save (the texts are not kept: 24 MB)


def foreign_language(text: str, language: str) -> str | None:
    """The language (or script) `text` is mostly written in when that is not `language`; else None."""
    key = (hashlib.sha256(text.encode("utf-8")).digest(), language)
    if key in _verdicts:
        return _verdicts[key]
    if len(_verdicts) >= VERDICTS_KEPT:
        _verdicts.clear()
    verdict = _verdicts[key] = _judged(text, language)
    return verdict


def _judged(text: str, language: str) -> str | None:
    text = plain(text)
    cyrillic = sum(map(len, _CYRILLIC.findall(text)))
    latin = sum(map(len, _LATIN.findall(text)))
    own_cyrillic = language in CYRILLIC_LANGUAGES
    if cyrillic + latin >= MIN_LETTERS:
        other = latin if own_cyrillic else cyrillic
        if other * 2 > cyrillic + latin:
            return "latin" if own_cyrillic else "cyrillic"
    if own_cyrillic:
        return None
    words = [w.lower().replace("’", "'") for w in _TOKEN.findall(text)]
    counted = Counter(map(_PROFILE_OF.get, words))       # each profile word belongs to one language
    hits = {code: counted[code] for code in PROFILES}
    own = hits.get(language, 0)
    best = max((code for code in hits if code != language), key=lambda code: (hits[code], code))
    if hits[best] >= MIN_HITS and hits[best] >= RATIO * own + 1:
        return best
    return None


def page_verdict(source) -> str | None:
    """The language a page (its title, description and body) is mostly written in, when not its own."""
    return foreign_language("\n\n".join((source.title, source.description, source.body)), source.language)


def _paragraphs(body: str, first_line: int):
    """(file line, text) of each paragraph of a page body."""
    start, lines = None, []
    for number, line in enumerate(body.split("\n"), first_line):
        if line.strip():
            start = number if start is None else start
            lines.append(line)
        elif start is not None:
            yield start, "\n".join(lines)
            start, lines = None, []
    if start is not None:
        yield start, "\n".join(lines)


def find_copies(site, status, problems: Problems, previous: Mapping | None = None) -> Mapping:
    """An error for each page and each fact's words of a language that are mostly in another one;
    translations still identical to the source (untranslated, not published) are left to the policy.
    Returns the pages judged, (language, key) -> (page, its unit's state): all clean unless it raised.
    `previous` (what the last good build returned): a page judged then from the same page object and
    an equal unit state is clean, and not judged again."""
    from patientsite.checks.translations import same_as_source  # the policy module imports this one

    judged = {}
    states = {state.language.code: state for state in status.languages if state.language != status.source}
    for page in site.pages:
        state = states[page.language].find("page", page.key) if page.language in states else None
        judged[(page.language, page.key)] = (page, state)
        before = previous.get((page.language, page.key)) if previous is not None else None
        if before is not None and before[0] is page and before[1] == state:
            continue     # clean then (the build that judged it succeeded), from the same text
        if (state is not None and same_as_source(state)) or page.source.untranslated:
            continue     # not published (the policy says so); a half-translated skeleton is no copy
        found = page.source.foreign[0] if page.source.foreign else page_verdict(page.source)
        if found is None:
            continue
        line = next((n for n, text in _paragraphs(page.body, page.body_line)
                     if foreign_language(text, page.language) == found), page.body_line)
        _copied(problems, page.src_path, line, "this page", found, site.config.language(page.language))
    for language in site.config.languages:
        words = site.facts.words[language.code]
        state = None if language.source else status.language(language.code)
        for fact_id in sorted(site.facts.facts):
            unit = state.find("words", fact_id) if state is not None else None
            if unit is not None and same_as_source(unit):
                continue
            texts = [words.labels.get(fact_id, ""), words.texts.get(fact_id, "")]
            texts += [t for item in site.facts.facts[fact_id].items
                      for t in words.items.get((fact_id, item.id), {}).values()]
            found = foreign_language("\n".join(texts), language.code)
            if found is not None:
                _copied(problems, words.path, words.lines.get(fact_id, 1), f'the words of "{fact_id}"', found,
                        language)
    return MappingProxyType(judged)


def _copied(problems: Problems, path: str, line: int, what: str, found: str, language) -> None:
    problems.error(path, line, f"{what} {'is' if what == 'this page' else 'are'} mostly in {NAMES[found]}, "
                   f"not {language.name}: a copy of another language?",
                   f"Translate {'it' if what == 'this page' else 'them'} into {language.name} "
                   f"(content/{language.code}/ holds only {language.name} text).")
