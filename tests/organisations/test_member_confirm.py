"""The freshness ask answered from the space: still active, or ended."""

import pytest
from django.utils import timezone

from solidaire.initiatives.models import Freshness, Initiative, Status
from tests.factories import make_initiative
from tests.organisations.factories import attach, text

pytestmark = pytest.mark.django_db


def test_a_stale_initiative_is_listed_then_confirmed(ccas_member):
    old = timezone.now() - timezone.timedelta(days=200)
    initiative = attach(
        make_initiative(title="Colis", verified_at=old, freshness=Freshness.TO_CONFIRM),
        ccas_member.organisation,
    )
    assert "Toujours actives ?" in text(ccas_member.client.get("/organisation/"))
    ccas_member.client.post(f"/organisation/initiatives/{initiative.pk}/active/")
    initiative.refresh_from_db()
    assert initiative.freshness == Freshness.CURRENT and initiative.verified_at > old
    assert "Toujours actives ?" not in text(ccas_member.client.get("/organisation/"))


def test_an_ended_initiative_is_archived(ccas_member):
    initiative = attach(make_initiative(title="Colis"), ccas_member.organisation)
    ccas_member.client.post(f"/organisation/initiatives/{initiative.pk}/terminee/")
    assert Initiative.objects.get(pk=initiative.pk).status == Status.ARCHIVED


def test_an_unpublished_one_cannot_be_confirmed(ccas_member):
    initiative = attach(make_initiative(status=Status.SUBMITTED), ccas_member.organisation)
    response = ccas_member.client.post(
        f"/organisation/initiatives/{initiative.pk}/active/", follow=True
    )
    assert "Seule une initiative publiée peut être vérifiée" in text(response)
    assert (
        ccas_member.client.post(f"/organisation/initiatives/{initiative.pk}/autre/").status_code
        == 404
    )
