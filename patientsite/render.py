"""The Jinja environments (StrictUndefined, autoescape, gettext) and `render_site`:
a frozen `Site` -> every output file as bytes, nothing written yet."""

from __future__ import annotations

import datetime
import functools
import hashlib
import multiprocessing
import os
import re
import signal
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import jinja2
import markupsafe
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from markdown import Markdown
from markupsafe import Markup, escape

from . import markdown as md_
from . import review, structured
from .cache import RenderCache, folder_digest, page_digest, site_digests
from .config import Language
from .errors import Problem, Problems
from .i18n import format_amount, format_long_date
from .model import Page, Site
from .shortcodes import expand, read_calls


@dataclass(frozen=True)
class Output:
    files: tuple[tuple[str, bytes], ...]     # (output path, content), sorted by path
    warnings: tuple[Problem, ...]
    rendered: int = 0                        # pages rendered (not taken from the cache)
    render_seconds: tuple[tuple[str, float], ...] = ()   # language -> time spent rendering its pages


PARALLEL_MIN = 48   # below this many pages to render, one process is faster than forking


def template_environment(templates_dir: Path, language: Language, translations) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates_dir)), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html", "xml"], default_for_string=True),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, auto_reload=False)
    install_escaped_gettext(env, translations)
    env.filters["long_date"] = lambda date: format_long_date(date, language)
    return env


def install_escaped_gettext(env: Environment, translations) -> None:
    """gettext for templates that treats every translation as untrusted text. Jinja's newstyle gettext
    marks a translation safe (Markup) when autoescaping is on; escaping it first makes the Markup hold
    plain text, so a translator's `<script>` or `"` is shown, never run (the placeholders' values are
    escaped by Markup's `%` as before)."""
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=lambda message: escape(translations.gettext(message)),
        ngettext=lambda singular, plural, n: escape(translations.ngettext(singular, plural, n)),
        pgettext=lambda context, message: escape(translations.pgettext(context, message)),
        npgettext=lambda context, singular, plural, n: escape(translations.npgettext(context, singular, plural, n)),
        newstyle=True)


# Placeholders for fact values and blocks, put in before Markdown and filled after it. They are made of
# private-use characters, which textfile.read_source refuses in every content file: no page or word
# can forge one (the text "FACTV0X" in a page is shown as it is).
OPEN, CLOSE = "\ue000", "\ue001"
_PLACEHOLDER_P = re.compile(f"<p>{OPEN}(B)(\\d+){CLOSE}</p>")
_PLACEHOLDER = re.compile(f"{OPEN}([BTV])(\\d+){CLOSE}")   # T: a statement's words, inline


def relative_url(from_url: str, to_url: str) -> str:
    """A link from one page's folder to another page (or file) that also works from a local folder:
    what posixpath.relpath gives for these normalised site paths, without its cost."""
    target = (to_url + "index.html" if to_url == "" or to_url.endswith("/") else to_url).split("/")
    start = [part for part in from_url.split("/")[:-1] if part]
    common = 0
    while common < min(len(start), len(target) - 1) and start[common] == target[common]:
        common += 1
    return "../" * (len(start) - common) + "/".join(target[common:])


class _PageRenderer:
    """Renders one language's pages; fact functions are bound to the page being rendered."""

    def __init__(self, site: Site, language: Language, templates_dir: Path, problems: Problems,
                 notices: Mapping[tuple[str, str], datetime.date], markdown_cache: int = 0,
                 reuse: _PageRenderer | None = None):
        self.site, self.language, self.problems, self.notices = site, language, problems, notices
        self.words = site.facts.words[language.code]
        # `reuse`: a renderer of the same language, templates and catalogue (the preview's last one),
        # whose environment, compiled templates, Markdown and text-keyed HTML stay valid
        self.env: Environment = reuse.env if reuse else template_environment(
            templates_dir, language, site.catalogs.translations[language.code])
        self.md: Markdown = reuse.md if reuse else md_.make_markdown()
        self.templates_dir = templates_dir
        self.fact_order = tuple(sorted(site.facts.facts))    # placeholder number -> fact id
        self.fact_ids = {fact_id: index for index, fact_id in enumerate(self.fact_order)}
        self.values: dict[str, str] = {}        # fact id -> its HTML in this language
        self.inline_html: dict[str, str] = reuse.inline_html if reuse else {}   # word text -> its inline HTML
        # the preview's: digest of a body with its calls replaced -> its Markdown HTML, which does not
        # depend on the fact values (they are placed after Markdown), so a fact edit skips Markdown
        self.markdown_cache = markdown_cache
        self.markdown_html: dict[bytes, str] = reuse.markdown_html if reuse else {}
        self.nav = site.nav(language.code)
        self.plain_lists: dict[str, list[dict]] = {}   # list fact id -> item words as plain text

    def rebind(self, site: Site, notices: Mapping[tuple[str, str], datetime.date]) -> _PageRenderer:
        """A renderer for a changed site whose configuration, templates and catalogues are the same
        (the preview): this one's environment, compiled templates, Markdown and HTML by text, and
        nothing that depends on the facts or the pages."""
        return _PageRenderer(site, self.language, self.templates_dir, self.problems, notices, self.markdown_cache,
                             reuse=self)

    # -- the functions a page body may call ---------------------------------------------------
    def _functions(self, page: Page, blocks: list[str]) -> dict:
        def fact(fact_id: str) -> str:
            # a placeholder Markdown leaves alone; the value's HTML replaces it after Markdown
            if self.site.facts.facts[fact_id].statement:
                text = self._inline(page, self.words.texts[fact_id], blocks)
                blocks.append(f'<span class="fact-statement" data-fact="{escape(fact_id)}">{text}</span>')
                return f"{OPEN}T{len(blocks) - 1}{CLOSE}"
            return f"{OPEN}V{self.fact_ids[fact_id]}{CLOSE}"

        def block(template: str, **context) -> str:
            html = self.env.get_template(template).render(**context, **self._common(page))
            blocks.append(html)
            return f"{OPEN}B{len(blocks) - 1}{CLOSE}"

        def fact_list(fact_id: str) -> str:
            return block("facts/list.html", fact=self._list(page, fact_id, blocks))

        def fact_faq(fact_id: str) -> str:
            return block("facts/faq.html", fact=self._list(page, fact_id, blocks))

        def fact_table(fact_ids) -> str:
            rows = [{"id": f, "label": self.words.labels[f], "value": Markup(self.value(f)),
                     "sources": self.titles(self.site.facts.facts[f].all_sources())} for f in fact_ids]
            return block("facts/table.html", rows=rows)

        def help_box() -> str:
            clinic = self.site.config.clinic
            phone = Markup('<a href="tel:{}">{}</a>').format(clinic.phone.replace(" ", ""), clinic.phone)
            return block("facts/help.html", phone=phone, emergency=clinic.emergency_number)

        def link(key: str) -> str:
            return relative_url(page.url, self.site.page(self.language.code, key).url)

        return {"fact": fact, "fact_list": fact_list, "fact_faq": fact_faq, "fact_table": fact_table,
                "help_box": help_box, "link": link}

    def titles(self, doc_ids) -> list[str]:
        """The titles patients read for these documents: originals only, in this language's words."""
        return [self.words.sources[doc] for doc in self.site.facts.originals(doc_ids)]

    def _list(self, page: Page, fact_id: str, blocks: list[str]) -> dict:
        fact = self.site.facts.facts[fact_id]
        items = []
        for item in fact.items:
            texts = {name: Markup(self._inline(page, text, blocks))
                     for name, text in self.words.items[(fact_id, item.id)].items()}
            items.append({
                "id": item.id, "words": texts,
                "terms": {name: self.words.terms[term] for name, term in item.terms},
                "amounts": {name: format_amount(a, self.language, self.words) for name, a in item.amounts},
                "sources": item.sources,
            })
        return {"id": fact_id, "label": self.words.labels[fact_id], "items": items, "critical": fact.critical}

    def _inline(self, page: Page, text: str, blocks: list[str]) -> str:
        calls = read_calls(text)[0]
        if calls:
            text = expand(text, calls, self._functions(page, blocks))
        html = self.inline_html.get(text)
        if html is None:
            html = self.inline_html[text] = md_.sanitize(md_.to_inline_html(self.md, text))
        return html

    def value(self, fact_id: str) -> str:
        html = self.values.get(fact_id)
        if html is None:
            text = format_amount(self.site.facts.facts[fact_id].amount, self.language, self.words)
            html = self.values[fact_id] = f'<span class="fact" data-fact="{escape(fact_id)}">{escape(text)}</span>'
        return html

    def _fill(self, html: str, blocks: list[str]) -> str:
        """Put the fact values and blocks in place of their placeholders (blocks may hold values)."""
        def replace(match) -> str:
            kind, index = match.group(1), int(match.group(2))
            return self.value(self.fact_order[index]) if kind == "V" else blocks[index]

        for _depth in range(3):
            if OPEN not in html:
                break
            html = _PLACEHOLDER_P.sub(replace, html)
            html = _PLACEHOLDER.sub(replace, html)
        return html

    # -- whole pages -------------------------------------------------------------------------
    def _common(self, page: Page) -> dict:
        return {"lang": self.language, "page": page, "root": relative_url(page.url, "")[: -len("index.html")] or "./"}

    def body(self, page: Page) -> Markup:
        blocks: list[str] = []
        text = expand(page.body, page.calls, self._functions(page, blocks))
        if not self.markdown_cache:
            return Markup(md_.sanitize(self._fill(md_.to_html(self.md, text), blocks)))
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        html = self.markdown_html.pop(key, None)
        if html is None:
            html = md_.to_html(self.md, text)
            if len(self.markdown_html) >= self.markdown_cache:
                del self.markdown_html[next(iter(self.markdown_html))]   # the least recently used
        self.markdown_html[key] = html
        return Markup(md_.sanitize(self._fill(html, blocks)))

    def page(self, page: Page) -> bytes:
        site, config = self.site, self.site.config
        alternates = [(site.config.language(p.language), p, relative_url(page.url, p.url))
                      for p in site.alternates(page)]
        x_default = site.page(config.source_language.code, page.key)
        updated = self.notices.get((page.language, page.key))  # the Italian changed since translating
        notice = None if updated is None else {"updated": updated, "url": relative_url(page.url, x_default.url),
                                                "title": x_default.title, "lang": config.source_language.code}
        context = dict(
            self._common(page), body=self.body(page), config=config, clinic=config.clinic,
            reviewer=config.reviewer, reviewer_role=self.words.terms[config.reviewer.role],
            reviewer_title=self.words.terms[config.reviewer.title],
            canonical=config.base_url + page.url, x_default=config.base_url + x_default.url,
            alternates=alternates, hreflangs=[(lang.code, config.base_url + p.url) for lang, p, _ in alternates],
            nav=[(p, relative_url(page.url, p.url)) for p in self.nav],
            home_url=relative_url(page.url, site.home(self.language.code).url),
            sources=self.titles(page.sources), translation_notice=notice,
            next_review=review.next_review(page.reviewed, config), json_ld=functools.partial(self.json_ld, page),
        )
        return self.env.get_template("page.html").render(context).encode("utf-8")

    def json_ld(self, page: Page, therapy: str) -> Markup:
        """The page's structured data (structured.py), with list words as plain text."""
        lists = {fact_id: self._plain_list(page, fact_id) for fact_id in structured.json_ld_facts(self.site, page)}
        therapy = Markup(therapy).unescape()    # a translation, escaped as text for HTML; JSON has its own
        reviewer = self.site.config.reviewer
        return structured.json_ld(self.site, page, therapy, self.words.terms[reviewer.role],
                                  self.words.terms[reviewer.title], lists)

    def _plain_list(self, page: Page, fact_id: str) -> list[dict]:
        """A list fact's item words as plain text: the same on every page, so made once."""
        found = self.plain_lists.get(fact_id)
        if found is None:
            blocks: list[str] = []
            found = self.plain_lists[fact_id] = [
                {name: Markup(self._fill(str(text), blocks)).striptags() for name, text in item["words"].items()}
                for item in self._list(page, fact_id, blocks)["items"]]
        return found

    def partial(self, name: str, **context) -> Markup:
        return Markup(self.env.get_template(name).render(lang=self.language, **context))


def render_site(site: Site, templates_dir: Path,
                notices: Mapping[tuple[str, str], datetime.date] = MappingProxyType({}),
                cache: RenderCache | None = None, jobs: int = 0) -> Output:
    """Render every page, the language chooser, the 404 page, sitemap and robots.txt. `notices`:
    (language, page key) -> the date of the Italian page a stale translation is behind. (Review dates
    and unsafe markup are the page checks' stage, pagechecks.py, which runs before.)"""
    problems = Problems("rendering")
    files, rendered, seconds = _cached_pages(site, templates_dir, notices, cache, jobs, problems)
    renderers = {lang.code: _PageRenderer(site, lang, templates_dir, problems, notices)
                 for lang in site.config.languages}
    source = renderers[site.config.source_language.code]
    with _located(problems, None, templates_dir):
        homes = [(lang, site.home(lang.code)) for lang in site.config.languages]
        choices = [renderers[lang.code].partial("partials/choose.html", home=home, url=home.url + "index.html")
                   for lang, home in homes]
        not_found = [renderers[lang.code].partial("partials/not_found.html", home=home,
                                                  url=site.config.base_url + home.url) for lang, home in homes]
        common = {"config": site.config, "root": "./", "homes": homes}
        files.append(("index.html", source.env.get_template("chooser.html").render(choices=choices, **common).encode()))
        files.append(("404.html", source.env.get_template("404.html").render(
            sections=not_found, **dict(common, root=site.config.base_url)).encode()))
        files.append(("sitemap.xml", source.env.get_template("sitemap.xml").render(
            site=site, base_url=site.config.base_url).encode()))
    files.append(("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}sitemap.xml\n".encode()))
    files.extend(static_files(templates_dir))
    problems.raise_if_any()
    return Output(tuple(sorted(files)), problems.warnings_tuple(), rendered, tuple(sorted(seconds.items())))


def static_files(templates_dir: Path) -> list[tuple[str, bytes]]:
    """templates/static/ as it is, under static/."""
    static = templates_dir / "static"
    return [(f"static/{path.relative_to(static).as_posix()}", path.read_bytes())
            for path in (sorted(static.rglob("*")) if static.is_dir() else ()) if path.is_file()]


def _cached_pages(site: Site, templates_dir: Path, notices, cache: RenderCache | None, jobs: int,
                  problems: Problems) -> tuple[list[tuple[str, bytes]], int, dict]:
    """Every page: from the cache where a whole entry for its digest is found, else rendered (on all
    cores when many). The rendered pages are stored only when the build has no error and the
    templates are the ones the digests were made of (a template saved while rendering is not cached)."""
    files, todo, digests = [], [], {}
    common = site_digests(site, templates_dir) if cache is not None else None
    for index, page in enumerate(site.pages):
        if common is not None:
            shown = page.facts_used + structured.json_ld_facts(site, page)
            digests[index] = page_digest(site, page, common, shown, notices.get((page.language, page.key)))
        content = cache.get(digests[index]) if cache is not None else None
        if content is None:
            todo.append(index)
        else:
            files.append((page.output_path, content))
    seconds: dict[str, float] = {}
    fresh = []
    for rendered, errors, warnings, spent in render_pages(site, templates_dir, notices, todo, jobs):
        problems.errors.extend(errors)
        problems.warnings.extend(warnings)
        for language, value in spent.items():
            seconds[language] = seconds.get(language, 0.0) + value
        for index, content in rendered:
            files.append((site.pages[index].output_path, content))
            fresh.append((index, content))
    if cache is not None and not problems.errors and folder_digest(templates_dir) == common.templates:
        for index, content in fresh:
            cache.put(digests[index], content)
        warning = cache.warning()
        if warning is not None:
            problems.warnings.append(warning)
    return files, len(todo), seconds


def render_pages(site: Site, templates_dir: Path, notices, indices, jobs: int = 0, renderers=None,
                 parallel_min: int | None = None) -> list[tuple[list, list, list, dict]]:
    """Render the pages at `indices` of `site.pages`: per process, ([(index, bytes)], errors,
    warnings, {language: seconds spent rendering}); on every core when there are at least
    `parallel_min` (default PARALLEL_MIN).
    `renderers` (language code -> a `_PageRenderer` for this site and notices) keeps the compiled
    templates of an earlier call."""
    jobs = jobs or len(os.sched_getaffinity(0))
    parallel_min = PARALLEL_MIN if parallel_min is None else parallel_min
    if jobs > 1 and len(indices) >= parallel_min and "fork" in multiprocessing.get_all_start_methods():
        chunks = [indices[start::jobs * 4] for start in range(min(jobs * 4, len(indices)))]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                                 initargs=(os.getpid(), site, templates_dir, notices, renderers)) as pool:
            return list(pool.map(_render_in_worker, chunks))
    return [_render_pages(site, templates_dir, notices, indices, renderers)]


def page_renderers(site: Site, templates_dir: Path, notices, markdown_cache: int = 0) -> dict[str, _PageRenderer]:
    """A renderer for each language (each compiles its templates when first used), keeping the
    Markdown HTML of up to `markdown_cache` page bodies."""
    return {lang.code: _PageRenderer(site, lang, templates_dir, Problems("rendering"), notices, markdown_cache)
            for lang in site.config.languages}


def _render_pages(site: Site, templates_dir: Path, notices, indices, renderers=None) -> tuple[list, list, list, dict]:
    problems = Problems("rendering")
    renderers = renderers or page_renderers(site, templates_dir, notices)
    rendered: list = []
    seconds: dict[str, float] = {}
    for index in indices:
        page = site.pages[index]
        started = time.perf_counter()
        with _located(problems, page, templates_dir):
            rendered.append((index, renderers[page.language].page(page)))
        seconds[page.language] = seconds.get(page.language, 0.0) + time.perf_counter() - started
    return rendered, problems.errors, problems.warnings, seconds


_worker_input: tuple = ()


def _start_worker(parent: int, site: Site, templates_dir: Path, notices, renderers=None) -> None:
    global _worker_input  # one process, one build: set once when the pool forks
    _die_with(parent)
    _worker_input = (parent, site, templates_dir, notices, renderers)


PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Ask the kernel to kill this worker when the build that forked it dies (Linux), and leave at
    once if it is already gone (it died before the request was made: the worker's parent is init)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):     # not Linux: the parent check before each chunk still holds
        pass
    if os.getppid() != parent:
        os._exit(1)


def _render_in_worker(indices) -> tuple[list, list, list, dict]:
    parent, site, templates_dir, notices, renderers = _worker_input
    if os.getppid() != parent:      # the build is gone: nobody will read the result
        os._exit(1)
    return _render_pages(site, templates_dir, notices, indices, renderers)


_TEMPLATE_LIBRARIES = tuple(os.path.dirname(module.__file__) + os.sep for module in (jinja2, markupsafe))


def _is_template(filename: str) -> bool:
    return filename.endswith((".html", ".xml"))


def _raised_by_template(tb) -> bool:
    """Whether the innermost frame is a template's own code or Jinja's (an operator, a call, a filter):
    the template did something wrong. Deeper in the generator's own code it is the generator's bug."""
    last = None
    while tb is not None:
        last, tb = tb.tb_frame.f_code.co_filename, tb.tb_next
    return last is not None and (_is_template(last) or last.startswith(_TEMPLATE_LIBRARIES))


class _located:
    """Turn a template or page error into a Problem naming the file and line."""

    def __init__(self, problems: Problems, page: Page | None, templates_dir: Path):
        self.problems, self.page, self.templates_dir = problems, page, templates_dir

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None or not isinstance(exc, Exception):
            return False
        path, line = self._where(exc, tb)
        if isinstance(exc, TemplateNotFound):
            name = exc.name if isinstance(exc.name, str) else str(exc)
            if line is None:    # loaded by the build itself: one message for the file, not one per page
                self.problems.error(f"templates/{name}", None, "this template is missing; the build renders with it",
                                    f"Restore templates/{name} (e.g. from version control).")
            else:
                self.problems.error(path, line, f'the template "{name}" used on this line is missing',
                                    f"Create templates/{name}, or correct the name on this line.")
            return True
        if line is None and not isinstance(exc, TemplateError):
            return False  # raised by the generator's own code, not by a template: a bug to report as such
        if not isinstance(exc, TemplateError) and not _raised_by_template(tb):
            return False  # the generator's own code failed while a template called it: a bug
        message = exc.message if isinstance(exc, TemplateError) and exc.message else str(exc)
        hint = ("Check the template tags and names on this line; unknown names are errors, never blanks."
                if path.startswith("templates/") else "Check the fact functions and braces on this line.")
        self.problems.error(path, line, f"{type(exc).__name__}: {message}", hint)
        return True

    def _where(self, exc, tb) -> tuple[str, int | None]:
        if isinstance(exc, TemplateSyntaxError) and exc.filename:
            return self._rel(exc.filename), exc.lineno
        found: tuple[str, int | None] = (self.page.src_path if self.page else "templates", None)
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if _is_template(filename):
                found = (self._rel(filename), tb.tb_lineno)
            tb = tb.tb_next
        return found

    def _rel(self, filename: str) -> str:
        try:
            return "templates/" + Path(filename).resolve().relative_to(self.templates_dir.resolve()).as_posix()
        except ValueError:
            return filename


