"""OWASP's XSS and CSV-injection payloads, sent through the public form, published by a
moderator and relayed in a published bulletin, come out neutralised in every output.

Neutralised means: in HTML (pages, fragments, e-mails, and feed texts, which readers render
as HTML) no <script> carrying the payload, no on* attribute, no javascript: URL; in a PDF
the payload is text and no link runs script; JSON is served as JSON, never sniffed as HTML;
no CSV cell starts with a formula character unless it is a number.
"""

import csv
import io
import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from solidaire.accounts.models import User
from solidaire.bulletins.models import Subscriber, SubscriberStatus
from solidaire.bulletins.services import bulletin_create_draft, bulletin_publish
from solidaire.initiatives.models import Initiative
from solidaire.initiatives.services import initiative_publish
from solidaire.lib.untrusted import FORMULA_STARTS
from solidaire.opendata.figures import CHART_SLUGS
from solidaire.opendata.full_exports import exports_build
from tests.bulletins.factories import make_series
from tests.database import module_data
from tests.factories import make_campaign, make_staff
from tests.initiatives.factories import propose_data

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
JS_LINK = "[clic](javascript:alert(1))"
HYPERLINK = '=HYPERLINK("http://evil","x")'

FIELDS = {
    "title": f"{HYPERLINK} {SCRIPT}",
    "actor_name": f"+cmd {SVG}",
    "beneficiaries": f"-1+1 {IMG}",
    "description": (
        f'@SUM(1) {SCRIPT} {IMG} {SVG} {JS_LINK} <a href="javascript:alert(1)">lien</a>\n\n'
        "Des visières pour les soignants."
    ),
    "submitter_name": f"Camille {SCRIPT}",
}
MARKER = "HYPERLINK"  # in the title: proves each output carries the payload


def strings(value) -> list[str]:
    """Every string of a decoded JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


class _Markup(HTMLParser):
    """Collects what would run in a browser."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "data") and (
                re.sub(r"\s", "", value).startswith("javascript:")
            ):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("<img src=x>")
        if tag == "svg" and self.rawdata.count("alert(1)"):
            attributes = " ".join(n for n, _ in attrs)
            if "onload" in attributes:
                self.problems.append("<svg onload>")
        self._script = tag == "script"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script and "alert(" in data:
            self.problems.append(f"<script>{data[:40]}")


def markup_problems(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.problems


def assert_html_safe(html: str, where: str, *, marker: str | None = MARKER):
    assert markup_problems(html) == [], where
    if marker:
        assert marker in html, f"{where}: the payload is not in this output"


def assert_feed_safe(content: bytes, where: str):
    root = ElementTree.fromstring(content)
    texts = []
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not value.strip().lower().startswith("javascript:"), (where, name)
        if element.text and element.text.strip():
            # Readers render titles and summaries as HTML: check them as such.
            assert markup_problems(element.text) == [], (where, element.tag, element.text)
            texts.append(element.text)
    assert MARKER in " ".join(texts), f"{where}: the payload is not in this feed"


def is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", "."))
    except ValueError:
        return False
    return True


def assert_csv_safe(text: str, where: str, *, delimiter=",", marker: str | None = HYPERLINK):
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))
    assert rows, where
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                assert is_number(cell), (where, cell)
    if marker:
        cells = [cell for row in rows for cell in row]
        assert any(cell.lower().startswith("'" + marker.lower()) for cell in cells), where


def _build():
    mail.outbox = []
    campaign = make_campaign()
    moderator = make_staff("modo-sortie", moderator=["62"])
    editor = make_staff("editeur-sortie", editor=["62"])
    browser = Client()
    browser.get("/initiatives/proposer/")
    data = propose_data(
        campaign=campaign,
        quantities=[(5, "@SUM(1) visières", "-1+1")],
        contacts=[("phone", "03 21 61 36 10")],
        **FIELDS,
    )
    response = browser.post("/initiatives/proposer/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    initiative = Initiative.objects.get(submitter_email=data["submitter_email"])
    initiative_publish(initiative=initiative, by=moderator)
    series = make_series(campaign=campaign)
    Subscriber.objects.create(
        series=series, email="lecteur@exemple.test", status=SubscriberStatus.CONFIRMED
    )
    bulletin = bulletin_create_draft(series=series, by=editor, initiatives=[initiative])
    bulletin = bulletin_publish(bulletin=bulletin, by=editor, send=True)
    return {
        "initiative": initiative.pk,
        "campaign": campaign.slug,
        "series": series.slug,
        "bulletin": bulletin.get_absolute_url(),
        "moderator": moderator.pk,
        "outbox": list(mail.outbox),
    }


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker, _build) as rows:
        yield rows


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


PAGES = [
    "/initiatives/{initiative}/",
    "/initiatives/",
    "/initiatives/?q=visieres",
    "/communes/62193/",
    "/carte/communes/62193/",
    "/",
    "/chiffres/",
    "{bulletin}",
    "/bulletins/{series}/",
]


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_show_the_payload_as_text(client, published, url):
    url = url.format(**published)
    marker = (
        None if url in ("/", "/chiffres/", "/bulletins/{series}/".format(**published)) else MARKER
    )
    assert_html_safe(_get(client, url).content.decode(), url, marker=marker)


def test_the_moderation_pages_show_the_payload_as_text(client, published):
    client.force_login(User.objects.get(pk=published["moderator"]))
    for url in ("/gestion/?status=published", f"/gestion/initiatives/{published['initiative']}/"):
        assert_html_safe(_get(client, url).content.decode(), url)


FEEDS = [
    "/flux/initiatives/{campaign}/rss/",
    "/flux/initiatives/{campaign}/atom/",
    "/flux/communes/62193/rss/",
    "/flux/communes/62193/atom/",
]


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_carry_plain_text_titles_and_cleaned_summaries(client, published, url):
    url = url.format(**published)
    assert_feed_safe(_get(client, url).content, url)


@pytest.mark.parametrize("url", ["/flux/bulletins/{series}/rss/", "/flux/bulletins/{series}/atom/"])
def test_bulletin_feeds_are_safe(client, published, url):
    url = url.format(**published)
    root = ElementTree.fromstring(_get(client, url).content)
    for element in root.iter():
        if element.text:
            assert markup_problems(element.text) == [], (url, element.text)


def test_the_bulletin_pdf_holds_the_payload_as_text_and_no_script_link(client, published):
    response = client.get(published["bulletin"] + "pdf")
    if response.status_code == 503:
        pytest.skip("WeasyPrint's fonts are missing on this machine")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "<script>alert(1)</script>" in text  # drawn as text, not interpreted
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert not str(action.get("/URI", "")).lower().startswith("javascript:")
            assert action.get("/S") != "/JavaScript"
    assert "/JavaScript" not in str(reader.trailer["/Root"].get("/Names", {}))


def test_e_mails_are_plain_text_or_safe_html(published):
    outbox = published["outbox"]
    assert len(outbox) >= 2  # the submitter's acknowledgement and the bulletin
    carried = 0
    for message in outbox:
        if "<" in message.subject:
            assert markup_problems(message.subject) == []
        alternatives = [c for c, mime in getattr(message, "alternatives", []) if "html" in mime]
        for html in alternatives:
            assert_html_safe(html, message.subject, marker=None)
        carried += any(MARKER in part for part in [message.body, *alternatives])
    assert carried  # at least one e-mail relays the payload


def test_the_api_serves_the_payload_as_json_data(client, published):
    for url in ("/api/v1/initiatives/", f"/api/v1/initiatives/{published['initiative']}/"):
        response = _get(client, url)
        assert response["Content-Type"].startswith("application/json"), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert FIELDS["title"] in strings(response.json()), url  # data, not markup


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/donnees/initiatives.json", "application/json"),
        ("/donnees/initiatives.geojson", "application/geo+json"),
    ],
)
def test_json_exports_are_served_as_json(client, published, url, content_type):
    response = _get(client, url)
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith(content_type)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert FIELDS["title"] in strings(json.loads(body))


def test_data_inclusion_files_carry_the_fields_as_data(client, published, db):
    exports_build()
    for url in ("/donnees/data-inclusion-services.json", "/donnees/data-inclusion-structures.json"):
        response = _get(client, url)
        assert response["Content-Type"].startswith("application/json"), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        values = strings(json.loads(b"".join(response.streaming_content)))
        expected = FIELDS["title"] if "services" in url else FIELDS["actor_name"]
        assert any(expected[:40] in value for value in values), url


@pytest.mark.parametrize(
    ("url", "delimiter"),
    [("/donnees/initiatives.csv", ","), ("/donnees/initiatives-tableur.csv", ";")],
)
def test_csv_exports_neutralise_formulas(client, published, url, delimiter):
    response = _get(client, url)
    body = b"".join(response.streaming_content).decode()
    assert_csv_safe(body, url, delimiter=delimiter)
    assert "'+cmd" in body and "'-1+1" in body and "'@SUM(1)" in body


@pytest.mark.parametrize("slug", CHART_SLUGS)
def test_the_figures_csvs_neutralise_formulas(client, published, slug):
    url = f"/chiffres/{slug}.csv"
    body = _get(client, url).content.decode()
    assert_csv_safe(body, url, marker="@SUM" if slug == "quantites" else None)
