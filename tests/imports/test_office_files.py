"""What mayors send: e-mails (body and attachments, each a document), Word files with
tracked changes, OpenDocument texts; and the bad ones (an e-mail without text, a protected
PDF or Word file, a list of every commune), refused with a French message per file, no
drafts, and a non-zero exit code when nothing could be imported."""

import io
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from pypdf import PdfReader, PdfWriter

from solidaire.imports.models import ImportedDocument
from solidaire.imports.readers import ReadError, read_document, read_document_noted, split_email
from solidaire.imports.services import ImportFailed, document_analyse
from solidaire.initiatives.models import Initiative
from solidaire.territory.models import Commune
from tests.factories import PASSWORD, make_campaign
from tests.imports.factories import make_pdf
from tests.imports.office import FILLIERE, PABU, make_docx, make_eml, make_odt

SENT = datetime(2020, 5, 18, 9, 30, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def test_a_docx_keeps_tracked_insertions_and_drops_deletions():
    data = make_docx(
        [["Les bénévoles ", ("del", "de Lens "), ("ins", "de Liévin "), "cousent des masques."]],
        heading="Masques",
    )
    text, fmt, notes = read_document_noted(data, "courrier.docx")
    assert fmt == "docx"
    assert text == "# Masques\n\nLes bénévoles de Liévin cousent des masques."
    assert notes and "modifications suivies" in notes[0]


def test_an_odt_drops_its_tracked_deletions():
    data = make_odt(["Les bénévoles cousent des masques."], heading="Masques", deleted="Rayé")
    text, fmt, notes = read_document_noted(data, "courrier.odt")
    assert (fmt, text) == ("odt", "# Masques\n\nLes bénévoles cousent des masques.")
    assert notes


def test_an_email_gives_its_body_and_each_readable_attachment():
    data = make_eml(
        subject="Masques à Pabu",
        body=PABU,
        sent=SENT,
        attachments=[
            ("compte-rendu.docx", "application/octet-stream", make_docx(FILLIERE)),
            ("affiche.png", "image/png", PNG),
        ],
    )
    parts, skipped = split_email(data, "mairie.eml")
    assert [name for name, _ in parts] == [
        "mairie.eml › message.txt",
        "mairie.eml › compte-rendu.docx",
    ]
    assert skipped == ["affiche.png"]
    body, _ = read_document(parts[0][1], parts[0][0])
    assert body.startswith("Objet : Masques à Pabu\nDate : 18 mai 2020\n\nSamedi dernier")


@pytest.mark.parametrize(
    "data, message",
    [
        (
            make_eml(
                subject="Affiche", body=None, sent=SENT, attachments=[("a.png", "image/png", PNG)]
            ),
            "seulement a.png",
        ),
        (make_eml(subject="Vide", body="", sent=SENT), "aucun texte à importer"),
        (b"pas un courriel du tout", "pas un courriel"),
    ],
    ids=["only-images", "no-text-part", "no-headers"],
)
def test_an_email_without_text_is_refused_in_french(data, message):
    with pytest.raises(ReadError, match=message):
        split_email(data, "mairie.eml")


def _protected_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf("Masques à Lens."))))
    writer.encrypt(user_password="secret", owner_password="secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("bulletin.pdf", _protected_pdf(), "PDF protégé par un mot de passe"),
        # An encrypted Word file is an OLE compound file, not a zip.
        ("courrier.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Word protégé"),
        ("courrier.odt", make_odt(["Texte."], encrypted=True), "OpenDocument protégé"),
        ("courrier.docx", b"PK\x03\x04 broken", "docx illisible"),
    ],
    ids=["pdf", "docx", "odt", "broken-docx"],
)
def test_a_protected_or_broken_office_file_is_refused_in_french(name, data, message):
    with pytest.raises(ReadError, match=message):
        read_document(data, name)


@pytest.mark.django_db
def test_a_list_of_every_commune_is_refused_as_no_initiatives():
    names = list(Commune.objects.filter(department_id="62").values_list("name", flat=True)[:500])
    text = "Communes du Pas-de-Calais : " + ", ".join(names) + "."
    with pytest.raises(ImportFailed, match=r"liste de \d+ communes, pas des initiatives"):
        document_analyse(text=text, name="liste.txt", department="62")
    assert not ImportedDocument.objects.exists()


@pytest.mark.django_db
def test_the_command_imports_an_email_part_by_part_and_says_what_it_skipped(tmp_path):
    make_campaign()
    path = tmp_path / "mairie.eml"
    path.write_bytes(
        make_eml(
            subject="Pabu : distribution de masques",
            body=PABU,
            sent=SENT,
            attachments=[("affiche.png", "image/png", PNG)],
        )
    )
    out, err = StringIO(), StringIO()
    call_command("import_bulletin", str(path), "--department", "22", stdout=out, stderr=err)
    assert "affiche.png" in err.getvalue()
    assert "mairie.eml › message.txt : 1 initiative(s) trouvée(s)" in out.getvalue()
    initiative = Initiative.objects.get()
    assert initiative.title == "Confection de masques par des bénévoles à Pabu"
    assert initiative.start_date.isoformat() == "2020-05-09"


@pytest.mark.django_db
def test_the_command_exits_non_zero_when_no_file_could_be_imported(tmp_path):
    make_campaign()
    bad = tmp_path / "affiche.eml"
    bad.write_bytes(
        make_eml(subject="Affiche", body=None, sent=SENT, attachments=[("a.png", "image/png", PNG)])
    )
    locked = tmp_path / "courrier.docx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    err = StringIO()
    with pytest.raises(CommandError, match="Aucun document"):
        call_command("import_bulletin", str(bad), str(locked), stdout=StringIO(), stderr=err)
    assert "affiche.eml : Ce courriel ne contient aucun texte" in err.getvalue()
    assert "courrier.docx : Document Word protégé" in err.getvalue()
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_the_upload_page_reads_an_email_and_reviews_its_first_document(client, moderator62):
    campaign = make_campaign()
    client.login(username=moderator62.username, password=PASSWORD)
    data = make_eml(
        subject="Masques",
        body=PABU.replace("Pabu", "Lens"),
        sent=SENT,
        attachments=[("cr.odt", "application/octet-stream", make_odt(FILLIERE))],
    )
    response = client.post(
        "/gestion/imports/",
        {
            "file": SimpleUploadedFile("mairie.eml", data),
            "department": "62",
            "campaign": campaign.pk,
        },
    )
    assert response.status_code == 302
    assert ImportedDocument.objects.count() == 2
    first = ImportedDocument.objects.get(source_name="mairie.eml › message.txt")
    assert response["Location"].endswith(f"/gestion/imports/{first.pk}/")


@pytest.mark.django_db
def test_the_upload_page_says_why_an_email_without_text_is_refused(client, moderator62):
    campaign = make_campaign()
    client.login(username=moderator62.username, password=PASSWORD)
    data = make_eml(
        subject="Affiche", body=None, sent=SENT, attachments=[("a.png", "image/png", PNG)]
    )
    response = client.post(
        "/gestion/imports/",
        {"file": SimpleUploadedFile("a.eml", data), "department": "62", "campaign": campaign.pk},
    )
    assert response.status_code == 200
    assert "aucun texte" in " ".join(response.context["form"].non_field_errors())
    assert not ImportedDocument.objects.exists()
