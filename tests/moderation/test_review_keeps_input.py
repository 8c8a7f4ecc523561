"""The review form: every button saves what is typed with its step, or keeps it all."""

import pytest
from django.core import mail

from solidaire.initiatives.models import Initiative, Status, Transition
from solidaire.initiatives.services import StaleVersion, initiative_update
from tests.factories import make_initiative, make_staff
from tests.moderation.factories import staff_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_moderator62(client, moderator62):
    client.force_login(moderator62)
    return client


def review(initiative):
    return f"/gestion/initiatives/{initiative.pk}/"


def test_publishing_publishes_the_title_on_screen(as_moderator62, moderator62):
    initiative = make_initiative(status=Status.SUBMITTED, title="Ancien titre")
    data = staff_form(initiative, version=initiative.version)
    response = as_moderator62.post(review(initiative) + "publier/", data)
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status) == ("Titre revu par la préfecture", "published")
    assert (initiative.version, initiative.edited_by) == (2, moderator62)


def test_invalid_content_publishes_nothing_and_keeps_everything_typed(as_moderator62):
    initiative = make_initiative(status=Status.SUBMITTED, title="Ancien titre")
    data = staff_form(initiative, version=initiative.version, title="", actor_name="Nouveau")
    data["message"] = "Mon message gardé"
    response = as_moderator62.post(review(initiative) + "publier/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Rien n&#x27;a été enregistré" in html
    assert 'value="Nouveau"' in html
    assert "Mon message gardé" in html
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status, initiative.version) == (
        "Ancien titre",
        Status.SUBMITTED,
        1,
    )


def test_a_refused_step_saves_nothing_and_says_why_with_the_input_kept(as_moderator62):
    initiative = make_initiative(status=Status.SUBMITTED, title="Ancien titre")
    data = staff_form(initiative, version=initiative.version, message="")
    response = as_moderator62.post(review(initiative) + "refuser/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Un message est obligatoire" in html
    assert 'value="Titre revu par la préfecture"' in html
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status) == ("Ancien titre", Status.SUBMITTED)
    assert not Transition.objects.filter(initiative=initiative).exists()


def test_requesting_changes_saves_the_content_and_sends_the_typed_message(
    as_moderator62, django_capture_on_commit_callbacks
):
    initiative = make_initiative(status=Status.SUBMITTED, submitter_email="d@exemple.test")
    data = staff_form(
        initiative,
        version=initiative.version,
        submitter_email="d@exemple.test",
        message="Précisez les horaires.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = as_moderator62.post(review(initiative) + "demander-modifications/", data)
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status) == (
        "Titre revu par la préfecture",
        Status.CHANGES_REQUESTED,
    )
    assert "Précisez les horaires." in mail.outbox[0].body


def test_a_stale_version_is_refused_with_both_versions_and_the_input_kept(as_moderator62):
    initiative = make_initiative(status=Status.SUBMITTED, title="Ancien titre")
    loaded_version = initiative.version
    colleague = make_staff("claude", moderator=["62"])
    colleague.first_name, colleague.last_name = "Claude", "Dupont"
    colleague.save()
    initiative_update(
        initiative=Initiative.objects.get(pk=initiative.pk),
        data={"title": "Titre du collègue"},
        actor="staff",
        by=colleague,
        places=[("commune", "62193")],
    )
    data = staff_form(initiative, version=loaded_version, title="Mon titre")
    response = as_moderator62.post(review(initiative) + "publier/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "modifiée pendant que vous la relisiez par Claude Dupont" in html
    conflict = response.context["conflict"]["differences"]
    title_row = next(row for row in conflict if row["label"] == "Titre de l'initiative")
    assert (title_row["typed"], title_row["stored"]) == ("Mon titre", "Titre du collègue")
    assert 'value="Mon titre"' in html
    # The form now carries the stored version: saving again applies the input on purpose.
    assert response.context["form"]["version"].value() == "2"
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status) == ("Titre du collègue", Status.SUBMITTED)

    data["version"] = "2"
    assert as_moderator62.post(review(initiative), data).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("Mon titre", 3)


def test_the_same_form_sent_twice_publishes_once_without_a_conflict(as_moderator62):
    initiative = make_initiative(status=Status.SUBMITTED)
    data = staff_form(initiative, version=initiative.version)
    first = as_moderator62.post(review(initiative) + "publier/", data)
    second = as_moderator62.post(review(initiative) + "publier/", data, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[-1][1] == 302
    assert "modifiée pendant que vous la relisiez" not in second.content.decode()
    initiative.refresh_from_db()
    assert (initiative.status, initiative.version) == (Status.PUBLISHED, 2)
    assert Transition.objects.filter(initiative=initiative, to_status="published").count() == 1


def test_the_service_refuses_a_stale_version_and_writes_nothing():
    initiative = make_initiative(status=Status.SUBMITTED, title="Ancien titre")
    initiative_update(initiative=initiative, data={"title": "Un"}, actor="staff", places=[])
    with pytest.raises(StaleVersion) as refused:
        initiative_update(
            initiative=Initiative.objects.get(pk=initiative.pk),
            data={"title": "Deux"},
            actor="staff",
            expected_version=1,
        )
    assert refused.value.current.version == 2
    assert Initiative.objects.get(pk=initiative.pk).title == "Un"


def test_the_page_has_one_form_with_the_buttons_top_and_bottom(as_moderator62):
    initiative = make_initiative(status=Status.SUBMITTED)
    html = as_moderator62.get(review(initiative)).content.decode()
    assert html.count('<form method="post" action="/gestion/initiatives/') == 1
    assert "data-unsaved-warning" in html
    assert html.count(f'formaction="/gestion/initiatives/{initiative.pk}/publier/"') == 2
    assert html.count(">Enregistrer les modifications</button>") == 2
    assert 'name="version" value="1"' in html
