"""The submitter's private link: view, edit while unpublished, withdraw, resubmit."""

import pytest

from solidaire.initiatives.models import Status, Transition
from tests.factories import make_initiative
from tests.initiatives.factories import formset_management

pytestmark = pytest.mark.django_db


def follow_url(initiative, action=""):
    return f"/initiatives/suivi/{initiative.submitter_token}/{action}"


def edit_data(initiative, **overrides):
    data = {
        "title": "Titre corrigé",
        "description": "Nouvelle description.",
        "campaign": str(initiative.campaign_id),
        "actor_name": initiative.actor_name,
        "actor_kind": "association",
        "communes": ["62041"],
        "submitter_name": "Camille",
        "submitter_email": "camille@exemple.test",
        **formset_management("quantites", 0),
        **formset_management("contacts", 0),
    }
    data.update(overrides)
    return data


def test_the_private_link_shows_the_proposal_and_its_status(client):
    initiative = make_initiative(status=Status.SUBMITTED)
    response = client.get(follow_url(initiative))
    assert response.status_code == 200
    assert initiative.title in response.content.decode()
    assert "Proposée" in response.content.decode()


def test_an_unknown_token_is_a_404(client):
    assert client.get("/initiatives/suivi/inconnu/").status_code == 404


def test_the_submitter_edits_an_unpublished_proposal(client):
    initiative = make_initiative(status=Status.SUBMITTED)
    response = client.post(follow_url(initiative, "modifier/"), edit_data(initiative))
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Titre corrigé"
    assert [p.commune_id for p in initiative.places.all()] == ["62041"]


def test_a_forged_status_or_owner_in_the_edit_form_changes_nothing(client):
    initiative = make_initiative(status=Status.SUBMITTED)
    data = edit_data(initiative, status="published", owner_department="59", published_at="2020")
    client.post(follow_url(initiative, "modifier/"), data)
    initiative.refresh_from_db()
    assert (initiative.status, initiative.owner_department_id) == (Status.SUBMITTED, "62")
    assert initiative.published_at is None


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.REJECTED, Status.ARCHIVED])
def test_it_refuses_edits_once_the_proposal_is_decided(client, status):
    initiative = make_initiative(status=status)
    assert client.get(follow_url(initiative, "modifier/")).status_code == 403
    response = client.post(follow_url(initiative, "modifier/"), edit_data(initiative))
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.title == "Visières pour les soignants"


def test_the_submitter_withdraws_a_proposal(client):
    initiative = make_initiative(status=Status.SUBMITTED)
    assert client.post(follow_url(initiative, "retirer/")).status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.WITHDRAWN
    assert Transition.objects.get(initiative=initiative).actor == "submitter"


def test_the_submitter_resubmits_after_changes_were_requested(client):
    initiative = make_initiative(status=Status.CHANGES_REQUESTED)
    assert client.post(follow_url(initiative, "renvoyer/")).status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.PUBLISHED, "retirer/"),
        (Status.REJECTED, "retirer/"),
        (Status.SUBMITTED, "renvoyer/"),
        (Status.PUBLISHED, "renvoyer/"),
    ],
)
def test_a_forged_step_through_the_private_link_is_refused(client, status, action):
    initiative = make_initiative(status=status)
    assert client.post(follow_url(initiative, action)).status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == status
    assert not Transition.objects.filter(initiative=initiative).exists()


def test_withdrawing_needs_a_post(client):
    initiative = make_initiative(status=Status.SUBMITTED)
    assert client.get(follow_url(initiative, "retirer/")).status_code == 405
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


def test_the_submitter_saves_and_resubmits_in_one_step(client):
    initiative = make_initiative(status=Status.CHANGES_REQUESTED)
    data = edit_data(initiative, renvoyer="1")
    assert client.post(follow_url(initiative, "modifier/"), data).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status) == ("Titre corrigé", Status.SUBMITTED)


@pytest.mark.parametrize("action", ["publier/", "archiver/", "refuser/"])
def test_the_private_link_offers_no_staff_action(client, action):
    initiative = make_initiative(status=Status.SUBMITTED)
    response = client.post(follow_url(initiative, action))
    assert response.status_code in (403, 404, 405)
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    assert not Transition.objects.filter(initiative=initiative).exists()
