"""A member edits its organisation's initiatives, never another organisation's."""

import pytest
from django.core.cache import cache

from solidaire.initiatives.models import Initiative, PlaceCount, Report, ReportKind, Status
from solidaire.pagecache.versions import PREFIX, initiative_key, place_key
from tests.factories import make_initiative
from tests.organisations.factories import attach, make_organisation, member_form, text

pytestmark = pytest.mark.django_db


def commune_count(code: str) -> int:
    row = PlaceCount.objects.filter(kind="commune", code=code, status="published").first()
    return row.count if row else 0


def edit_url(initiative):
    return f"/organisation/initiatives/{initiative.pk}/modifier/"


def test_a_member_edits_its_ccas_proposal(ccas_member):
    initiative = attach(make_initiative(status=Status.SUBMITTED), ccas_member.organisation)
    assert ccas_member.client.get(edit_url(initiative)).status_code == 200
    response = ccas_member.client.post(
        edit_url(initiative), member_form(initiative, title="Colis pour les aînés")
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Colis pour les aînés" and initiative.status == Status.SUBMITTED
    assert initiative.edited_by == ccas_member.user


def test_another_organisations_initiative_is_a_404(ccas_member):
    other = make_organisation(name="Autre association")
    theirs = attach(make_initiative(title="La leur", status=Status.SUBMITTED), other)
    unattached = make_initiative(title="Sans organisation")
    for initiative in (theirs, unattached):
        assert ccas_member.client.get(edit_url(initiative)).status_code == 404
        response = ccas_member.client.post(edit_url(initiative), member_form(initiative, title="X"))
        assert response.status_code == 404
    assert Initiative.objects.get(pk=theirs.pk).title == "La leur"
    confirm = f"/organisation/initiatives/{theirs.pk}/terminee/"
    assert ccas_member.client.post(confirm).status_code == 404


def test_a_trusted_organisations_edit_goes_live_with_counts_and_cached_pages(ccas_member, client):
    organisation = ccas_member.organisation
    organisation.trusted = True
    organisation.save()
    initiative = attach(make_initiative(title="Visières"), organisation)
    assert commune_count("62193") == 1
    before = cache.get_many(
        [PREFIX + initiative_key(initiative.pk), PREFIX + place_key("commune", "62041")]
    )
    client.get(initiative.get_absolute_url())  # an anonymous copy is kept
    response = ccas_member.client.post(
        edit_url(initiative), member_form(initiative, title="Masques", communes=["62041"])
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Masques" and initiative.status == Status.PUBLISHED
    # The counts moved from Calais to Arras, the cached page shows the new title.
    assert commune_count("62193") == 0
    assert commune_count("62041") == 1
    after = cache.get_many(
        [PREFIX + initiative_key(initiative.pk), PREFIX + place_key("commune", "62041")]
    )
    assert after != before
    assert "Masques" in text(client.get(initiative.get_absolute_url()))
    assert not Report.objects.exists()


def test_an_untrusted_organisations_edit_becomes_a_change_proposal(ccas_member, client):
    initiative = attach(make_initiative(title="Visières"), ccas_member.organisation)
    response = ccas_member.client.post(
        edit_url(initiative), member_form(initiative, title="Masques")
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Visières" and initiative.status == Status.PUBLISHED
    report = Report.objects.get(initiative=initiative)
    assert report.kind == ReportKind.CARRIER
    assert "« Visières » → « Masques »" in report.message
    assert "Visières" in text(client.get(initiative.get_absolute_url()))


def test_errors_are_french_and_keep_the_input(ccas_member):
    initiative = attach(make_initiative(status=Status.SUBMITTED), ccas_member.organisation)
    response = ccas_member.client.post(
        edit_url(initiative),
        member_form(
            initiative,
            title="Titre gardé",
            communes=[],
            end_date="2020-01-01",
            start_date="2020-02-01",
        ),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Indiquez au moins une commune ou un territoire." in page
    assert 'value="Titre gardé"' in page
    assert Initiative.objects.get(pk=initiative.pk).title != "Titre gardé"


def test_an_archived_initiative_is_shown_not_edited(ccas_member):
    initiative = attach(make_initiative(status=Status.ARCHIVED), ccas_member.organisation)
    page = text(ccas_member.client.get(edit_url(initiative)))
    assert "ne peut plus être modifiée" in page and '<form method="post" novalidate' not in page
    assert ccas_member.client.post(edit_url(initiative), member_form(initiative)).status_code == 403
