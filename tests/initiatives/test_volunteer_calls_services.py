"""Writes of calls for volunteers: checked, logged, and the cached pages that show them renewed."""

import logging
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from solidaire.initiatives.erasure import personal_data_erase
from solidaire.initiatives.models import Initiative, Status, VolunteerCall
from solidaire.initiatives.services import (
    initiative_publish,
    initiative_submit,
    volunteer_call_create,
    volunteer_call_delete,
    volunteer_call_update,
)
from solidaire.pagecache.middleware import HEADER
from solidaire.territory.models import Commune
from tests.factories import make_campaign, make_initiative, make_volunteer_call

pytestmark = pytest.mark.django_db

CALL = {
    "title": "Soutien scolaire à distance",
    "description": "Aider des collégiens à faire leurs devoirs, en visio.",
    "answer_email": "benevoles@exemple.fr",
}
ARRAS = "62041"


def _warm(client, url):
    assert client.get(url)[HEADER] == "miss"
    assert client.get(url)[HEADER] == "hit"


def test_a_call_is_created_and_logged(moderator62, caplog):
    initiative = make_initiative()
    with caplog.at_level(logging.INFO, logger="solidaire.initiatives.services"):
        call = volunteer_call_create(initiative=initiative, data=CALL, by=moderator62)
    assert call.pk and call.position == 0
    assert volunteer_call_create(initiative=initiative, data=CALL).position == 1
    assert f"Volunteer call {call.pk} created" in caplog.text
    assert "modo62" in caplog.text


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"answer_email": ""}, "__all__", "Indiquez comment répondre"),
        ({"answer_email": "pas-une-adresse"}, "answer_email", "adresse e-mail valide"),
        ({"answer_url": "ftp://exemple.fr/x"}, "answer_url", "adresse web complète"),
        (
            {"start_date": date(2020, 5, 10), "end_date": date(2020, 5, 1)},
            "__all__",
            "La date de fin doit être postérieure",
        ),
        ({"volunteers_wanted": 0}, "__all__", "au moins un bénévole"),
    ],
)
def test_a_refused_call_is_not_saved_and_says_why_in_french_and_in_the_log(
    change, field, message, caplog
):
    initiative = make_initiative()
    with caplog.at_level(logging.WARNING), pytest.raises(ValidationError) as error:
        volunteer_call_create(initiative=initiative, data={**CALL, **change})
    assert message in " ".join(error.value.message_dict[field])
    assert not VolunteerCall.objects.exists()
    assert f"Volunteer call refused (initiative {initiative.pk}" in caplog.text


def test_texts_are_stored_trimmed():
    call = volunteer_call_create(
        initiative=make_initiative(), data={**CALL, "title": "  Aide aux devoirs  "}
    )
    assert call.title == "Aide aux devoirs"


def test_a_new_call_renews_its_initiatives_pages_and_the_lists(visitor):
    initiative = make_initiative()
    pages = [initiative.get_absolute_url(), "/communes/62193/", "/benevolat/"]
    other = make_initiative(title="Masques à Arras", communes=(ARRAS,))
    untouched = [other.get_absolute_url(), f"/communes/{ARRAS}/"]
    for url in pages + untouched:
        _warm(visitor, url)
    volunteer_call_create(initiative=initiative, data=CALL)
    for url in pages:
        response = visitor.get(url)
        assert response[HEADER] == "miss", url
        assert "Soutien scolaire à distance" in response.content.decode(), url
    for url in untouched:
        assert visitor.get(url)[HEADER] == "hit", url


def test_moving_a_call_to_another_commune_renews_both_communes_pages(
    visitor, django_capture_on_commit_callbacks
):
    call = make_volunteer_call()  # in the initiative's commune, Calais
    arras = Commune.objects.get(pk=ARRAS)
    _warm(visitor, f"/communes/{ARRAS}/")
    with django_capture_on_commit_callbacks(execute=True):
        volunteer_call_update(call=call, data={"commune": arras})
    page = visitor.get(f"/communes/{ARRAS}/")
    assert page[HEADER] == "miss"
    assert "Soutien scolaire à distance" in page.content.decode()
    assert visitor.get(f"/communes/{ARRAS}/")[HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        volunteer_call_update(call=call, data={"commune": None})
    page = visitor.get(f"/communes/{ARRAS}/")
    assert page[HEADER] == "miss"
    assert "Soutien scolaire à distance" not in page.content.decode()


def test_a_deleted_call_leaves_every_page_that_showed_it(visitor, moderator62):
    call = make_volunteer_call()
    url = call.initiative.get_absolute_url()
    _warm(visitor, url)
    volunteer_call_delete(call=call, by=moderator62)
    assert not VolunteerCall.objects.exists()
    page = visitor.get(url)
    assert page[HEADER] == "miss"
    assert "Soutien scolaire" not in page.content.decode()


def test_a_call_sent_with_a_proposal_is_created_with_it_and_published_with_it(moderator62):
    campaign = make_campaign()
    kwargs = {
        "data": {
            "title": "Cours en ligne",
            "description": "Des cours.",
            "campaign": campaign,
            "actor_name": "Collège",
            "actor_kind": "other",
        },
        "places": [("commune", "62193")],
        "contacts": [{"kind": "url", "value": "https://exemple.fr/"}],
    }
    initiative, created = initiative_submit(submission_key="k1", volunteer_call=CALL, **kwargs)
    assert created and initiative.volunteer_calls.count() == 1
    # The same form sent twice makes one initiative and one call.
    again, created = initiative_submit(submission_key="k1", volunteer_call=CALL, **kwargs)
    assert not created and VolunteerCall.objects.count() == 1
    initiative_publish(initiative=initiative, by=moderator62)
    assert Initiative.objects.get(pk=initiative.pk).status == Status.PUBLISHED


def test_a_refused_call_refuses_the_whole_proposal():
    campaign = make_campaign()
    with pytest.raises(ValidationError):
        initiative_submit(
            submission_key="k2",
            volunteer_call={**CALL, "answer_email": ""},
            data={
                "title": "Cours",
                "description": "Des cours.",
                "campaign": campaign,
                "actor_name": "Collège",
                "actor_kind": "other",
            },
            places=[("commune", "62193")],
        )
    assert not Initiative.objects.filter(title="Cours").exists()


def test_erasing_a_person_clears_their_address_from_calls_and_removes_calls_left_unanswerable(
    moderator62,
):
    kept = make_volunteer_call(answer_email="jeremie.dupont@exemple.fr")  # has a link too
    gone = make_volunteer_call(answer_url="", answer_email="Jeremie.Dupont@exemple.fr")
    other = make_volunteer_call(answer_url="", answer_email="autre@exemple.fr")
    counts = personal_data_erase(email="jeremie.dupont@exemple.fr", by=moderator62)
    kept.refresh_from_db()
    assert kept.answer_email == "" and kept.answer_url == "https://example.org/benevoles"
    assert not VolunteerCall.objects.filter(pk=gone.pk).exists()
    assert VolunteerCall.objects.filter(pk=other.pk).exists()
    assert counts["appels à bénévoles supprimés"] == 1
