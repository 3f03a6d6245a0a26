"""What is ready publishes; what is not, does not (model/publish.py, checks/translations.py): end-to-end
builds of the small site and of a copy of the real site, each output file walked for links, hreflang
and sitemap entries to pages that were left out."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from sitefiles import page_text
from test_real_site import copy_project

from patientsite.cli import main
from patientsite.pipeline import build
from patientsite.preview.serve import Preview

REPO = Path(__file__).resolve().parent.parent
BASE = "https://clinic.example/"
HREF = re.compile(r'(?:href|src)="([^"]*)"')
SITEMAP_URL = re.compile(r'(?:<loc>|href=")(https?://[^<"]+)')


def cli(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


def mark_all(root: Path, capsys, languages=("en", "ru")) -> None:
    for lang in languages:
        assert cli(capsys, "--root", root, "status", "--mark-current", lang, "all")[0] == 0


def output(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*"))
            if p.is_file() and p.suffix in (".html", ".xml")}


def assert_every_link_resolves(out: Path, base: str = BASE) -> None:
    """Every href/src of every page, every hreflang and every sitemap URL names a file that was built:
    nothing links to a page that was left out."""
    files = output(out)
    for rel, text in files.items():
        found = SITEMAP_URL.findall(text) if rel.endswith(".xml") else HREF.findall(text)
        for href in found:
            url = href.replace("&amp;", "&")
            if url.startswith(("tel:", "mailto:", "#")) or rel.endswith("404.html"):
                continue
            if url.startswith(base):
                target = url[len(base):]
            elif "://" in url:
                continue
            else:
                target = urlsplit(urljoin(rel, url)).path
            target = target.split("#")[0]
            target = target + "index.html" if target == "" or target.endswith("/") else target
            assert (out / target).is_file(), f"{rel} links to {url}, which was not built"


def test_a_page_missing_in_one_language_is_not_published_there(site_root, tmp_path, capsys):
    (site_root / "content/en/treatment.md").unlink()
    out = tmp_path / "site"
    code, err = cli(capsys, "--root", site_root, "build", "--out", out)
    assert code == 0
    assert ('warning: content/it/treatment.md:1: the page "treatment" is not published in en: it has no translation\n'
            "    Translate content/it/treatment.md into content/en/ with key: treatment, then run: "
            "python build.py status --mark-current en treatment") in err
    files = output(out)
    assert "it/il-trattamento/index.html" in files and "ru/procedura/index.html" in files
    assert not any(path.startswith("en/") and "treatment" in path for path in files)
    assert not any("the-treatment" in text for text in files.values())
    assert_every_link_resolves(out)
    # the Italian and Russian pages' switchers say English is not available, as text
    for rel in ("it/il-trattamento/index.html", "ru/procedura/index.html"):
        switcher = files[rel].split('<nav class="languages"')[1].split("</nav>")[0]
        assert re.search(r'<li class="unavailable"><span lang="en">English</span> <span class="unavailable-note">'
                         r"\([^)<]+\)</span></li>", switcher), switcher
        assert 'hreflang="en"' not in files[rel]
    assert "(non disponibile)" in files["it/il-trattamento/index.html"]
    assert "(недоступно)" in files["ru/procedura/index.html"]
    # the English home page's link to the page goes to the Italian one; its menu leaves it out
    en_home = files["en/index.html"]
    assert 'href="../it/il-trattamento/index.html" hreflang="it"' in en_home
    assert "site-nav" in en_home and "The treatment" not in en_home


def test_an_untracked_or_untranslated_page_is_not_published(site_root, tmp_path, capsys):
    mark_all(site_root, capsys)
    extra = "---\ntitle: {t}\ndescription: {d}\nkey: aftercare\nslug: {s}\nreviewed: 2026-11-20\n---\n{b}\n"
    it_text = extra.format(t="Dopo", d="Dopo la seduta", s="dopo", b="Dopo la seduta non si deve fare sport.")
    (site_root / "content/it/aftercare.md").write_text(it_text)
    (site_root / "content/en/aftercare.md").write_text(
        extra.format(t="After", d="After the session", s="after", b="After the session do no sport."))
    (site_root / "content/ru/aftercare.md").write_text(it_text)        # an untouched copy of the Italian
    out = tmp_path / "site"
    code, err = cli(capsys, "--root", site_root, "build", "--out", out)
    assert code == 0
    assert ('warning: content/en/aftercare.md:1: the page "aftercare" is not published in en: this translation is '
            "not tracked yet\n    Translate it from content/it/aftercare.md, then run: "
            "python build.py status --mark-current en aftercare") in err
    assert ('warning: content/ru/aftercare.md:1: the page "aftercare" is not published in ru: it is still the '
            "Italian text") in err
    files = output(out)
    assert "it/dopo/index.html" in files
    assert not (out / "en/after").exists() and not (out / "ru/dopo").exists()
    assert_every_link_resolves(out)
    sitemap = files["sitemap.xml"]
    assert f"{BASE}it/dopo/" in sitemap and f"{BASE}en/after/" not in sitemap and f"{BASE}ru/dopo/" not in sitemap
    # once the English is checked and marked, it is published
    assert cli(capsys, "--root", site_root, "status", "--mark-current", "en", "aftercare")[0] == 0
    assert cli(capsys, "--root", site_root, "build", "--out", out)[0] == 0
    assert (out / "en/after/index.html").is_file() and f"{BASE}en/after/" in (out / "sitemap.xml").read_text()
    assert 'hreflang="en" href="https://clinic.example/en/after/"' in (out / "it/dopo/index.html").read_text()


def test_a_language_without_a_ready_home_page_is_not_published(site_root, tmp_path, capsys):
    (site_root / "content/ru/index.md").unlink()
    out = tmp_path / "site"
    code, err = cli(capsys, "--root", site_root, "build", "--out", out)
    assert code == 0
    assert ("warning: content/ru/index.md:1: Русский (ru) is not published at all: its home page is not ready") in err
    assert not (out / "ru").exists()
    files = output(out)
    assert not any('hreflang="ru"' in text or "/ru/" in text or "Русский" in text for text in files.values())
    assert_every_link_resolves(out)


def test_the_source_home_page_must_exist_and_cannot_be_a_draft(site_root, tmp_path, capsys):
    home = site_root / "content/it/index.md"
    home.write_text(home.read_text().replace("reviewed:", "draft: true\nreviewed:"))
    code, err = cli(capsys, "--root", site_root, "build", "--out", tmp_path / "site")
    assert code == 1 and "error: content/it/index.md:5: the home page cannot be a draft" in err
    assert "Traceback" not in err and not (tmp_path / "site").exists()


def _draft(root: Path, rel: str) -> None:
    path = root / rel
    path.write_text(path.read_text().replace("reviewed:", "draft: true\nreviewed:", 1))


def test_a_draft_is_left_out_of_the_build_in_every_language(site_root, tmp_path, capsys):
    _draft(site_root, "content/it/contraindications.md")
    out = tmp_path / "site"
    code, err = cli(capsys, "--root", site_root, "build", "--out", out)
    assert code == 0 and "draft" not in err
    files = output(out)
    for path in ("it/controindicazioni", "en/contraindications", "ru/protivopokazaniya"):
        assert not (out / path).exists()
        assert not any(path in text for text in files.values())
    assert not any("draft-banner" in text for text in files.values())
    assert_every_link_resolves(out)
    # a translation alone may be a draft: only that language leaves it out
    _draft(site_root, "content/it/contraindications.md".replace("it/", "ru/"))
    (site_root / "content/it/contraindications.md").write_text(page_text("it", "contraindications.md"))
    assert cli(capsys, "--root", site_root, "build", "--out", out)[0] == 0
    assert (out / "it/controindicazioni/index.html").is_file() and not (out / "ru/protivopokazaniya").exists()
    assert_every_link_resolves(out)


def test_a_link_to_a_draft_is_an_error_in_the_build(site_root, tmp_path, capsys):
    _draft(site_root, "content/it/treatment.md")        # every home page links to it
    code, err = cli(capsys, "--root", site_root, "build", "--out", tmp_path / "site")
    assert code == 1 and "Traceback" not in err
    for lang in ("it", "en", "ru"):
        assert (f'error: content/{lang}/index.md:7: link to the page "treatment", which is published in no '
                "language (a draft)\n    Remove the link, or publish that page first.") in err


def test_the_preview_shows_drafts_marked_and_the_build_never_does(site_root, tmp_path, capsys):
    _draft(site_root, "content/it/contraindications.md")
    preview_out = tmp_path / "preview"
    preview = Preview(site_root, preview_out, echo=lambda text: None)
    assert preview.rebuild() and preview.failure is None
    html = (preview_out / "it/controindicazioni/index.html").read_text()
    assert '<p class="draft-banner" role="note">Bozza: questa pagina è visibile solo in anteprima' in html
    ru = (preview_out / "ru/protivopokazaniya/index.html").read_text()
    assert "Черновик: эту страницу видно только в предпросмотре" in ru
    assert "draft-banner" not in (preview_out / "it/il-trattamento/index.html").read_text()
    # an edit while previewing: the draft is still there, still marked (built from the previous build)
    page = site_root / "content/it/contraindications.md"
    page.write_text(page.read_text().replace("## List", "## Elenco"))
    assert preview.rebuild(("content/it/contraindications.md",))
    assert "Elenco" in (preview_out / "it/controindicazioni/index.html").read_text()
    assert "draft-banner" in (preview_out / "it/controindicazioni/index.html").read_text()
    # the build of the same files
    result = build(site_root, tmp_path / "site")
    assert not (tmp_path / "site/it/controindicazioni").exists()
    assert all(b"draft-banner" not in content for path, content in result.files.items() if path.endswith(".html"))


# -- critical text in the real site ---------------------------------------------------------------

def test_a_page_missing_in_the_real_site_passes_check_and_fails_check_strict(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    (root / "content/ru/faq.md").unlink()
    out = tmp_path / "site"
    code, err = cli(capsys, "--root", root, "check", "--out", out)
    assert code == 0, err
    assert 'warning: [build] content/it/faq.md:1: the page "faq" is not published in ru: it has no translation' in err
    assert_every_link_resolves(out, "https://www.clinica-esempio.it/")
    assert not any("/ru/" in path and "faq" in path.lower() for path in output(out))
    code, err = cli(capsys, "--root", root, "check", "--strict", "--out", out)
    assert code == 1 and 'content/it/faq.md:1: the page "faq" is not published in ru' in err


def test_an_urgent_italian_correction_publishes_while_the_translations_show_a_notice(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    words = root / "content/it/words.yaml"
    text = words.read_text(encoding="utf-8")
    label = "        label: Allergie\n"
    assert label in text
    words.write_text(text.replace(label, "        label: Allergie (anche lievi)\n", 1), encoding="utf-8")
    out = tmp_path / "site"
    code, err = cli(capsys, "--root", root, "build", "--out", out)
    assert code == 0
    en_words_line = (root / "content/en/words.yaml").read_text().split("\n").index("  contraindications.absolute:") + 1
    assert (f'warning: content/en/words.yaml:{en_words_line}: the en words for the critical fact '
            '"contraindications.absolute" were translated from an older Italian text') in err
    assert ('warning: content/en/contraindications.md:1: published in en as a "being updated" notice: the '
            'critical words of "contraindications.absolute" are not ready') in err
    it_page = (out / "it/controindicazioni/index.html").read_text()
    assert "Allergie (anche lievi)" in it_page         # the correction is out at once
    en_page = (out / "en/contraindications/index.html").read_text()
    ru_page = (out / "ru/protivopokazaniya/index.html").read_text()
    for page, heading, lang in ((en_page, "This page is being updated", "en"),
                                (ru_page, "Эта страница обновляется", "ru")):
        notice = page.split('<section class="updating-notice"')[1].split("</section>")[0]
        assert f'<h2 id="updating-heading">{heading}</h2>' in notice and f'<html lang="{lang}">' in page
        assert re.search(r'<a href="tel:\+?[0-9]+">[^<]+</a>', notice)
        assert ('<a href="../../it/controindicazioni/index.html" hreflang="it" lang="it">Chi non deve fare la '
                "mesoterapia</a>") in notice
        assert 'data-fact="contraindications.absolute"' not in page and "application/ld+json" not in page
    assert "italiano" in ru_page.split('<section class="updating-notice"')[1].split("</section>")[0] or \
        "итальянск" in ru_page
    # the other pages still publish; none carries the stale list in its structured data
    for rel, label in (("en/index.html", "Allergies"), ("ru/index.html", "Аллергия")):
        json_ld = (out / rel).read_text().split("application/ld+json")[1].split("</script>")[0]
        assert "MedicalContraindication" in json_ld and f'"name": "{label}"' not in json_ld
    assert '"name": "Allergie (anche lievi)"' in (out / "it/index.html").read_text()
    assert_every_link_resolves(out, "https://www.clinica-esempio.it/")
    code, err = cli(capsys, "--root", root, "check", "--strict", "--out", tmp_path / "checked")
    assert code == 1 and 'published in en as a "being updated" notice' in err


def test_a_page_marked_critical_is_replaced_while_its_translation_is_stale(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    page = root / "content/it/side-effects.md"
    assert "critical: true" in page.read_text()
    page.write_text(page.read_text() + "\nSe compare febbre, chiami subito l'ambulatorio.\n", encoding="utf-8")
    out = tmp_path / "site"
    code, err = cli(capsys, "--root", root, "build", "--out", out)
    assert code == 0
    assert ('warning: content/en/side-effects.md:1: published in en as a "being updated" notice: the page is '
            "marked critical and its translation is stale against the Italian") in err
    assert "chiami subito" in (out / "it/effetti-collaterali/index.html").read_text()
    assert "This page is being updated" in (out / "en/side-effects/index.html").read_text()
    # a page not marked critical only carries the out-of-date notice
    treatment = root / "content/it/treatment.md"
    treatment.write_text(treatment.read_text() + "\nUna frase nuova per i pazienti.\n", encoding="utf-8")
    assert cli(capsys, "--root", root, "build", "--out", out)[0] == 0
    en_treatment = next((out / "en").glob("*/index.html"), None)
    assert en_treatment is not None
    html = {p.parent.name: p.read_text() for p in (out / "en").glob("*/index.html") if p.parent.name != "leaflet"}
    assert sum("translation-notice" in text for text in html.values()) == 1
    leaflet = (out / "en/leaflet/index.html").read_text()     # the leaflet gathers both notices
    assert "translation-notice" in leaflet and "This page is being updated" in leaflet


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_untracked_critical_words_are_never_published(site_root, tmp_path, capsys, lang):
    mark_all(site_root, capsys)
    lock = site_root / f"content/{lang}/translations.lock"
    data = yaml.safe_load(lock.read_text())
    del data["words"]["contraindications"]
    lock.write_text(yaml.safe_dump(data, allow_unicode=True))
    code, err = cli(capsys, "--root", site_root, "build", "--out", tmp_path / "site")
    assert code == 0
    assert (f'the {lang} words for the critical fact "contraindications" are not tracked yet: the pages that '
            f"show them are not published in {lang}") in err
    slug = {"en": "contraindications", "ru": "protivopokazaniya"}[lang]
    html = (tmp_path / f"site/{lang}/{slug}/index.html").read_text()
    assert "updating-notice" in html and 'data-fact="contraindications"' not in html


def _add_german_by_copying(root: Path) -> None:
    """German added the way the issue found it: the Italian pages and words copied, English UI strings."""
    config = root / "site.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "  ru:\n    name: Клиника", "  de:\n    name: Klinik Esempio\n    address: [Via Esempio 1, 00100 Rom]\n"
        "  ru:\n    name: Клиника").replace("  ru: {title: д-р", "  de: {title: Dr., role: Ärztin der Klinik}\n  ru: {title: д-р")
    config.write_text(text + "  - code: de\n    locale: de_DE\n    name: Deutsch\n    prefix: de\n", encoding="utf-8")
    shutil.copytree(root / "content/it", root / "content/de")
    (root / "content/de/claims.yaml").unlink()
    text = (root / "content/en/messages.po").read_text(encoding="utf-8")
    (root / "content/de/messages.po").write_text(text.replace("Language: en_GB", "Language: de_DE"), encoding="utf-8")


def test_a_language_copied_from_the_italian_publishes_nothing(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    _add_german_by_copying(root)
    out = tmp_path / "site"
    code, err = cli(capsys, "--root", root, "build", "--out", out)
    assert code == 0, err
    for name, key in (("index", "home"), ("treatment", "treatment"), ("contraindications", "contraindications")):
        assert f'content/de/{name}.md:1: the page "{key}" is not published in de: it is still the Italian text' in err
    assert "warning: content/de/index.md:1: Deutsch (de) is not published at all: its home page is not ready" in err
    files = output(out)
    assert not (out / "de").exists()
    assert not any('hreflang="de"' in text or "/de/" in text or "Deutsch" in text for text in files.values())
    assert_every_link_resolves(out, "https://www.clinica-esempio.it/")
    # a page translated by copying the English one is refused with its path and line
    english = (root / "content/en/treatment.md").read_text(encoding="utf-8")
    (root / "content/de/treatment.md").write_text(english, encoding="utf-8")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, err = cli(capsys, "--root", root, "build", "--out", out)
    body_line = english.split("\n").index("---", 1) + 2
    assert code == 1 and "Traceback" not in err
    assert (f"error: content/de/treatment.md:{body_line}: this page is mostly in English, not Deutsch: a copy of "
            "another language?") in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("flag", ["draft", "critical"])
@pytest.mark.parametrize("value, shown", [("1", "1"), ('"true"', "true"), ("[true]", "[True]"), ("'no'", "no"),
                                          ("2026-01-01", "2026-01-01"), ("~", "None"), ("draft", "draft")])
def test_draft_and_critical_are_true_or_false(site_root, tmp_path, capsys, flag, value, shown):
    out = tmp_path / "site"
    assert cli(capsys, "--root", site_root, "build", "--out", out)[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    page = site_root / "content/en/treatment.md"
    page.write_text(page.read_text().replace("reviewed:", f"{flag}: {value}\nreviewed:", 1))
    code, err = cli(capsys, "--root", site_root, "build", "--out", out)
    assert code == 1 and "Traceback" not in err
    assert (f'error: content/en/treatment.md:7: {flag} "{shown}" must be true or false\n'
            f"    Write {flag}: true, or delete the line.") in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
