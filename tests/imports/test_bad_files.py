"""Files that are large, wide-encoded, booby-trapped or broken: read within bounds, or
refused with a French message per file, in the page and in the command; never a 500."""

import codecs
import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test.utils import override_settings
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from solidaire.imports.readers import ReadError, read_capped, read_document
from tests.factories import PASSWORD, make_campaign
from tests.imports.factories import make_pdf, sample_text

TEXT = "Bulletin n°6 — Visières à Lens : « solidaires » avec les soignants.\nDeuxième ligne."


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
    ],
)
@pytest.mark.parametrize("with_bom", [True, False])
def test_it_reads_utf16_and_utf32_with_or_without_a_byte_order_mark(encoding, bom, with_bom):
    data = (bom if with_bom else b"") + TEXT.encode(encoding)
    text, fmt = read_document(data, "bulletin.txt")
    assert text == TEXT
    assert fmt == "txt"


def test_a_real_binary_file_is_still_refused():
    with pytest.raises(ReadError, match="pas un texte"):
        read_document(bytes(range(256)) * 20, "image.txt")


def bomb_pdf(inflated: int) -> bytes:
    """A one-page PDF whose content stream is small compressed and ``inflated`` bytes open."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 10 Tf 40 800 Td (x) Tj ET\n" + b" " * inflated)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@override_settings(IMPORT_PDF_MAX_STREAM_BYTES=1_000_000)
def test_a_pdf_that_inflates_past_the_limit_is_refused_in_french():
    data = bomb_pdf(inflated=30_000_000)
    assert len(data) < 100_000  # small on disk, thirty times the limit once open
    with pytest.raises(ReadError, match="se décompresse au-delà de 1 Mo"):
        read_document(data, "piege.pdf")


@override_settings(IMPORT_PDF_MAX_PAGES=2)
def test_a_pdf_with_too_many_pages_is_refused_before_reading_them():
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ReadError, match="3 pages.*limite est de 2 pages"):
        read_document(buffer.getvalue(), "long.pdf")


def test_a_broken_pdf_is_refused_in_french():
    data = make_pdf("Bonjour")[:-400] + b"garbage"
    with pytest.raises(ReadError, match="PDF"):
        read_document(data.replace(b"/Pages", b"/Pagex"), "casse.pdf")


@override_settings(IMPORT_MAX_BYTES=1000)
def test_reading_stops_at_the_limit_whatever_the_announced_size():
    with pytest.raises(ReadError, match="trop volumineux"):
        read_capped(io.BytesIO(b"x" * 5000), size=10)  # the size lied
    with pytest.raises(ReadError, match="trop volumineux"):
        read_capped(io.BytesIO(b""), size=5000)  # refused before any read
    assert read_capped(io.BytesIO(b"x" * 1000)) == b"x" * 1000


@pytest.fixture
def moderator_client(client, moderator62):
    client.login(username=moderator62.username, password=PASSWORD)
    return client


@pytest.mark.django_db
@override_settings(IMPORT_PDF_MAX_STREAM_BYTES=1_000_000)
def test_the_upload_page_says_why_a_booby_trapped_pdf_is_refused(moderator_client):
    campaign = make_campaign()
    response = moderator_client.post(
        "/gestion/imports/",
        {
            "file": SimpleUploadedFile("piege.pdf", bomb_pdf(inflated=30_000_000)),
            "department": "62",
            "campaign": campaign.pk,
        },
    )
    assert response.status_code == 200
    assert "PDF refusé\u00a0: un de ses contenus se décompresse au-delà de 1 Mo" in (
        response.content.decode()
    )


@pytest.mark.django_db
@override_settings(IMPORT_MAX_BYTES=10_000)
def test_an_upload_announced_too_large_is_refused_before_its_body_is_read(moderator_client):
    response = moderator_client.generic(
        "POST",
        "/gestion/imports/",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10_000_000),
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()


@pytest.mark.django_db
@override_settings(IMPORT_PDF_MAX_STREAM_BYTES=1_000_000)
def test_the_command_names_each_refused_file_and_imports_the_others(tmp_path):
    make_campaign()
    bomb = tmp_path / "piege.pdf"
    bomb.write_bytes(bomb_pdf(inflated=30_000_000))
    good = tmp_path / "n06.txt"
    good.write_text(sample_text(), encoding="utf-16")
    out, err = StringIO(), StringIO()
    call_command("import_bulletin", str(bomb), str(good), "--dry-run", stdout=out, stderr=err)
    assert "piege.pdf : PDF refusé : un de ses contenus se décompresse" in err.getvalue()
    assert "1 document(s) importé(s), 1 en échec." in err.getvalue()
    with pytest.raises(CommandError, match="Aucun document"):
        call_command("import_bulletin", str(bomb), stdout=StringIO(), stderr=StringIO())


def test_a_long_stretch_without_initiative_is_shortened_on_the_review_page():
    from solidaire.imports.highlight import OUTSIDE_MAX, segments

    text = "Intro. " + "x" * 50_000 + " Fin du préambule.\n\nLes masques de Lens.\n\n" + "y" * 9000
    start = text.index("Les masques")
    result = {"spans": [[start, start + 20]], "initiatives": [{"evidence": []}]}
    parts = segments(text, result)
    assert [p["box"] for p in parts] == [False, True, False]
    assert "Les masques de Lens" in str(parts[1]["html"])  # the initiative, whole
    for outside in (parts[0], parts[2]):
        html = str(outside["html"])
        assert "caractères sans initiative repérée" in html
        assert len(html) < OUTSIDE_MAX + 200
    assert str(parts[0]["html"]).startswith("Intro.")
    assert "Fin du préambule." in str(parts[0]["html"])  # its end is kept too
