import io
import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from solidaire.bulletins import pdf as pdf_module
from solidaire.bulletins.services import bulletin_correct
from tests.bulletins import demo_n06

pytestmark = pytest.mark.django_db

# The n°6 built once for the module, and its PDF (shared with the other module that reads them).
demo_rows, demo, demo_pdf = demo_n06.demo_rows, demo_n06.demo, demo_n06.demo_pdf

# Kept out of git (/test-results/ is ignored) so it can be looked at after a run.
SCREENSHOT = Path(__file__).resolve().parents[2] / "test-results" / "bulletin-n06-page1.png"


def normalise(text: str) -> str:
    """Join lines, fold every kind of space to one, straighten apostrophes."""
    text = text.replace("’", "'")
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return normalise(" ".join(page.extract_text() for page in reader.pages))


def test_the_demo_pdf_holds_title_dateline_sections_and_contacts_in_order(demo_pdf):
    text = pdf_text(demo_pdf)
    expected_in_order = [
        "PRÉFET DU PAS-DE-CALAIS",
        "Liberté Égalité Fraternité",
        "Arras, le 24 avril 2020",
        "Covid-19 : le Pas-de-Calais solidaire n°6",
        "Solidaires dans l'approvisionnement et la production de matériel de protection",
        "https://www.facebook.com/lanterne.noire.tattoo/",
        "https://www.facebook.com/MDNIduCalaisis/",
        "solidarité.grandarras@cu-arras.org",
        "https://www.facebook.com/airesurlalysofficiel/",
        "Solidaires avec les personnels soignants",
        "https://www.facebook.com/BarbierGerdan62",
        "https://www.facebook.com/RedTigersLens94/",
        "Solidaires avec les personnes confinées",
        "https://www.facebook.com/preventionspecialiseecarvinlibercourt",
        "auprès des mairies concernées",
        "03 21 61 36 10",
        "https://covid19.reserve-civique.gouv.fr/",
    ]
    positions = [text.find(needle) for needle in expected_in_order]
    missing = [n for n, p in zip(expected_in_order, positions, strict=True) if p < 0]
    assert not missing, missing
    assert positions == sorted(positions)
    assert re.search(r"Page 1 sur \d", text)  # page numbers from @page counters


def test_the_demo_pdf_uses_french_typography_and_embeds_its_fonts(demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    raw = " ".join(page.extract_text() for page in reader.pages)
    assert "1\u00a0300 visières" in raw
    assert "Plus d’information\u00a0:" in raw
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]))
    assert any("Marianne" in f for f in fonts)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and str(root["/Lang"]) == "fr"


def test_links_are_never_broken_across_lines(demo_pdf):
    lines = [
        line
        for page in PdfReader(io.BytesIO(demo_pdf)).pages
        for line in page.extract_text().splitlines()
    ]
    for url in [
        "https://www.facebook.com/preventionspecialiseecarvinlibercourt",
        "https://www.facebook.com/lanterne.noire.tattoo/",
        "https://covid19.reserve-civique.gouv.fr/",
    ]:
        assert any(url in line for line in lines), url


def test_the_first_page_renders_to_png(demo_pdf, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.fail(
            "pdftoppm est introuvable : installez le paquet Debian poppler-utils (make test le fait)."
        )
    source = tmp_path / "n06.pdf"
    source.write_bytes(demo_pdf)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            source,
            SCREENSHOT.with_suffix(""),
        ],
        check=True,
    )
    assert SCREENSHOT.stat().st_size > 10_000


def test_the_pdf_is_cached_per_revision(demo, client, monkeypatch):
    bulletin, _ = demo
    calls = []
    real = pdf_module.render_pdf

    def counting(snapshot):
        calls.append(snapshot["revision"])
        return real(snapshot)

    monkeypatch.setattr(pdf_module, "render_pdf", counting)
    url = "/bulletins/pas-de-calais-solidaire/6/pdf"
    client.get(url)
    client.get(url)
    assert calls == [1]
    bulletin_correct(bulletin=bulletin, note="Coquille")
    assert client.get(url).status_code == 200  # a new revision renders anew
    assert calls == [1, 2]


def test_a_renderer_failure_keeps_the_page_and_says_the_pdf_is_unavailable(
    demo, client, monkeypatch, caplog
):
    def broken(snapshot):
        raise OSError("cannot load font")

    monkeypatch.setattr(pdf_module, "render_pdf", broken)
    with caplog.at_level(logging.ERROR, logger="solidaire.bulletins.pdf"):
        response = client.get("/bulletins/pas-de-calais-solidaire/6/pdf")
    assert response.status_code == 503
    assert "momentanément indisponible" in response.content.decode()
    assert any("PDF rendering failed" in r.message for r in caplog.records)

    page = client.get("/bulletins/pas-de-calais-solidaire/6/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "PDF momentanément indisponible" in html
    assert "/bulletins/pas-de-calais-solidaire/6/pdf" not in html


def test_a_missing_font_makes_the_pdf_unavailable_on_the_page(demo, client, monkeypatch):
    monkeypatch.setattr(
        pdf_module, "FONT_FAMILIES", [("Nulle", Path("/nonexistent"), {(400, "normal"): "x"})]
    )
    html = client.get("/bulletins/pas-de-calais-solidaire/6/").content.decode()
    assert "PDF momentanément indisponible" in html
    assert client.get("/bulletins/pas-de-calais-solidaire/6/pdf").status_code == 503
