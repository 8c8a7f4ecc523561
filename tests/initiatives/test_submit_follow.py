"""The submitter's private link: view, edit while unpublished, withdraw, resubmit."""

import pytest

from solidaire.initiatives.models import Initiative, Status, Transition
from solidaire.initiatives.services import initiative_update
from tests.initiatives.factories import formset_management

pytestmark = pytest.mark.django_db


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


def test_the_private_link_shows_the_proposal_and_its_status(submitter):
    initiative = submitter.initiative
    response = submitter.client.get(submitter.link())
    assert response.status_code == 200
    assert initiative.title in response.content.decode()
    assert "Proposée" in response.content.decode()


def test_an_unknown_token_is_a_404(client):
    assert client.get("/initiatives/suivi/inconnu/").status_code == 404


def test_the_submitter_edits_an_unpublished_proposal(submitter):
    initiative = submitter.initiative
    response = submitter.client.post(submitter.link("modifier/"), edit_data(initiative))
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Titre corrigé"
    assert [p.commune_id for p in initiative.places.all()] == ["62041"]


def test_a_forged_status_or_owner_in_the_edit_form_changes_nothing(submitter):
    initiative = submitter.initiative
    data = edit_data(initiative, status="published", owner_department="59", published_at="2020")
    submitter.client.post(submitter.link("modifier/"), data)
    initiative.refresh_from_db()
    assert (initiative.status, initiative.owner_department_id) == (Status.SUBMITTED, "62")
    assert initiative.published_at is None


@pytest.mark.parametrize(
    "submitter", [Status.PUBLISHED, Status.REJECTED, Status.ARCHIVED], indirect=True
)
def test_it_refuses_edits_once_the_proposal_is_decided(submitter):
    initiative, client = submitter.initiative, submitter.client
    assert client.get(submitter.link("modifier/")).status_code == 403
    response = client.post(submitter.link("modifier/"), edit_data(initiative))
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.title == "Visières pour les soignants"


def test_the_submitter_withdraws_a_proposal(submitter):
    initiative = submitter.initiative
    assert submitter.client.post(submitter.link("retirer/")).status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.WITHDRAWN
    assert Transition.objects.get(initiative=initiative).actor == "submitter"


@pytest.mark.parametrize("submitter", [Status.CHANGES_REQUESTED], indirect=True)
def test_the_submitter_resubmits_after_changes_were_requested(submitter):
    initiative = submitter.initiative
    assert submitter.client.post(submitter.link("renvoyer/")).status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("submitter", "action"),
    [
        (Status.PUBLISHED, "retirer/"),
        (Status.REJECTED, "retirer/"),
        (Status.SUBMITTED, "renvoyer/"),
        (Status.PUBLISHED, "renvoyer/"),
    ],
    indirect=["submitter"],
)
def test_a_forged_step_through_the_private_link_is_refused(submitter, action):
    initiative = submitter.initiative
    status = initiative.status
    assert submitter.client.post(submitter.link(action)).status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == status
    assert not Transition.objects.filter(initiative=initiative).exists()


def test_withdrawing_needs_a_post(submitter):
    initiative = submitter.initiative
    assert submitter.client.get(submitter.link("retirer/")).status_code == 405
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


@pytest.mark.parametrize("submitter", [Status.CHANGES_REQUESTED], indirect=True)
def test_the_submitter_saves_and_resubmits_in_one_step(submitter):
    initiative = submitter.initiative
    data = edit_data(initiative, renvoyer="1")
    assert submitter.client.post(submitter.link("modifier/"), data).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status) == ("Titre corrigé", Status.SUBMITTED)


@pytest.mark.parametrize("action", ["publier/", "archiver/", "refuser/"])
def test_the_private_link_offers_no_staff_action(submitter, action):
    initiative = submitter.initiative
    response = submitter.client.post(submitter.link(action))
    assert response.status_code in (403, 404, 405)
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    assert not Transition.objects.filter(initiative=initiative).exists()


def test_an_edit_from_an_older_version_is_refused_with_the_input_kept(submitter):
    initiative = submitter.initiative
    initiative_update(
        initiative=Initiative.objects.get(pk=initiative.pk),
        data={"title": "Titre revu par la préfecture"},
        actor="staff",
        places=[("commune", "62193")],
    )
    data = edit_data(initiative, version=str(initiative.version))
    response = submitter.client.post(submitter.link("modifier/"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "modifiée pendant que vous la corrigiez" in html
    assert 'value="Titre corrigé"' in html
    initiative.refresh_from_db()
    assert initiative.title == "Titre revu par la préfecture"
    # Sent again, now from the stored version, the input is saved.
    data["version"] = str(initiative.version)
    assert submitter.client.post(submitter.link("modifier/"), data).status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Titre corrigé"
