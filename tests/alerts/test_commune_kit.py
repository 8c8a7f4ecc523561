"""A commune's A4 sheet (PDF with its initiatives' contacts and a QR code) and its
embeddable block (iframe document, plain HTML, JSON), the only framable routes."""

import io
import json

import pytest
import segno
from pypdf import PdfReader

from solidaire.alerts.commune_kit import qr_data_uri
from solidaire.initiatives.models import Status
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def calais():
    here = make_initiative(
        title="Visières pour les soignants",
        communes=["62193"],
        contacts=[("phone", "+33321000001"), ("email", "visieres@exemple.test")],
        actor_name="Fablab du Calaisis",
    )
    covering = make_initiative(
        title="Plateforme d'écoute",
        communes=[],
        departments=["62"],
        contacts=[("url", "https://ecoute.exemple.test/")],
    )
    mairie = make_initiative(
        title="Courses pour les aînés", communes=["62193"], contacts=[("mairie", "62193")]
    )
    make_initiative(title="Terminée", communes=["62193"], status=Status.ARCHIVED)
    make_initiative(title="À Arras", communes=["62041"])
    return here, covering, mairie


def test_the_sheet_of_calais_holds_its_initiatives_contacts(client, calais):
    response = client.get("/communes/62193/fiche.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())
    for expected in (
        "Initiatives de solidarité à Calais",
        "Visières pour les soignants",
        "03 21 00 00 01",
        "visieres@exemple.test",
        "https://ecoute.exemple.test/",
        "Auprès de la mairie de Calais",
    ):
        assert expected in text, expected
    assert "Terminée" not in text and "À Arras" not in text
    # The QR code, the sheet's only image.
    assert len(reader.pages[0].images) == 1


def test_the_qr_code_encodes_the_commune_page():
    qr = segno.make("http://127.0.0.1:8000/communes/62193/", error="m")
    assert qr_data_uri("http://127.0.0.1:8000/communes/62193/") == qr.png_data_uri(
        scale=8, border=2
    )
    assert qr_data_uri("http://127.0.0.1:8000/communes/62041/") != qr.png_data_uri(
        scale=8, border=2
    )


def test_the_embed_routes_alone_may_be_framed(client, calais):
    embed = client.get("/communes/62193/encart/")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "Visières pour les soignants" in embed.content.decode()
    page = client.get("/communes/62193/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    body = page.content.decode()
    assert "&lt;iframe src=&quot;" in body or '&lt;iframe src="' in body
    assert "/communes/62193/encart/" in body


def test_the_plain_html_and_json_versions(client, calais):
    here, covering, mairie = calais
    fragment = client.get("/communes/62193/encart.html")
    assert fragment["Access-Control-Allow-Origin"] == "*"
    html = fragment.content.decode()
    assert "<script" not in html and "style=" not in html
    assert html.lstrip().startswith('<section class="ts-encart"')
    data = json.loads(client.get("/communes/62193/encart.json").content)
    assert data["commune"]["name"] == "Calais"
    ids = [item["id"] for item in data["initiatives"]]
    assert set(ids) >= {here.pk, covering.pk, mairie.pk}
    first = next(item for item in data["initiatives"] if item["id"] == here.pk)
    assert {"kind": "phone", "label": "03 21 00 00 01", "url": "tel:+33321000001"} in first[
        "contacts"
    ]
    assert "submitter" not in json.dumps(data)


def test_an_unknown_commune_is_a_404(client):
    for path in ("fiche.pdf", "encart/", "encart.html", "encart.json"):
        assert client.get(f"/communes/99999/{path}").status_code == 404
