import io
import json

import pytest
from django.core.management import call_command

from solidaire.accounts.models import User
from solidaire.initiatives.demo import DEMO, EXPECTED, contacts_of, read
from solidaire.initiatives.models import Campaign, Initiative, Status, Theme

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_publishes_the_eleven_initiatives_of_bulletin_6_in_the_samples_order():
    run()
    initiatives = list(Initiative.objects.order_by("published_at"))
    assert len(initiatives) == 11
    assert {i.status for i in initiatives} == {Status.PUBLISHED}
    assert all(i.published_at.strftime("%Y-%m") == "2020-04" for i in initiatives)
    for initiative in initiatives:
        steps = list(initiative.transitions.all())
        # Published in 2020, then checked when the demo is loaded (freshness.py).
        published = Status.PUBLISHED
        assert [s.to_status for s in steps] == [Status.SUBMITTED, published, published]
        assert steps[0].created_at < steps[1].created_at == initiative.published_at
        assert steps[2].message == "Vérifiée par la préfecture."
        assert initiative.verified_at == steps[2].created_at > initiative.published_at
    sample = json.loads(EXPECTED.read_text())["initiatives"]
    assert [i.actor_name for i in initiatives] == [item["actor"] for item in sample]
    assert [sorted(p.commune_id for p in i.places.all() if p.commune_id) for i in initiatives] == [
        sorted(item["communes"]) for item in sample
    ]


def test_the_demo_matches_the_samples_expected_places_and_contacts():
    run()
    expected = json.loads(EXPECTED.read_text())["initiatives"]
    pages = read(DEMO)["initiatives"]
    initiatives = list(Initiative.objects.order_by("published_at"))
    for initiative, item, page in zip(initiatives, expected, pages, strict=True):
        places = initiative.places.all()
        assert sorted(p.commune_id for p in places if p.commune_id) == sorted(item["communes"])
        areas = sorted((p.kind, str(p.area.pk)) for p in places if not p.commune_id)
        assert areas == sorted((a["kind"], a["code"]) for a in item["areas"])
        values = [c.value for c in initiative.contacts.all()]
        bulletin_values = (
            item["urls"]
            + item["emails"]
            + item["phones"]
            + ([item["contact_text"]] if item["contact_text"] else [])
        )
        # Where the bulletin gives none, the demo adds « auprès des mairies concernées ».
        mairies = item["communes"] if page.get("public_contact") == "mairies" else []
        assert values == bulletin_values + mairies
        assert [c.kind for c in initiative.contacts.all()] == [k for k, _ in contacts_of(item)] + [
            "mairie"
        ] * len(mairies)
        assert values, "every published initiative of the demo says how to act"
        assert [(q.count, q.item) for q in initiative.quantities.all()] == [
            (q["count"], q["item"]) for q in item["quantities"]
        ]


def test_it_creates_the_campaign_themes_and_staff_and_is_idempotent():
    first = run()
    second = run()
    assert "11 initiatives créées" in first
    assert "0 initiative créée, 11 déjà là" in second
    assert Initiative.objects.count() == 11
    campaign = Campaign.objects.get(slug="covid-19")
    assert list(campaign.departments.values_list("code", flat=True)) == ["62"]
    top = Theme.objects.filter(campaign=campaign, parent=None).values_list("slug", flat=True)
    assert set(top) == {
        "approvisionnement-materiel",
        "soutien-soignants",
        "soutien-personnes-confinees",
    }
    assert Theme.objects.filter(campaign=campaign, parent__isnull=False).count() >= 6
    moderator = User.objects.get(username="moderateur62")
    assert moderator.can("moderator", "62") and not moderator.can("moderator", "59")
    assert User.objects.get(username="editeur62").can("editor", "62")
    assert User.objects.get(username="admin").is_superuser
    assert "moderateur62 / demo-moderateur62-2020" in second
    assert moderator.check_password("demo-moderateur62-2020")
