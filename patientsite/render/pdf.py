"""The leaflets as PDF (`build --pdf`), a step after rendering and before the write: WeasyPrint (the
optional extra `pdf`) lays out each language's leaflet page (render/leaflet.py), with the site's own
print stylesheet, into an A4 PDF beside it. Its stylesheets and images come from the rendered files in
memory, never from the network or the previous site. The PDF is byte-identical between builds: its
dates are the leaflet's review date (the page's dcterms meta tags), its identifier a digest of its
content."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterable, Mapping
from urllib.parse import unquote, urldefrag

from patientsite.errors import BuildError, Problem, Problems
from patientsite.model.site import Site
from patientsite.render.leaflet import leaflet_url, pdf_path

INSTALL = ("install it with: pip install -e '.[pdf]' (WeasyPrint; on Debian it also needs "
           "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)")
_NOT_LOADED = ("Failed to load", "Error fetching")    # WeasyPrint's log messages for a missing resource


def pdf_support() -> str | None:
    """None when WeasyPrint and the libraries it loads are there, else the one-line reason and remedy."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        reason = "WeasyPrint is not installed" if isinstance(exc, ImportError) else f"WeasyPrint cannot start ({exc})"
        return f"build --pdf: {reason}; {INSTALL}"
    return None


def render_pdfs(site: Site, files: Mapping[str, bytes] | Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """(output path, PDF bytes) of every language's leaflet, from the rendered `files`. Raises
    BuildError when WeasyPrint is missing or a leaflet's stylesheet or image is not among the files."""
    missing = pdf_support()
    if missing is not None:
        raise BuildError("writing the leaflets as PDF", [Problem("pyproject.toml", None, None, missing)])
    problems = Problems("writing the leaflets as PDF")
    by_path = files if isinstance(files, Mapping) else dict(files)    # a Mapping: read only what is used
    base = site.config.base_url
    made = []
    for language in site.config.languages:
        page = leaflet_url(site, language.code) + "index.html"
        content, failures = _pdf(by_path[page], base + page, by_path, base)
        for failure in failures:
            problems.error(page, None, f"the PDF could not use a file the leaflet refers to: {failure}",
                           "Every stylesheet and image of templates/leaflet.html must be a file of the site.")
        made.append((pdf_path(site, language.code), content))
    problems.raise_if_any()
    return made


def _pdf(html: bytes, url: str, files: Mapping[str, bytes], base: str) -> tuple[bytes, list[str]]:
    import weasyprint

    failures: list[str] = []
    handler = _Collect(failures)
    logger = logging.getLogger("weasyprint")
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False      # its notes on CSS it ignores (screen-only properties) are not the user's
    try:
        document = weasyprint.HTML(string=html.decode("utf-8"), base_url=url, url_fetcher=_fetcher(files, base),
                                   media_type="print")
        return document.write_pdf(pdf_identifier=True, pdf_tags=True), failures
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


class _Collect(logging.Handler):
    def __init__(self, failures: list[str]):
        super().__init__(logging.WARNING)
        self.failures = failures

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(_NOT_LOADED):
            self.failures.append(message.splitlines()[0])


def _fetcher(files: Mapping[str, bytes], base: str):
    """WeasyPrint's URL fetcher, answering only with the site's own rendered files."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SiteFiles(URLFetcher):
        def fetch(self, url, headers=None):
            address = urldefrag(url)[0].split("?")[0]
            if not address.startswith(base):
                raise ValueError(f"{url} is not a file of the site")
            path = unquote(address[len(base):])
            if path == "" or path.endswith("/"):
                path += "index.html"
            if path not in files:
                raise ValueError(f"{path} is not a file of the site")
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, files[path], {"Content-Type": kind})

    return SiteFiles()
