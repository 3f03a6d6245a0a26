"""End to end on the small inline site: structure, locale formats, plurals, reproducibility."""

from siteassertions import assert_site, tree_bytes

from patientsite.cli import main


def build(root, out, capsys):
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    return capsys.readouterr()


def test_small_site_structure(site_root, tmp_path, capsys):
    out = tmp_path / "site"
    printed = build(site_root, out, capsys)
    assert "it  Italiano      3 pages written; rendering took " in printed.out
    assert "ru  Русский       3 pages" in printed.out
    pages = assert_site(out, "https://clinic.example/", ["it", "en", "ru"], "it")
    ru = pages["ru/procedura/index.html"]
    assert ru.facts["course.sessions"] == ["10–12\u00a0сеансов", "10–12\u00a0сеансов"]
    assert ru.facts["course.sessions.short"] == ["2–4\u00a0сеанса"]
    assert ru.facts["one.session"] == ["1\u00a0сеанс"] and ru.facts["five.sessions"] == ["5\u00a0сеансов"]
    assert ru.facts["point.volume"][0] == "0,05–0,1\u00a0мл" and ru.facts["interval"] == ["7–30\u00a0дней"]
    it = pages["it/il-trattamento/index.html"]
    assert it.facts["point.volume"][0] == "0,05–0,1\u00a0ml" and it.facts["course.sessions"][0] == "10–12\u00a0sedute"
    en = pages["en/the-treatment/index.html"]
    assert en.facts["point.volume"][0] == "0.05–0.1\u00a0ml" and en.facts["one.session"] == ["1\u00a0session"]
    assert "20 November 2026" in en.text and "20 novembre 2026" in it.text and "20 ноября 2026" in ru.text
    # a fact used inside a list item's words is rendered too
    assert pages["ru/protivopokazaniya/index.html"].facts["interval"] == ["7–30\u00a0дней"]


def test_the_same_input_builds_byte_identical_output(site_root, tmp_path, capsys):
    build(site_root, tmp_path / "one", capsys)
    printed = build(site_root, tmp_path / "two", capsys)
    assert "en  English       3 pages written; all unchanged, from the cache" in printed.out
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_review_report_lists_disagreements_and_corrections(site_root, tmp_path, capsys):
    build(site_root, tmp_path / "site", capsys)
    report = (site_root / "reports/review.md").read_text()
    assert "### course.sessions (content/facts.yaml:5)" in report
    assert ('- 10–14 sedute: "da 10 a 14 sedute" (content/facts.yaml:8). Source: doc-a «Documento A» (a.txt, it).'
            in report)
    assert "- Decision: it: 10–12 sedute; en: 10–12 sessions; ru: 10–12 сеансов" in report
    assert "- It says: 10-20 cubes" in report
    assert not (tmp_path / "site" / "reports").exists()


def test_example_clinic_details_give_a_warning(tmp_path, capsys):
    from sitefiles import SITE_YAML, make_site

    root = make_site(tmp_path / "p", {"site.yaml": SITE_YAML.replace("clinic:\n", "clinic:\n  example: true\n")})
    printed = build(root, tmp_path / "site", capsys)
    assert ("warning: site.yaml:3: the clinic's name, address, phone and e-mail are still the shipped examples\n"
            "    Replace them with the clinic's real details, then delete the line 'example: true'.") in printed.err
