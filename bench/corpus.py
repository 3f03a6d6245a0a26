"""The benchmark's synthetic site: N patient-information pages per language (it, en, ru), deterministic.

One language-neutral plan per page (headings, paragraphs, a list, a table, links, facts), spelled in
each language from aligned word lists, so every language has the same shape and length. `layouts.py`
writes the plan in each generator's format; here: the plan, the facts and their plain-text values.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

LANGUAGES = ("it", "en", "ru")
LANGUAGE_NAMES = {"it": "Italiano", "en": "English", "ru": "Русский"}
SLUG_WORD = {"it": "argomento", "en": "topic", "ru": "tema"}
NAV_PAGES = 8                   # pages 1..8 are in every language's main menu
EDITED_FACT = "followup.interval"
EDITED_FACT_EVERY = 100         # pages i % 100 == 7 use the fact the benchmark edits (~1% of pages)

# Aligned word lists: the i-th word means roughly the same in each language.
_WORDS = {
    "it": """pelle trattamento seduta medico zona iniezione prodotto ciclo dolore gonfiore effetto risultato
        paziente clinica visita controllo farmaco ago derma strato vaso circolazione tessuto grasso cellulite
        cicatrice ruga viso collo corpo gamba braccio schiena articolazione muscolo nervo sangue cura terapia
        dose volume misura settimana giorno mese anno sempre spesso raramente prima dopo durante subito lento
        veloce leggero forte piccolo grande sottile profondo superficiale sicuro utile necessario possibile
        breve lungo comune raro normale diverso simile chiaro semplice attento calmo caldo freddo acqua
        crema ghiaccio riposo movimento sport sole bagno doccia alcol fumo dieta peso età donna uomo
        domanda risposta consiglio informazione documento studio prova segno sintomo reazione allergia
        infezione livido arrossamento prurito bruciore fastidio sollievo miglioramento equilibrio salute
        benessere scelta decisione consenso rischio beneficio limite indicazione""",
    "en": """skin treatment session doctor area injection product course pain swelling effect result
        patient clinic visit check-up medicine needle dermis layer vessel circulation tissue fat cellulite
        scar wrinkle face neck body leg arm back joint muscle nerve blood care therapy
        dose volume measure week day month year always often rarely before after during immediately slow
        fast light strong small large thin deep superficial safe useful necessary possible
        short long common rare normal different similar clear simple careful calm warm cold water
        cream ice rest movement sport sun bath shower alcohol smoking diet weight age woman man
        question answer advice information document study trial sign symptom reaction allergy
        infection bruise redness itching burning discomfort relief improvement balance health
        wellbeing choice decision consent risk benefit limit indication""",
    "ru": """кожа лечение сеанс врач зона инъекция препарат курс боль отёк эффект результат
        пациент клиника приём осмотр лекарство игла дерма слой сосуд кровообращение ткань жир целлюлит
        рубец морщина лицо шея тело нога рука спина сустав мышца нерв кровь уход терапия
        доза объём мера неделя день месяц год всегда часто редко до после во-время сразу медленно
        быстро легко сильно маленький большой тонкий глубокий поверхностный безопасный полезный необходимый
        возможный короткий длинный обычный редкий нормальный другой похожий ясный простой внимательный
        спокойный тёплый холодный вода крем лёд отдых движение спорт солнце ванна душ алкоголь курение
        диета вес возраст женщина мужчина вопрос ответ совет информация документ исследование проба признак
        симптом реакция аллергия инфекция синяк покраснение зуд жжение дискомфорт облегчение улучшение
        равновесие здоровье благополучие выбор решение согласие риск польза предел показание""",
}
WORDS = {lang: text.split() for lang, text in _WORDS.items()}
VOCABULARY = min(len(w) for w in WORDS.values())

# The plain-text spelling of units for the peers (which have no facts); ours formats them with Babel.
UNITS = {
    "mm": {"it": "mm", "en": "mm", "ru": "мм"},
    "ml": {"it": "ml", "en": "ml", "ru": "мл"},
    "minute": {"it": "minuti", "en": "minutes", "ru": "минут"},
    "day": {"it": "giorni", "en": "days", "ru": "дней"},
    "week": {"it": "settimane", "en": "weeks", "ru": "недель"},
    "session": {"it": "sedute", "en": "sessions", "ru": "сеансов"},
    "ampoule": {"it": "fiale", "en": "ampoules", "ru": "ампул"},
}
# Counted nouns for our words.yaml: the CLDR plural forms each language needs.
COUNTED = {
    "session": {"it": {"one": "seduta", "other": "sedute"}, "en": {"one": "session", "other": "sessions"},
                "ru": {"one": "сеанс", "few": "сеанса", "many": "сеансов", "other": "сеанса"}},
    "ampoule": {"it": {"one": "fiala", "other": "fiale"}, "en": {"one": "ampoule", "other": "ampoules"},
                "ru": {"one": "ампула", "few": "ампулы", "many": "ампул", "other": "ампулы"}},
}


@dataclass(frozen=True)
class NumberFact:
    id: str
    low: float
    high: float | None
    unit: str
    source: str


@dataclass(frozen=True)
class ListFact:
    id: str
    items: tuple[str, ...]
    source: str


def number_facts() -> tuple[NumberFact, ...]:
    """20 number facts plus the one the benchmark edits."""
    rng = random.Random("facts")
    units = ("mm", "ml", "minute", "day", "week", "session", "ampoule")
    facts = []
    for index in range(20):
        low = rng.randint(1, 20)
        high = low + rng.randint(1, 10) if index % 3 else None
        facts.append(NumberFact(f"measure.m{index:02d}", low, high, units[index % len(units)], f"doc-00{index % 4}"))
    facts.append(NumberFact(EDITED_FACT, 7, 30, "day", "doc-001"))
    return tuple(facts)


def list_facts() -> tuple[ListFact, ...]:
    return (ListFact("contraindications", tuple(f"c{n}" for n in range(6)), "doc-000"),
            ListFact("side_effects", tuple(f"s{n}" for n in range(5)), "doc-003"))


def fact_label(fact_id: str, lang: str) -> str:
    """A number fact's (or list's) label: a few words picked from the fact id."""
    rng = random.Random(fact_id)
    words = [WORDS[lang][rng.randrange(VOCABULARY)] for _ in range(3)]
    return " ".join(words).capitalize()


def item_words(fact_id: str, item: str, lang: str) -> tuple[str, str]:
    """(label, explanation) of one list item."""
    rng = random.Random(f"{fact_id}/{item}")
    picks = [WORDS[lang][rng.randrange(VOCABULARY)] for _ in range(12)]
    return " ".join(picks[:2]).capitalize(), " ".join(picks[2:]).capitalize() + "."


def plain_value(fact: NumberFact, lang: str) -> str:
    """The text a peer writes where our pages call fact(): "3–4 mm", "10–12 sedute"."""
    def number(x: float) -> str:
        text = f"{x:g}"
        return text.replace(".", ",") if lang in ("it", "ru") else text
    numbers = number(fact.low) + ("" if fact.high is None else "\u2013" + number(fact.high))
    return f"{numbers}\u00a0{UNITS[fact.unit][lang]}"


# -- pages -------------------------------------------------------------------------------------
# A block is ("h2", words) | ("p", parts) | ("ul", [parts, ...]) | ("table", fact ids) | ("list", fact id);
# parts are word indexes (int), ("fact", id) or ("link", key).

@dataclass(frozen=True)
class PagePlan:
    index: int
    key: str
    nav: int | None
    title_words: tuple[int, ...]
    description_words: tuple[int, ...]
    blocks: tuple
    words: int              # words of prose (the same in every language)

    def slug(self, lang: str) -> str:
        return "" if self.index == 0 else f"{SLUG_WORD[lang]}-{self.index:04d}"

    def file_stem(self) -> str:
        return "index" if self.index == 0 else self.key

    def uses(self, fact_id: str) -> bool:
        return fact_id in facts_in(self.blocks)


def page_key(index: int) -> str:
    return "home" if index == 0 else f"topic-{index:04d}"


def facts_in(blocks) -> set[str]:
    found = set()
    for kind, value in blocks:
        if kind == "table":
            found.update(value)
        elif kind == "list":
            found.add(value)
        elif kind in ("p", "ul"):
            for parts in ([value] if kind == "p" else value):
                found.update(p[1] for p in parts if isinstance(p, tuple) and p[0] == "fact")
    return found


def plan_page(index: int, pages: int) -> PagePlan:
    """One page's plan: 400-850 words in 3-6 sections, a list, a fact table, links, facts."""
    rng = random.Random(f"page-{index}")
    numbers = [f.id for f in number_facts() if f.id != EDITED_FACT]
    target = rng.randint(400, 850)
    words = 0
    blocks: list = []

    def sentence(length: int) -> list:
        nonlocal words
        words += length
        return [rng.randrange(VOCABULARY) for _ in range(length)]

    def paragraph() -> list:
        parts: list = []
        for _ in range(rng.randint(3, 6)):
            parts += sentence(rng.randint(6, 14))
            roll = rng.random()
            if roll < 0.3:
                parts.append(("fact", rng.choice(numbers)))
            elif roll < 0.4 and pages > 1:
                parts.append(("link", page_key(rng.randrange(1, pages) if index == 0 else rng.randrange(pages))))
            parts.append(".")
        return parts

    blocks.append(("p", paragraph()))
    if index % EDITED_FACT_EVERY == 7:
        blocks.append(("p", sentence(8) + [("fact", EDITED_FACT), "."]))
    section = 0
    while words < target:
        section += 1
        blocks.append(("h2", sentence(rng.randint(2, 5))))
        blocks.append(("p", paragraph()))
        if section == 1:
            blocks.append(("ul", [sentence(rng.randint(4, 9)) for _ in range(rng.randint(3, 6))]))
        if section == 2:
            blocks.append(("table", rng.sample(numbers, rng.randint(3, 5))))
        if section == 3 and index % 10 == 3:
            blocks.append(("list", rng.choice([f.id for f in list_facts()])))
        if words < target and rng.random() < 0.5:
            blocks.append(("p", paragraph()))
    for _ in range(2):  # every page links to two others
        if pages > 1:
            target_index = (index * 7 + 1 + _ * 13) % pages
            blocks.append(("p", sentence(5) + [("link", page_key(target_index)), "."]))
    return PagePlan(index, page_key(index), index if 1 <= index <= NAV_PAGES else None,
                    plan_title_words(page_key(index)), tuple(rng.randrange(VOCABULARY) for _ in range(14)),
                    tuple(blocks), words)


def plan_site(pages: int) -> tuple[PagePlan, ...]:
    return tuple(plan_page(i, pages) for i in range(pages))


def spell(words, lang: str) -> str:
    return " ".join(WORDS[lang][w] for w in words)


def title(plan: PagePlan, lang: str) -> str:
    return f"{spell(plan.title_words, lang).capitalize()} {plan.index}"


def description(plan: PagePlan, lang: str) -> str:
    return spell(plan.description_words, lang).capitalize() + "."


def markdown_body(plan: PagePlan, lang: str, fact, link, table, fact_list) -> str:
    """The page body as Markdown; `fact(id)`, `link(key, text)`, `table(ids)`, `fact_list(id)` spell
    the parts each generator writes differently."""
    def text(parts) -> str:
        out: list[str] = []
        capital = True
        for part in parts:
            if part == ".":
                if out:
                    out[-1] += "."
                capital = True
                continue
            if isinstance(part, int):
                word = WORDS[lang][part]
                out.append(word.capitalize() if capital else word)
            elif part[0] == "fact":
                out.append(fact(part[1]))
            else:
                key = part[1]
                out.append(link(key, f"{spell(plan_title_words(key), lang).capitalize()} {key_index(key)}"))
            capital = False
        return " ".join(out)

    chunks = []
    for kind, value in plan.blocks:
        if kind == "h2":
            chunks.append("## " + spell(value, lang).capitalize())
        elif kind == "p":
            chunks.append(text(value))
        elif kind == "ul":
            chunks.append("\n".join("- " + text(item) for item in value))
        elif kind == "table":
            chunks.append(table(value))
        elif kind == "list":
            chunks.append(fact_list(value))
    return "\n\n".join(chunks) + "\n"


def key_index(key: str) -> int:
    return 0 if key == "home" else int(key.rsplit("-", 1)[1])


def plan_title_words(key: str) -> tuple[int, ...]:
    """A page's title words, drawn from their own seed so a link can name its target."""
    rng = random.Random(f"title-{key_index(key)}")
    return tuple(rng.randrange(VOCABULARY) for _ in range(3))
