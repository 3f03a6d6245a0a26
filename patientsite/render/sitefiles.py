"""The site's files besides the pages and the leaflets: the language chooser, the 404 pages, each
language's search page, sitemap.xml, robots.txt, brand.css (the brand colour from site.yaml) and
templates/static/ as it is. The render stage (render/output.py) publishes them with the pages."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from patientsite.errors import Problems
from patientsite.model.site import Site
from patientsite.render.assets import BRAND_CSS
from patientsite.render.hosting import robots_txt
from patientsite.render.search import search_pages, search_url
from patientsite.render.templateerror import located


def site_files(site: Site, renderers: dict, templates_dir: Path, problems: Problems) -> list[tuple[str, bytes]]:
    """The language chooser, the 404 and search pages, sitemap, robots.txt and brand.css."""
    files = []
    source = renderers[site.config.source_language.code]
    with located(problems, None, templates_dir):
        homes = [(lang, site.home(lang.code)) for lang in site.config.languages]
        site_path = urlsplit(site.config.base_url).path    # 404 pages link root-relative: any host, the preview
        choices = [renderers[lang.code].partial("partials/choose.html", home=home, url=home.url + "index.html")
                   for lang, home in homes]
        not_found = [renderers[lang.code].partial("partials/not_found.html", home=home,
                                                  url=site_path + home.url) for lang, home in homes]
        common = {"config": site.config, "root": "./", "homes": homes}
        files.append(("index.html", source.env.get_template("chooser.html").render(choices=choices, **common).encode()))
        files.append(("404.html", source.env.get_template("404.html").render(
            sections=not_found, **dict(common, root=site_path)).encode()))
        for lang, home in homes:
            files.append((f"{home.url}404.html", renderers[lang.code].env.get_template("404-language.html").render(
                lang=lang, config=site.config, clinic=site.config.clinic_in(lang.code), root=site_path,
                home_url=site_path + home.url, search_url=site_path + search_url(site, lang.code)).encode()))
        files.extend(search_pages(site, renderers))
        files.append(("sitemap.xml", source.env.get_template("sitemap.xml").render(
            site=site, base_url=site.config.base_url).encode()))
    files.append(("robots.txt", robots_txt(site.config.base_url)))
    files.append((BRAND_CSS, brand_css(site)))
    return files


def brand_css(site: Site) -> bytes:
    """The brand colour from site.yaml, as a CSS custom property."""
    return f":root {{ --brand: {site.config.clinic.brand_colour}; }}\n".encode()


def static_files(templates_dir: Path) -> list[tuple[str, bytes]]:
    """templates/static/ as it is, under static/."""
    static = templates_dir / "static"
    return [(f"static/{path.relative_to(static).as_posix()}", path.read_bytes())
            for path in (sorted(static.rglob("*")) if static.is_dir() else ()) if path.is_file()]
