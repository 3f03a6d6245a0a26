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
    assert r.scores(r.measure(["Een korte zin."], "nl"), "nl") == []


def test_flesch_amstad_german():
    # Der(1) Arzt(1) gibt(1) ei-ne(2) Sprit-ze(2) | Die(1) Haut(1) heilt(1) schnell(1): ei and ie are one vowel
    # 9 words, 11 syllables, 2 sentences: 180 - 4.5 - 58.5 * 11 / 9
    stats = r.measure(["Der Arzt gibt eine Spritze. Die Haut heilt schnell."], "de")
    assert (stats.sentences, stats.words, stats.syllables) == (2, 9, 11)
    assert r.amstad_reading_ease(stats) == pytest.approx(180 - 4.5 - 58.5 * 11 / 9)
    [score] = r.scores(stats, "de")
    assert (score.name, score.target, score.ok) == ("Flesch-Amstad reading ease", "≥ 60", True)
    assert score.value == pytest.approx(104.0)


def test_kandel_moles_french():
    # Le(1) mé-de-cin(3) fait(1) une(1) pi-qûre(2) | La(1) peau(1) gué-rit(2) vite(1): the final e is mute
    # 9 words, 13 syllables, 2 sentences: 207 - 1.015 * 4.5 - 73.6 * 13 / 9
    stats = r.measure(["Le médecin fait une piqûre. La peau guérit vite."], "fr")
    assert (stats.sentences, stats.words, stats.syllables) == (2, 9, 13)
    [score] = r.scores(stats, "fr")
    assert (score.name, score.target, score.ok) == ("Kandel-Moles reading ease", "≥ 60", True)
    assert score.value == pytest.approx(207 - 1.015 * 4.5 - 73.6 * 13 / 9)


@pytest.mark.parametrize("word, count", [("vite", 1), ("pages", 1), ("utiles", 2), ("le", 1), ("peau", 1),
                                         ("aiguille", 2), ("été", 2), ("entre", 1)])
def test_french_syllables(word, count):
    assert r.syllables(word, "fr") == count


@pytest.mark.parametrize("word, count", [("Behandlung", 3), ("heilt", 1), ("Arzt", 1), ("Ärztin", 2),
                                         ("Haut", 1), ("neue", 2), ("Spritze", 2), ("beobachten", 4), ("Tee", 1)])
def test_german_syllables(word, count):
    assert r.syllables(word, "de") == count


def test_french_elision_makes_two_words():
    assert r.words("L'aiguille et d'un", "fr") == ["L", "aiguille", "et", "d", "un"]


@pytest.mark.parametrize("code", ["es", "pt", "nl", "pl"])
def test_a_language_without_a_formula_says_so(code):
    stats = r.measure(["Una frase corta. Otra frase."], code)
    assert r.scores(stats, code) == []
    assert r.no_score(stats, code) == f'no readability formula for "{code}" (formulas: de, en, fr, it, ru)'


@pytest.mark.parametrize("code", ["it", "en", "ru", "de", "fr"])
def test_every_formula_language_scores_and_an_empty_text_says_so(code):
    assert r.scores(r.measure(["Ok. Ok."], code), code)
    assert r.no_score(r.measure(["Ok. Ok."], code), code) == ""
    assert r.no_score(r.measure([""], code), code) == "no text to measure"
