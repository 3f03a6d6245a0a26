"""Ready for any host: a redirect page at each old address (`aliases:` in a page's front matter,
`alias_pages`), and `_headers` and `_redirects` for Netlify and Cloudflare Pages (`host_files`, made
last, from the paths of everything else). Fingerprinted assets and the `.gz` and `.br` beside every
text file are render/assets.py's, file by file. The security and cache headers are defined here once;
docs/deploy.md shows them for nginx and the tests serve the site with exactly these."""

from __future__ import annotations

import html
import posixpath
from urllib.parse import quote, urlsplit

from patientsite.load.aliases import alias_output
from patientsite.model.site import Site
from patientsite.render.assets import STABLE, STATIC

# No inline script or style anywhere (tests/test_hosting.py checks every page), so no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; "
                           "manifest-src 'self'; connect-src 'self'; "
                           "script-src 'self' 'wasm-unsafe-eval'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Strict-Transport-Security", "max-age=31536000"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),      # the address of a health page read stays private
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)
CACHE_ASSETS = "public, max-age=31536000, immutable"    # fingerprinted: a new content is a new name
CACHE_STABLE = "public, max-age=86400"                  # the icons and the share image: a day
CACHE_PAGES = "public, max-age=300"                     # pages, sitemap, robots.txt: five minutes
HEADERS_FILE = "_headers"
REDIRECTS_FILE = "_redirects"


def host_files(site: Site, paths) -> list[tuple[str, bytes]]:
    """`_headers` and `_redirects`, for the published `paths` (without their .gz and .br)."""
    return [(HEADERS_FILE, headers_file(site.config.base_url, paths).encode()),
            (REDIRECTS_FILE, redirects_file(site).encode())]


def site_path(base_url: str) -> str:
    """The path the site lives under: "/" at a host's root, "/patients/" under a sub-path."""
    return urlsplit(base_url).path or "/"


def aliases(site: Site):
    """(old address, its output path, the page it moved to) for every alias, in page order."""
    for page in site.pages:
        for alias, _line in page.source.aliases if page.source is not None else ():
            yield alias, alias_output(alias), page


def alias_pages(site: Site) -> list[tuple[str, bytes]]:
    """A small page at each old address: a meta refresh and a link to the new one, its canonical
    address, noindex; no script, so it works under the CSP and without script."""
    found = []
    for _alias, output, page in aliases(site):
        folder = posixpath.dirname(output)
        target = posixpath.relpath(page.url.rstrip("/") or ".", folder or ".").removeprefix("./") + "/"
        target = "./" if target == "./" else target
        title = html.escape(page.title)
        found.append((output, (
            "<!DOCTYPE html>\n"
            f'<html lang="{page.language}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="robots" content="noindex">\n'
            f'<meta http-equiv="refresh" content="0; url={html.escape(target)}">\n'
            f'<link rel="canonical" href="{html.escape(site.config.base_url + page.url)}">\n'
            f"<title>{title}</title>\n</head>\n<body>\n"
            f'<main><p><a href="{html.escape(target)}">{title}</a></p></main>\n'
            "</body>\n</html>\n").encode()))
    return found


def redirects_file(site: Site) -> str:
    """`_redirects`: each old address to its page, 301 (Netlify, Cloudflare Pages)."""
    root = site_path(site.config.base_url)
    lines = ["# Written by the build: old addresses (aliases: in a page's front matter) -> their pages, for",
             "# Netlify and Cloudflare Pages (docs/deploy.md). Every old address also has a redirect page."]
    lines += [f"{root}{quote(alias.lstrip('/'), safe='/~')} {root}{quote(page.url, safe='/')} 301"
              for alias, _output, page in aliases(site)]
    return "\n".join(lines) + "\n"


def headers_file(base_url: str, paths) -> str:
    """`_headers`: the security headers on every response; each file's Cache-Control from exactly
    one rule (both hosts join the values of two rules that match, so the rules never overlap)."""
    root = site_path(base_url)
    lines = ["# Written by the build (docs/deploy.md): Netlify and Cloudflare Pages read it here.",
             f"{root}*"]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS]
    rules = [(f"{root}{STATIC}*", CACHE_ASSETS)]
    rules += [(f"{root}{name}", CACHE_STABLE) for name in sorted(STABLE.values())]
    tops = sorted({path.split("/")[0] + ("/*" if "/" in path else "") for path in paths
                   if not path.startswith(STATIC) and path not in STABLE.values()
                   and path not in (HEADERS_FILE, REDIRECTS_FILE)})
    rules += [(root, CACHE_PAGES)] + [(root + top, CACHE_PAGES) for top in tops]
    for pattern, value in rules:
        lines += [pattern, f"  Cache-Control: {value}"]
    return "\n".join(lines) + "\n"


def robots_txt(base_url: str) -> bytes:
    """robots.txt with the sitemap's full address. Crawlers read it only at a host's root: a site
    under a sub-path says so, and its lines go into the host's own robots.txt."""
    root = site_path(base_url)
    sitemap = f"Sitemap: {base_url}sitemap.xml\n"
    if root == "/":
        return f"User-agent: *\nAllow: /\n\n{sitemap}".encode()
    host = urlsplit(base_url)
    return (f"# This site lives under {root}. Crawlers read robots.txt only at the root of a host\n"
            f"# ({host.scheme}://{host.netloc}/robots.txt), never here: add the lines below to that file.\n"
            f"User-agent: *\nAllow: {root}\n\n{sitemap}").encode()
