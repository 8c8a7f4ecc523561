import pytest
from django.core import mail

from solidaire.initiatives.models import Initiative, Source, Status, Transition
from tests.factories import make_initiative
from tests.moderation.factories import staff_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_moderator62(client, moderator62):
    client.force_login(moderator62)
    return client


def test_the_review_page_shows_every_field_the_private_submitter_and_the_history(
    as_moderator62, moderator62
):
    initiative = make_initiative(
        status=Status.SUBMITTED,
        submitter_email="camille@exemple.test",
        contacts=[("phone", "+33321613610")],
        quantities=[(1300, "visières")],
    )
    as_moderator62.post(f"/gestion/initiatives/{initiative.pk}/publier/")
    html = as_moderator62.get(f"/gestion/initiatives/{initiative.pk}/").content.decode()
    for name in ("title", "description", "communes", "owner_department", "quantites-0-count"):
        assert f'name="{name}"' in html
    assert "camille@exemple.test" in html
    # The national format, as people read it; saving stores the same E.164 number again.
    assert 'value="03 21 61 36 10"' in html and "+33321613610" not in html
    assert "Proposée → Publiée" in html


def test_staff_edit_every_field_including_the_owner(as_moderator62, moderator62):
    moderator62.memberships.create(department_id="59", role="moderator")
    initiative = make_initiative(status=Status.SUBMITTED)
    data = staff_form(initiative, owner_department="59", communes=["59350"])
    response = as_moderator62.post(f"/gestion/initiatives/{initiative.pk}/", data)
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.owner_department_id) == (
        "Titre revu par la préfecture",
        "59",
    )


def test_a_moderator_cannot_hand_an_initiative_to_a_department_they_do_not_moderate(
    as_moderator62,
):
    initiative = make_initiative(status=Status.SUBMITTED)
    data = staff_form(initiative, owner_department="59")
    response = as_moderator62.post(f"/gestion/initiatives/{initiative.pk}/", data)
    assert response.status_code == 400
    initiative.refresh_from_db()
    assert initiative.owner_department_id == "62"


def test_requesting_changes_needs_a_message(as_moderator62):
    initiative = make_initiative(status=Status.SUBMITTED)
    response = as_moderator62.post(
        f"/gestion/initiatives/{initiative.pk}/demander-modifications/",
        {"message": ""},
        follow=True,
    )
    assert "Un message est obligatoire" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


def test_requesting_changes_emails_the_submitter(
    as_moderator62, django_capture_on_commit_callbacks
):
    initiative = make_initiative(status=Status.SUBMITTED, submitter_email="d@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        as_moderator62.post(
            f"/gestion/initiatives/{initiative.pk}/demander-modifications/",
            {"message": "Ajoutez un contact."},
        )
    assert "Ajoutez un contact." in mail.outbox[0].body


def test_an_impossible_step_is_refused_with_a_message(as_moderator62):
    initiative = make_initiative(status=Status.REJECTED)
    response = as_moderator62.post(f"/gestion/initiatives/{initiative.pk}/publier/", follow=True)
    assert "Passage impossible" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == Status.REJECTED


def test_an_unknown_action_is_refused(as_moderator62):
    initiative = make_initiative(status=Status.SUBMITTED)
    response = as_moderator62.post(f"/gestion/initiatives/{initiative.pk}/supprimer/")
    assert response.status_code == 403
    assert Initiative.objects.filter(pk=initiative.pk, status=Status.SUBMITTED).exists()


def test_a_likely_duplicate_is_flagged_with_a_link(as_moderator62):
    first = make_initiative(title="Visières pour les soignants de Calais")
    second = make_initiative(
        title="Des visières pour les soignants à Calais", status=Status.SUBMITTED
    )
    html = as_moderator62.get(f"/gestion/initiatives/{second.pk}/").content.decode()
    assert "Doublon probable" in html
    assert f'href="/gestion/initiatives/{first.pk}/"' in html


def test_staff_create_an_initiative_recorded_as_staff_entry(as_moderator62, moderator62):
    initiative = make_initiative()
    response = as_moderator62.post("/gestion/initiatives/nouvelle/", staff_form(initiative))
    created = Initiative.objects.get(title="Titre revu par la préfecture")
    assert response["Location"] == f"/gestion/initiatives/{created.pk}/"
    assert (created.source, created.status) == (Source.STAFF, Status.SUBMITTED)
    assert Transition.objects.get(initiative=created).by == moderator62


def test_a_moderator_of_the_59_may_place_an_initiative_on_a_whole_epci_of_the_59(
    client, moderator59
):
    client.force_login(moderator59)
    initiative = make_initiative(status=Status.SUBMITTED, owner="59", communes=["59350"])
    data = staff_form(initiative, owner_department="59", communes=["59350"], epci="200093201")
    response = client.post(f"/gestion/initiatives/{initiative.pk}/", data)
    assert response.status_code == 302
    assert initiative.places.filter(epci_id="200093201").exists()


def test_staff_may_put_a_proposal_back_in_the_queue(as_moderator62, moderator62):
    initiative = make_initiative(status=Status.CHANGES_REQUESTED)
    as_moderator62.post(f"/gestion/initiatives/{initiative.pk}/remettre-en-attente/")
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    assert Transition.objects.get(initiative=initiative).by == moderator62


def test_a_duplicate_in_another_department_is_not_shown(client, moderator59, moderator62):
    theirs = make_initiative(title="Visières pour les soignants de Calais", owner="59")
    ours = make_initiative(
        title="Des visières pour les soignants à Calais", status=Status.SUBMITTED
    )
    client.force_login(moderator62)
    html = client.get(f"/gestion/initiatives/{ours.pk}/").content.decode()
    assert "Doublon probable" not in html
    assert f"/gestion/initiatives/{theirs.pk}/" not in html


def test_publishing_without_a_public_contact_is_refused_until_the_mairie_is_added(as_moderator62):
    initiative = make_initiative(status=Status.SUBMITTED, contacts=[])
    url = f"/gestion/initiatives/{initiative.pk}/"
    response = as_moderator62.post(f"{url}publier/", follow=True)
    assert "Ajoutez au moins un contact public" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    form = staff_form(initiative, **{"contacts-TOTAL_FORMS": "1"})
    form.update({"contacts-0-kind": "mairie", "contacts-0-value": "Calais (62100)"})
    form["consent_public_contacts"] = "on"
    assert as_moderator62.post(url, form).status_code == 302
    assert [(c.kind, c.value) for c in initiative.contacts.all()] == [("mairie", "62193")]
    page = as_moderator62.get(url).content.decode()
    assert 'value="Calais (62100)"' in page  # shown as typed, stored as its INSEE code
    as_moderator62.post(f"{url}publier/")
    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED
