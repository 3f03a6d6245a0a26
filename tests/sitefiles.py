"""A small but complete three-language site as an inline file tree, for stage and error tests."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SITE_YAML = """\
base_url: https://clinic.example/
clinic:
  name: Test Clinic
  address: 1 Test Street
  phone: +39 000 000
  email: info@clinic.example
  emergency_number: "112"
reviewer:
  id: test-reviewer
  name: Tess Test
  title: doctor_title
  role: reviewer_role
languages:
  - code: it
    locale: it_IT
    name: Italiano
    prefix: it
    source: true
  - code: en
    locale: en_GB
    name: English
    prefix: en
  - code: ru
    locale: ru_RU
    name: Русский
    prefix: ru
menu: [treatment, contraindications]
"""

FACTS_YAML = """\
documents:
  doc-a: {file: a.txt, language: it, title: Documento A}
  doc-b: {file: b.txt, language: ru, title: Документ Б}
facts:
  course.sessions:
    unit: session
    variants:
      - range: [10, 14]
        sources: [doc-a]
        says: da 10 a 14 sedute
      - range: [8, 12]
        sources: [doc-b]
        says: от 8 до 12 сеансов
    decision:
      range: [10, 12]
      status: confirmed
      reviewer: test-reviewer
      date: 2026-11-20
      rationale: The documents overlap on 10-12 sessions.
  procedure.pain:
    statement: true
    variants:
      - says: senza dolore
        sources: [doc-a]
      - says: может быть больно
        sources: [doc-b]
    decision:
      status: confirmed
      reviewer: test-reviewer
      date: 2026-11-20
      rationale: Pain is a common side effect.
  course.sessions.short:
    range: [2, 4]
    unit: session
    sources: [doc-b]
  point.volume:
    range: [0.05, 0.1]
    unit: ml
    sources: [doc-b]
  interval:
    range: [7, 30]
    unit: day
    sources: [doc-b]
  one.session:
    value: 1
    unit: session
    sources: [doc-a]
  five.sessions:
    value: 5
    unit: session
    sources: [doc-a]
  contraindications:
    critical: true
    words: [label, reason]
    sources: [doc-a]
    items:
      allergy: {sources: [doc-a]}
      gallstones:
        frequency: rare
        sources: [doc-a]
corrections:
  cubes:
    document: doc-a
    says: 10-20 cubes
    carried_as: millilitres
    facts: [point.volume]
"""

WORDS = {
    "it": """\
units:
  session: {one: seduta, other: sedute}
terms:
  rare: raro
  reviewer_role: medico estetico
  doctor_title: Dott.ssa
sources:
  doc-a: Documento A (in italiano)
  doc-b: Documento B (in russo)
facts:
  procedure.pain: {label: dolore, text: Può fare un po' male.}
  course.sessions: sedute per ciclo
  course.sessions.short: sedute per ciclo (documento B)
  point.volume: volume per punto
  interval: intervallo tra le sedute
  one.session: una seduta
  five.sessions: cinque sedute
  contraindications:
    label: Controindicazioni
    items:
      allergy: {label: Allergia, reason: Le sostanze sono attive.}
      gallstones: {label: Calcoli biliari, reason: "Alcune miscele: {{ fact('interval') }}."}
""",
    "en": """\
units:
  session: {one: session, other: sessions}
terms:
  rare: rare
  reviewer_role: aesthetic physician
  doctor_title: Dr
sources:
  doc-a: Document A (in Italian)
  doc-b: Document B (in Russian)
facts:
  procedure.pain: {label: pain, text: It can hurt a little.}
  course.sessions: sessions per course
  course.sessions.short: sessions per course (document B)
  point.volume: volume per point
  interval: interval between sessions
  one.session: one session
  five.sessions: five sessions
  contraindications:
    label: Contraindications
    items:
      allergy: {label: Allergy, reason: The substances are active.}
      gallstones: {label: Gallstones, reason: "Some mixtures: {{ fact('interval') }}."}
""",
    "ru": """\
units:
  session: {one: сеанс, few: сеанса, many: сеансов, other: сеанса}
terms:
  rare: редко
  reviewer_role: врач-косметолог
  doctor_title: д-р
sources:
  doc-a: Документ А (на итальянском)
  doc-b: Документ Б (на русском)
facts:
  procedure.pain: {label: боль, text: Может быть немного больно.}
  course.sessions: сеансов на курс
  course.sessions.short: сеансов на курс (документ Б)
  point.volume: объём на точку
  interval: интервал между сеансами
  one.session: один сеанс
  five.sessions: пять сеансов
  contraindications:
    label: Противопоказания
    items:
      allergy: {label: Аллергия, reason: Вещества активны.}
      gallstones: {label: Желчные камни, reason: "Некоторые смеси: {{ fact('interval') }}."}
""",
}

PAGES = {
    "it": {"index.md": ("Mesoterapia", "Informazioni", None, None),
           "treatment.md": ("Il trattamento", "Come si svolge", "il-trattamento", 1),
           "contraindications.md": ("Controindicazioni", "Chi non deve", "controindicazioni", 2)},
    "en": {"index.md": ("Mesotherapy", "Information", None, None),
           "treatment.md": ("The treatment", "How it works", "the-treatment", 1),
           "contraindications.md": ("Contraindications", "Who should not", "contraindications", 2)},
    "ru": {"index.md": ("Мезотерапия", "Информация", None, None),
           "treatment.md": ("Процедура", "Как проходит", "procedura", 1),
           "contraindications.md": ("Противопоказания", "Кому нельзя", "protivopokazaniya", 2)},
}

BODIES = {
    "index.md": "Welcome. [{{ link('treatment') }}]({{ link('treatment') }})\n",
    "treatment.md": ("A course: {{ fact(\"course.sessions\") }}; another: {{ fact('course.sessions.short') }}.\n\n"
                     "Per point {{ fact('point.volume') }}, every {{ fact('interval') }}. {{ fact('procedure.pain') }}\n\n"
                     "{{ fact('one.session') }} / {{ fact('five.sessions') }}\n\n## Details\n\n"
                     "{{ fact_table(['course.sessions', 'point.volume']) }}\n"),
    "contraindications.md": "## List\n\n{{ fact_list('contraindications') }}\n",
}


# the Russian pages end in Russian, so that they are not mostly Latin script (checks/copies.py)
RUSSIAN_ENDING = "\nВсе подробности о процедуре и о курсе вам расскажет врач клиники на первой консультации.\n"


def page_text(lang: str, name: str) -> str:
    title, description, slug, nav = PAGES[lang][name]
    key = "home" if name == "index.md" else name[:-3]
    lines = ["---", f"title: {title}", f"description: {description}", f"key: {key}"]
    if slug:
        lines.append(f"slug: {slug}")
    if nav:     # in the menu (site.yaml's menu: gives the order)
        lines.append(f"nav_title: {title}")
    lines += ["reviewed: 2026-11-20", "---", BODIES[name] + (RUSSIAN_ENDING if lang == "ru" else "")]
    return "\n".join(lines)


def base_files() -> dict[str, str]:
    files = {"site.yaml": SITE_YAML, "content/facts.yaml": FACTS_YAML}
    for lang, words in WORDS.items():
        files[f"content/{lang}/words.yaml"] = words
        for name in PAGES[lang]:
            files[f"content/{lang}/{name}"] = page_text(lang, name)
    return files


def make_site(root: Path, changes: dict[str, str | None] | None = None) -> Path:
    """Write the small site to `root` with the real templates and catalogues, then apply changes
    (a path mapped to None is deleted)."""
    files = base_files()
    files.update(changes or {})
    shutil.copytree(REPO / "templates", root / "templates")
    for lang in WORDS:
        (root / "content" / lang).mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "content" / lang / "messages.po", root / "content" / lang / "messages.po")
    for rel, text in files.items():
        path = root / rel
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
