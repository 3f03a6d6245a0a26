"""Readability per language, with the formula each language uses.

- Italian: Gulpease = 89 + (300 x sentences - 10 x letters) / words (Lucisano and Piemontese, 1988).
  It counts letters, not syllables. Target: at least 60.
- English: Flesch Reading Ease = 206.835 - 1.015 x words/sentences - 84.6 x syllables/words
  (target: at least 60) and Flesch-Kincaid grade = 0.39 x words/sentences + 11.8 x syllables/words
  - 15.59 (target: at most 8).
- Russian: Flesch adapted by Oborneva (2006): reading ease = 206.835 - 1.3 x words/sentences
  - 60.1 x syllables/words, grade = 0.5 x words/sentences + 8.4 x syllables/words - 15.59
  (target: grade at most 9).
- German: Flesch adapted by Amstad (1978): reading ease = 180 - words/sentences
  - 58.5 x syllables/words (target: at least 60).
- French: Flesch adapted by Kandel and Moles (1958): reading ease = 207 - 1.015 x words/sentences
  - 73.6 x syllables/words (target: at least 60).
- Any other language: no formula; `check` says "no readability formula for XX" instead of a score.

Syllables: in Russian every vowel is one syllable, so counting vowels is exact; in Italian every
vowel is a syllable except an unstressed i or u gliding into another vowel (piede, guida, ciao);
English uses vowel groups with the usual silent endings; German counts vowels, a diphthong (ei, ie,
au, eu, äu) or a doubled vowel being one; French counts vowel groups, leaving out the mute final e
(vite, piqûre, pages).
Numbers are words of one syllable.
Sentences end at . ! ? ... followed by a capital, a digit or the end, and at the end of every block
(paragraph, list item, heading, cell). Sentences of more than 25 words are listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LONG_SENTENCE = 25
_LETTERS = r"[^\W\d_]"
_WORD = re.compile(rf"{_LETTERS}+(?:[-'’]{_LETTERS}+)*|\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»”)]*\s+(?=[\"'«“(]*[A-ZÀ-ÖØ-ÞА-ЯЁ\d])")
_RU_VOWELS = set("аеёиоуыэюяaeiouy")
_IT_STRONG = set("aeoàèéìíòóùú")
_IT_VOWELS = _IT_STRONG | set("iu")


@dataclass(frozen=True)
class TextStats:
    sentences: int
    words: int
    letters: int
    syllables: int
    long_sentences: tuple[tuple[str, int], ...]    # (sentence, words) for sentences over LONG_SENTENCE


@dataclass(frozen=True)
class Score:
    name: str
    value: float
    target: str          # e.g. "≥ 60"
    ok: bool


def words(text: str, language: str) -> list[str]:
    if language in ("it", "fr"):  # elision: dell'ago, l'effetto, d'un, qu'il are two words
        text = re.sub(r"(?<=\w)['’](?=\w)", " ", text)
    return _WORD.findall(text)


def sentences(blocks: list[str]) -> list[str]:
    """Each block (paragraph, list item, heading) ends a sentence; inside it, . ! ? … before a capital."""
    found: list[str] = []
    for block in blocks:
        found.extend(s.strip() for s in _SENTENCE_END.split(block) if s.strip())
    return found


def syllables(word: str, language: str) -> int:
    word = word.lower()
    if word[:1].isdigit():
        return 1
    if language == "ru":
        return sum(1 for c in word if c in _RU_VOWELS)
    if language == "it":
        return _italian_syllables(word)
    if language == "de":
        return _german_syllables(word)
    if language == "fr":
        return _french_syllables(word)
    return _english_syllables(word)


def _german_syllables(word: str) -> int:
    # a diphthong or a doubled vowel is one syllable, any other vowel one each: neu-e, be-ob-ach-ten
    count = len(re.findall(r"äu|eu|ei|ey|ai|ay|au|ie|aa|ee|oo|[aeiouyäöü]", word))
    return max(count, 1) if re.search(r"[^\W\d_]", word) else 0


def _french_syllables(word: str) -> int:
    groups = re.findall(r"[aeiouyàâäéèêëîïôöûùüœæ]+", word)
    if len(groups) > 1 and re.search(r"[^aeiouyàâäéèêëîïôöûùüœæ]es?$", word):
        groups.pop()            # the mute final e after a consonant: vite, piqûre, pages
    return max(len(groups), 1) if re.search(r"[^\W\d_]", word) else 0


def _italian_syllables(word: str) -> int:
    # the u of qu/gu and the i of ci/gi/sci/gli before a vowel only shape the consonant
    word = re.sub(r"(?<=[qg])u(?=[aeiouàèéìòóù])", "", word)
    word = re.sub(r"(?<=[cg])i(?=[aeouàèéòóù])", "", word)
    count = 0
    for run in re.findall(r"[aeiouàèéìíòóùú]+", word):
        strong = sum(1 for c in run if c in _IT_STRONG)
        count += strong or 1   # i and u beside another vowel glide into it: one syllable per strong vowel
    return max(count, 1) if re.search(r"[^\W\d_]", word) else 0


def _english_syllables(word: str) -> int:
    word = re.sub(r"[^a-z]", "", word)
    if not word:
        return 0
    if len(word) <= 3:
        return 1
    if not re.search(r"[^aeiouy]le$", word):                 # table, simple keep their e
        word = re.sub(r"(?<=[^aeiouy])e$", "", word)         # silent e: make, medicine
    word = re.sub(r"(?<=[^aeiouysxzhcg])es$", "", word)      # makes (but boxes, uses, changes)
    word = re.sub(r"(?<=[^aeiouydt])ed$", "", word)          # asked (but wanted, needed)
    count = len(re.findall(r"[aeiouy]+", word))
    count += len(re.findall(r"(?<![ctsgx])i[aou]", word))    # media, medium, radio: two syllables
    return max(count, 1)


def measure(blocks: list[str], language: str) -> TextStats:
    found = sentences(blocks)
    total_words = total_letters = total_syllables = 0
    long = []
    for sentence in found:
        tokens = words(sentence, language)
        total_words += len(tokens)
        total_letters += sum(sum(1 for c in t if c.isalnum()) for t in tokens)
        total_syllables += sum(syllables(t, language) for t in tokens)
        if len(tokens) > LONG_SENTENCE:
            long.append((sentence, len(tokens)))
    return TextStats(sum(1 for s in found if words(s, language)), total_words, total_letters,
                     total_syllables, tuple(long))


def gulpease(s: TextStats) -> float:
    return 89 + (300 * s.sentences - 10 * s.letters) / s.words


def flesch_reading_ease(s: TextStats) -> float:
    return 206.835 - 1.015 * s.words / s.sentences - 84.6 * s.syllables / s.words


def flesch_kincaid_grade(s: TextStats) -> float:
    return 0.39 * s.words / s.sentences + 11.8 * s.syllables / s.words - 15.59


def oborneva_reading_ease(s: TextStats) -> float:
    return 206.835 - 1.3 * s.words / s.sentences - 60.1 * s.syllables / s.words


def oborneva_grade(s: TextStats) -> float:
    return 0.5 * s.words / s.sentences + 8.4 * s.syllables / s.words - 15.59


def amstad_reading_ease(s: TextStats) -> float:
    return 180 - s.words / s.sentences - 58.5 * s.syllables / s.words


def kandel_moles_reading_ease(s: TextStats) -> float:
    return 207 - 1.015 * s.words / s.sentences - 73.6 * s.syllables / s.words


# language -> (name, formula, "min" or "max" or None for shown only, target)
FORMULAS = {
    "it": (("Gulpease", gulpease, "min", 60),),
    "en": (("Flesch reading ease", flesch_reading_ease, "min", 60),
           ("Flesch-Kincaid grade", flesch_kincaid_grade, "max", 8)),
    "ru": (("Flesch-Oborneva grade", oborneva_grade, "max", 9),
           ("Flesch-Oborneva reading ease", oborneva_reading_ease, None, None)),
    "de": (("Flesch-Amstad reading ease", amstad_reading_ease, "min", 60),),
    "fr": (("Kandel-Moles reading ease", kandel_moles_reading_ease, "min", 60),),
}


def has_formula(language: str) -> bool:
    return language in FORMULAS


def no_score(stats: TextStats, language: str) -> str:
    """Why a text has no score ("" when it has one): no formula for the language, or no text."""
    if not has_formula(language):
        return f'no readability formula for "{language}" (formulas: {", ".join(sorted(FORMULAS))})'
    if not stats.words or not stats.sentences:
        return "no text to measure"
    return ""


def scores(stats: TextStats, language: str) -> list[Score]:
    """The language's scores for a text, each with its target; [] for an empty text or no formula."""
    if not stats.words or not stats.sentences:
        return []
    found = []
    for name, formula, kind, target in FORMULAS.get(language, ()):
        value = formula(stats)
        ok = kind is None or (value >= target if kind == "min" else value <= target)
        shown = "" if kind is None else f"{'≥' if kind == 'min' else '≤'} {target}"
        found.append(Score(name, value, shown, ok))
    return found
