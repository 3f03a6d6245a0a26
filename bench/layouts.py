"""Write the synthetic site (`corpus.py`) as a project of each generator: ours, Hugo, MkDocs with
mkdocs-static-i18n, Pelican. Each project is a real multilingual site with a language switcher."""

from __future__ import annotations

import shutil
from pathlib import Path

import corpus
from corpus import LANGUAGE_NAMES, LANGUAGES, PagePlan

REVIEWED = "2026-11-20"
TABLE_HEADERS = {"it": ("Cosa", "Valore"), "en": ("What", "Figure"), "ru": ("Что", "Значение")}
DOCUMENTS = {"doc-000": "it", "doc-001": "it", "doc-002": "ru", "doc-003": "ru"}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _plain_parts(lang: str):
    """fact/table/list spellings for the peers, which have no facts: the values as plain text."""
    numbers = {f.id: f for f in corpus.number_facts()}
    lists = {f.id: f for f in corpus.list_facts()}

    def fact(fact_id: str) -> str:
        return corpus.plain_value(numbers[fact_id], lang)

    def table(ids) -> str:
        what, figure = TABLE_HEADERS[lang]
        rows = [f"| {what} | {figure} |", "|---|---|"]
        rows += [f"| {corpus.fact_label(i, lang)} | {fact(i)} |" for i in ids]
        return "\n".join(rows)

    def fact_list(fact_id: str) -> str:
        lines = [f"**{corpus.fact_label(fact_id, lang)}**", ""]
        for item in lists[fact_id].items:
            label, text = corpus.item_words(fact_id, item, lang)
            lines.append(f"- **{label}** {text}")
        return "\n".join(lines)

    return fact, table, fact_list


# -- ours ----------------------------------------------------------------------------------------

def write_ours(root: Path, plans: tuple[PagePlan, ...], source: Path) -> None:
    """Our project; the templates and UI catalogues come from `source` (the generator's snapshot)."""
    shutil.copytree(source / "templates", root / "templates")
    _write(root / "site.yaml", _site_yaml(plans))
    _write(root / "content" / "facts.yaml", _facts_yaml())
    for lang in LANGUAGES:
        folder = root / "content" / lang
        _write(folder / "words.yaml", _words_yaml(lang))
        shutil.copy(source / "content" / lang / "messages.po", folder / "messages.po")
        for plan in plans:
            _write(folder / f"{plan.file_stem()}.md", our_page(plan, lang))


def our_page(plan: PagePlan, lang: str) -> str:
    body = corpus.markdown_body(
        plan, lang,
        fact=lambda f: f'{{{{ fact("{f}") }}}}',
        link=lambda key, text: f"[{text}]({{{{ link('{key}') }}}})",
        table=lambda ids: "{{ fact_table([" + ", ".join(f'"{i}"' for i in ids) + "]) }}",
        fact_list=lambda f: f'{{{{ fact_list("{f}") }}}}')
    front = [f"title: {corpus.title(plan, lang)}", f"description: {corpus.description(plan, lang)}",
             f"key: {plan.key}"]
    if plan.index:
        front.append(f"slug: {plan.slug(lang)}")
    front.append(f"reviewed: {REVIEWED}")
    return "---\n" + "\n".join(front) + "\n---\n" + body


def _site_yaml(plans: tuple[PagePlan, ...] = ()) -> str:
    lines = ["base_url: https://clinic.example/", "clinic:", "  name: Clinica Benchmark",
             "  address: Via Esempio 1, Roma", "  phone: +39 06 0000 0000", "  email: info@clinic.example",
             '  emergency_number: "112"', "reviewer:", "  id: anna-esempio", "  name: Anna Esempio",
             "  title: doctor_title", "  role: reviewer_role", "languages:"]
    locales = {"it": "it_IT", "en": "en_GB", "ru": "ru_RU"}
    for lang in LANGUAGES:
        lines += [f"  - code: {lang}", f"    locale: {locales[lang]}", f"    name: {LANGUAGE_NAMES[lang]}",
                  f"    prefix: {lang}"] + (["    source: true"] if lang == "it" else [])
    menu = [plan.key for plan in sorted((p for p in plans if p.nav), key=lambda p: (p.nav, p.key))]
    lines += ["menu:"] + [f"  - {key}" for key in menu] if menu else []
    return "\n".join(lines) + "\n"


def _facts_yaml(edited: tuple[float, float] | None = None) -> str:
    lines = ["documents:"]
    for doc, lang in DOCUMENTS.items():
        lines.append(f"  {doc}: {{file: {doc}.txt, language: {lang}, title: Documento {doc}}}")
    lines.append("facts:")
    for fact in corpus.number_facts():
        low, high = (edited if fact.id == corpus.EDITED_FACT and edited else (fact.low, fact.high))
        amount = f"range: [{low:g}, {high:g}]" if high is not None else f"value: {low:g}"
        lines.append(f"  {fact.id}: {{{amount}, unit: {fact.unit}, sources: [{fact.source}]}}")
    for fact in corpus.list_facts():
        fields = "[label, reason]" if fact.id == "contraindications" else "[label, advice]"
        lines += [f"  {fact.id}:", "    critical: true", f"    words: {fields}", f"    sources: [{fact.source}]",
                  "    items:"]
        for n, item in enumerate(fact.items):
            extra = ""
            if fact.id == "side_effects":
                extra = f"frequency: {'common' if n % 2 else 'rare'}, lasts: {{range: [1, {n + 2}], unit: week}}, "
            lines.append(f"      {item}: {{{extra}sources: [{fact.source}]}}")
    return "\n".join(lines) + "\n"


def edited_facts_yaml(run: int) -> str:
    """facts.yaml with the edited fact's range changed (a different value on every run)."""
    return _facts_yaml(edited=(7, 31 + run))


def _words_yaml(lang: str) -> str:
    lines = ["units:"]
    for unit, forms in corpus.COUNTED.items():
        lines.append(f"  {unit}: {{" + ", ".join(f"{k}: {v}" for k, v in forms[lang].items()) + "}")
    terms = {"it": ("frequente", "raro", "medico estetico", "Dott.ssa"),
             "en": ("common", "rare", "aesthetic physician", "Dr"),
             "ru": ("часто", "редко", "врач-косметолог", "д-р")}[lang]
    lines += ["terms:", f"  common: {terms[0]}", f"  rare: {terms[1]}", f"  reviewer_role: {terms[2]}",
              f"  doctor_title: {terms[3]}", "sources:"]
    lines += [f"  {doc}: Documento {doc} ({doc_lang})" for doc, doc_lang in DOCUMENTS.items()]
    lines.append("facts:")
    for fact in corpus.number_facts():
        lines.append(f"  {fact.id}: {corpus.fact_label(fact.id, lang)}")
    for fact in corpus.list_facts():
        field = "reason" if fact.id == "contraindications" else "advice"
        lines += [f"  {fact.id}:", f"    label: {corpus.fact_label(fact.id, lang)}", "    items:"]
        for item in fact.items:
            label, text = corpus.item_words(fact.id, item, lang)
            lines.append(f"      {item}: {{label: {label}, {field}: {text}}}")
    return "\n".join(lines) + "\n"


# -- Hugo ----------------------------------------------------------------------------------------

HUGO_BASEOF = """<!doctype html>
<html lang="{{ site.Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ .Description }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}</head>
<body>
<header><p><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></p>
<nav class="languages"><ul>{{ range .AllTranslations }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.Label }}</a></li>{{ end }}</ul></nav>
<nav class="site-nav"><ul>{{ range site.Menus.main }}<li><a href="{{ .URL }}">{{ .Name }}</a></li>{{ end }}</ul></nav>
</header>
<main><h1>{{ .Title }}</h1>
{{ block "main" . }}{{ end }}
</main>
<footer><p>{{ .Lastmod.Format "2006-01-02" }}</p></footer>
</body>
</html>
"""
HUGO_MAIN = '{{ define "main" }}{{ .Content }}{{ end }}\n'


def write_hugo(root: Path, plans: tuple[PagePlan, ...]) -> None:
    config = ['baseURL = "https://clinic.example/"', 'title = "Clinica Benchmark"',
              'defaultContentLanguage = "it"', "defaultContentLanguageInSubdir = true",
              'disableKinds = ["taxonomy", "term", "rss"]', f'cacheDir = "{root / "cache"}"']
    for weight, lang in enumerate(LANGUAGES, start=1):
        config += [f"[languages.{lang}]", f'contentDir = "content/{lang}"', f'label = "{LANGUAGE_NAMES[lang]}"',
                   f"weight = {weight}"]
    _write(root / "hugo.toml", "\n".join(config) + "\n")
    _write(root / "layouts" / "baseof.html", HUGO_BASEOF)
    for name in ("home.html", "page.html", "404.html"):
        _write(root / "layouts" / name, HUGO_MAIN)
    for lang in LANGUAGES:
        fact, table, fact_list = _plain_parts(lang)
        for plan in plans:
            body = corpus.markdown_body(plan, lang, fact, _hugo_link, table, fact_list)
            front = [f"title: {corpus.title(plan, lang)}", f"description: {corpus.description(plan, lang)}",
                     f"lastmod: {REVIEWED}"]
            if plan.index:
                front.append(f"slug: {plan.slug(lang)}")
            if plan.nav:
                front.append(f"menus: {{main: {{weight: {plan.nav}}}}}")
            name = "_index.md" if plan.index == 0 else f"{plan.key}.md"
            _write(root / "content" / lang / name, "---\n" + "\n".join(front) + "\n---\n" + body)


def _hugo_link(key: str, text: str) -> str:
    target = "/" if key == "home" else f"{key}.md"
    return f'[{text}]({{{{< relref "{target}" >}}}})'


# -- MkDocs + mkdocs-static-i18n -------------------------------------------------------------------

MKDOCS_MAIN = """{% extends "base.html" %}
{%- block content %}
{%- set names = {"it": "Italiano", "en": "English", "ru": "Русский"} %}
<nav class="languages"><ul>
{%- for lang, alternate in page.file.alternates.items() %}
<li><a href="{{ alternate.url | url }}" hreflang="{{ lang }}">{{ names[lang] }}</a></li>
{%- endfor %}
</ul></nav>
{{ super() }}
{%- endblock %}
"""


def write_mkdocs(root: Path, plans: tuple[PagePlan, ...], out: Path) -> None:
    languages = "\n".join(
        f"        - locale: {lang}\n          name: {LANGUAGE_NAMES[lang]}\n          build: true"
        + ("\n          default: true" if lang == "it" else "") for lang in LANGUAGES)
    nav = "\n".join(f"  - {p.file_stem()}.md" for p in plans if p.index == 0 or p.nav)
    _write(root / "mkdocs.yml", f"""site_name: Clinica Benchmark
site_url: https://clinic.example/
docs_dir: docs
site_dir: {out}
use_directory_urls: true
theme:
  name: mkdocs
  custom_dir: overrides
plugins:
  - i18n:
      docs_structure: suffix
      languages:
{languages}
nav:
{nav}
""")
    _write(root / "overrides" / "main.html", MKDOCS_MAIN)
    for lang in LANGUAGES:
        fact, table, fact_list = _plain_parts(lang)
        for plan in plans:
            body = corpus.markdown_body(plan, lang, fact, lambda key, text: f"[{text}]({_stem(key)}.md)",
                                        table, fact_list)
            front = f"---\ntitle: {corpus.title(plan, lang)}\ndescription: {corpus.description(plan, lang)}\n---\n"
            _write(root / "docs" / f"{plan.file_stem()}.{lang}.md", f"{front}# {corpus.title(plan, lang)}\n\n{body}")


def _stem(key: str) -> str:
    return "index" if key == "home" else key


# -- Pelican -------------------------------------------------------------------------------------

def write_pelican(root: Path, plans: tuple[PagePlan, ...]) -> None:
    _write(root / "pelicanconf.py", f"""AUTHOR = "Clinica Benchmark"
SITENAME = "Clinica Benchmark"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Rome"
DEFAULT_LANG = "it"
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
PAGE_TRANSLATION_ID = "key"
PAGE_URL = PAGE_LANG_URL = "{{lang}}/{{slug}}/"
PAGE_SAVE_AS = PAGE_LANG_SAVE_AS = "{{lang}}/{{slug}}/index.html"
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = {str(root / "cache")!r}
""")
    for lang in LANGUAGES:
        fact, table, fact_list = _plain_parts(lang)
        for plan in plans:
            body = corpus.markdown_body(plan, lang, fact,
                                        lambda key, text, lang=lang: f"[{text}]({{filename}}{_stem(key)}.{lang}.md)",
                                        table, fact_list)
            meta = [f"Title: {corpus.title(plan, lang)}", f"Summary: {corpus.description(plan, lang)}",
                    f"Lang: {lang}", f"Key: {plan.key}"]
            if plan.index == 0:
                meta += [f"Slug: home-{lang}", f"Url: {lang}/", f"Save_as: {lang}/index.html"]
            else:
                meta.append(f"Slug: {plan.slug(lang)}")
            if plan.index and not plan.nav:
                meta.append("Status: hidden")
            _write(root / "content" / "pages" / f"{plan.file_stem()}.{lang}.md", "\n".join(meta) + "\n\n" + body)


# -- where each generator keeps the page the benchmark edits ---------------------------------------

def edited_page(generator: str, root: Path, plan: PagePlan, lang: str = "it") -> Path:
    stem = plan.file_stem()
    return {"ours": root / "content" / lang / f"{stem}.md",
            "hugo": root / "content" / lang / ("_index.md" if plan.index == 0 else f"{stem}.md"),
            "mkdocs": root / "docs" / f"{stem}.{lang}.md",
            "pelican": root / "content" / "pages" / f"{stem}.{lang}.md"}[generator]
