"""The readability formulas on short texts whose counts and scores are worked out by hand."""

from __future__ import annotations

import pytest

from patientsite.checks import readability as r


def test_gulpease_italian():
    # Il(2) medico(6) inietta(7) il(2) prodotto(8) | La(2) pelle(5) guarisce(8) presto(6)
    # words 9, letters 46, sentences 2: 89 + (300*2 - 10*46) / 9 = 89 + 140/9
    stats = r.measure(["Il medico inietta il prodotto. La pelle guarisce presto."], "it")
    assert (stats.sentences, stats.words, stats.letters) == (2, 9, 46)
    assert r.gulpease(stats) == pytest.approx(89 + 140 / 9)
    [score] = r.scores(stats, "it")
    assert (score.name, score.target, score.ok) == ("Gulpease", "≥ 60", True)


def test_italian_elision_makes_two_words():
    # L(1) ago(3) entra(5) nella(5) pelle(5): 5 words, 19 letters, 1 sentence: 89 + (300 - 190) / 5 = 111
    stats = r.measure(["L'ago entra nella pelle."], "it")
    assert (stats.words, stats.letters) == (5, 19)
    assert r.gulpease(stats) == pytest.approx(111)


def test_flesch_english():
    # 9 words, 2 sentences, syllables: the cat sat on the mat it was (1 each) + hap-py (2) = 10
    stats = r.measure(["The cat sat on the mat. It was happy."], "en")
    assert (stats.sentences, stats.words, stats.syllables) == (2, 9, 10)
    assert r.flesch_reading_ease(stats) == pytest.approx(206.835 - 1.015 * 4.5 - 84.6 * 10 / 9)
    assert r.flesch_kincaid_grade(stats) == pytest.approx(0.39 * 4.5 + 11.8 * 10 / 9 - 15.59)
    assert [s.name for s in r.scores(stats, "en")] == ["Flesch reading ease", "Flesch-Kincaid grade"]


def test_flesch_oborneva_russian():
    # Врач(1) делает(3) укол(2) | Кожа(2) заживает(4) быстро(2): 6 words, 14 syllables, 2 sentences
    stats = r.measure(["Врач делает укол. Кожа заживает быстро."], "ru")
    assert (stats.sentences, stats.words, stats.syllables) == (2, 6, 14)
    assert r.oborneva_reading_ease(stats) == pytest.approx(206.835 - 1.3 * 3 - 60.1 * 14 / 6)
    assert r.oborneva_grade(stats) == pytest.approx(0.5 * 3 + 8.4 * 14 / 6 - 15.59)   # 5.51
    grade = r.scores(stats, "ru")[0]
    assert (grade.name, round(grade.value, 2), grade.target, grade.ok) == ("Flesch-Oborneva grade", 5.51, "≤ 9", True)


@pytest.mark.parametrize("word, expected", [
    ("безболезненно", 5), ("объявление", 5), ("ёлка", 2), ("в", 0), ("противопоказания", 8)])
def test_russian_syllables_are_vowels(word, expected):
    assert r.syllables(word, "ru") == expected


@pytest.mark.parametrize("word, expected", [
    ("piede", 2), ("ciao", 2), ("guida", 2), ("questo", 2), ("iniezione", 4), ("aiuola", 3), ("figlio", 2),
    ("più", 1), ("gli", 1), ("mesoterapia", 5)])
def test_italian_syllables_join_gliding_i_and_u(word, expected):
    # mesoterapia is me-so-te-ra-pì-a (6): a stressed i cannot be told from the spelling; Gulpease
    # counts letters, so Italian scores never depend on this.
    assert r.syllables(word, "it") == expected


@pytest.mark.parametrize("word, expected", [
    ("the", 1), ("table", 2), ("make", 1), ("makes", 1), ("boxes", 2), ("asked", 1), ("wanted", 2),
    ("happy", 2), ("medicine", 3), ("injection", 3), ("media", 3), ("readability", 5), ("mesotherapy", 5)])
def test_english_syllables(word, expected):
    assert r.syllables(word, "en") == expected


def test_sentences_end_at_blocks_and_at_stops_before_a_capital():
    assert r.sentences(["Prima frase. Seconda frase! terza parte", "Titolo", "Vedi es. pagina 2. Fine"]) == [
        "Prima frase.", "Seconda frase! terza parte", "Titolo", "Vedi es. pagina 2.", "Fine"]


def test_long_sentences_are_listed_with_their_length():
    long = " ".join(["parola"] * 26) + "."
    stats = r.measure([long, "Breve frase."], "it")
    assert stats.long_sentences == ((long, 26),)
    assert r.measure([" ".join(["parola"] * 25) + "."], "it").long_sentences == ()


def test_no_score_for_an_empty_text_or_a_language_without_a_formula():
    assert r.scores(r.measure([], "it"), "it") == []
    assert r.scores(r.measure(["Ein kurzer Satz."], "de"), "de") == []
