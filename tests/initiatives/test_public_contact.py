"""Every published initiative says how to act: the publishing rule and the mairie contact."""

import csv
import io
import re

import pytest

from solidaire.bulletins.compose import generate_contact
from solidaire.initiatives.contacts import contact_view, contact_views, mairie_url
from solidaire.initiatives.models import ContactKind, Initiative, Status, Transition
from solidaire.initiatives.services import (
    NO_PUBLIC_CONTACT,
    TransitionError,
    initiative_bulk_publish,
    initiative_publish,
    normalize_contact,
)
from tests.factories import make_initiative
from tests.initiatives.factories import propose_data

pytestmark = pytest.mark.django_db

ANNUAIRE_RE = re.compile(
    r"^https://lannuaire\.service-public\.fr/navigation/mairie\?where=(\d[\dAB]\d{3})$"
)


def test_it_refuses_to_publish_an_initiative_without_a_public_contact(moderator62):
    initiative = make_initiative(status=Status.SUBMITTED, contacts=[])
    with pytest.raises(TransitionError) as refused:
        initiative_publish(initiative=initiative, by=moderator62)
    assert refused.value.messages == [NO_PUBLIC_CONTACT]
    assert "auprès de la mairie" in NO_PUBLIC_CONTACT
    initiative.refresh_from_db()
    assert (initiative.status, initiative.published_at) == (Status.SUBMITTED, None)
    assert not Transition.objects.filter(initiative=initiative).exists()


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("phone", "+33321613610"),
        ("email", "contact@exemple.test"),
        ("url", "https://exemple.test/"),
        ("mairie", "62193"),
    ],
)
def test_any_public_contact_allows_publishing(moderator62, kind, value):
    initiative = make_initiative(status=Status.SUBMITTED, contacts=[(kind, value)])
    initiative_publish(initiative=initiative, by=moderator62)
    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED


def test_bulk_publication_leaves_the_initiatives_without_contact_as_they_are(moderator62):
    ready = make_initiative(title="Prête", status=Status.SUBMITTED)
    bare = make_initiative(title="Sans contact", status=Status.SUBMITTED, contacts=[])
    assert initiative_bulk_publish(initiatives=[ready, bare], by=moderator62) == 1
    statuses = dict(Initiative.objects.values_list("title", "status"))
    assert statuses == {"Prête": Status.PUBLISHED, "Sans contact": Status.SUBMITTED}


def test_a_mairie_contact_is_a_known_communes_insee_code():
    assert normalize_contact(ContactKind.MAIRIE, " 62193 ") == "62193"
    with pytest.raises(Exception, match="commune"):
        normalize_contact(ContactKind.MAIRIE, "99999")


def test_the_mairie_links_to_its_entry_in_the_annuaire_de_l_administration():
    view = contact_view("mairie", "62193")
    assert view.label == "Auprès de la mairie de Calais"
    assert ANNUAIRE_RE.match(view.url).group(1) == "62193"
    assert mairie_url("2A004") == view.url.replace("62193", "2A004")
    portel = contact_views([("mairie", "62667"), ("phone", "+33321613610")])
    assert [v.label for v in portel] == ["Auprès de la mairie du Portel", "03 21 61 36 10"]
    assert portel[1].url == "tel:+33321613610"


def test_the_public_page_bulletin_export_and_api_render_the_mairie(visitor):
    initiative = make_initiative(contacts=[("mairie", "62160"), ("mairie", "62667")])
    html = visitor.get(initiative.get_absolute_url()).content.decode()
    assert "Auprès de la mairie de Boulogne-sur-Mer" in html
    assert f'href="{mairie_url("62667")}"' in html
    assert generate_contact(initiative) == (
        "Contact",
        "auprès des mairies de Boulogne-sur-Mer et du Portel",
    )
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(visitor.get("/donnees/initiatives.csv").streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0]["public_contacts"].startswith(
        f"Auprès de la mairie de Boulogne-sur-Mer ({mairie_url('62160')})"
    )
    body = visitor.get(f"/api/v1/initiatives/{initiative.pk}/").json()
    assert body["public_contacts"][1] == {
        "kind": "mairie",
        "value": "62667",
        "label": "Auprès de la mairie du Portel",
        "url": mairie_url("62667"),
    }


def test_the_proposal_form_offers_the_mairie_and_reads_the_commune_as_typed(client):
    html = client.get("/initiatives/proposer/").content.decode()
    assert '<option value="mairie">Auprès de la mairie</option>' in html
    data = propose_data(contacts=[("mairie", "Calais")])
    assert client.post("/initiatives/proposer/", data).status_code == 302
    contact = Initiative.objects.get().contacts.get()
    assert (contact.kind, contact.value) == ("mairie", "62193")


def test_an_unknown_commune_for_the_mairie_is_refused_and_kept(client):
    data = propose_data(contacts=[("mairie", "Zzyzxville")])
    response = client.post("/initiatives/proposer/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Aucune commune ne correspond à «\u00a0Zzyzxville\u00a0»" in html
    assert 'value="Zzyzxville"' in html
