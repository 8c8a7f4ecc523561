"""The moderators' "à vérifier": an imported initiative (no submitter e-mail) is never
mailed; when due it waits, with its public contact to call, in the list of the moderators
of its département, who record the call's outcome in one click."""

import pytest
from django.core import mail
from django.test import Client

from solidaire.initiatives.freshness import freshness_asks_run, freshness_states_run
from solidaire.initiatives.models import Freshness, Source, Status
from solidaire.initiatives.services import initiative_publish
from tests.clock import clock  # noqa: F401 (fixture)
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

URL = "/gestion/a-verifier/"


def imported(moderator):
    initiative = make_initiative(
        status=Status.SUBMITTED,
        source=Source.IMPORT,
        title="Colis alimentaires de la Croix-Rouge",
        contacts=[("phone", "+33321000000")],
    )
    return initiative_publish(initiative=initiative, by=moderator)


def listed_in(initiative, page) -> bool:
    return f'href="/gestion/initiatives/{initiative.pk}/"' in page.content.decode()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_imported_initiative_is_walked_through_the_list(clock, moderator62, moderator59):  # noqa: F811
    initiative = imported(moderator62)
    assert not listed_in(initiative, client_for(moderator62).get(URL))
    clock.advance(days=21)
    assert freshness_asks_run().asked == 0
    staff = client_for(moderator62)  # staff logins expire after two idle hours
    page = staff.get(URL).content.decode()
    assert initiative.title in page and "Sans e-mail du déposant (importée)" in page
    assert "03\u00a021\u00a000\u00a000\u00a000" in page or "03 21 00 00 00" in page
    assert "À vérifier\u00a0: 1" in staff.get("/gestion/").content.decode()
    # Not in the Nord's list.
    assert not listed_in(initiative, client_for(moderator59).get(URL))

    # Nobody answered: noted, still to verify.
    back = staff.post(f"{URL}{initiative.pk}/unreachable/", follow=True).content.decode()
    assert "Dernier appel sans réponse" in back and initiative.title in back
    # Answered: still active, it leaves the list.
    clock.advance(hours=1)
    staff.post(f"{URL}{initiative.pk}/active/")
    initiative.refresh_from_db()
    assert initiative.verified_at == clock.now()
    assert initiative.transitions.last().message == "Vérifiée par téléphone."
    assert not listed_in(initiative, staff.get(URL))

    # Not called next time: "à confirmer", then ended after the call.
    clock.advance(days=28)
    freshness_states_run()
    staff = client_for(moderator62)
    initiative.refresh_from_db()
    assert initiative.freshness == Freshness.TO_CONFIRM
    assert "À confirmer" in staff.get(URL).content.decode()
    staff.post(f"{URL}{initiative.pk}/ended/")
    initiative.refresh_from_db()
    assert initiative.status == Status.ARCHIVED
    assert not listed_in(initiative, staff.get(URL))
    assert mail.outbox == []


def test_it_requires_a_moderator_of_the_departement(clock, moderator62, moderator59, editor):  # noqa: F811
    initiative = imported(moderator62)
    action = f"{URL}{initiative.pk}/active/"
    assert Client().get(URL).status_code == 302  # to the login page
    assert Client().post(action).status_code == 403
    assert client_for(editor).get(URL).status_code == 403
    assert client_for(moderator59).post(action).status_code == 403
    assert client_for(moderator62).post(f"{URL}{initiative.pk}/oublie/").status_code == 404
    assert client_for(moderator62).get(action).status_code == 405
    initiative.refresh_from_db()
    assert initiative.verified_at == initiative.published_at


def test_a_moderator_checks_a_stale_initiative_from_its_review_page(clock, moderator62):  # noqa: F811
    initiative = make_initiative(verified_at=clock.now())
    clock.advance(days=60)
    freshness_states_run()
    initiative.refresh_from_db()
    assert initiative.freshness == Freshness.HIDDEN
    staff = client_for(moderator62)
    review = staff.get(f"/gestion/initiatives/{initiative.pk}/").content.decode()
    assert "Marquer comme vérifiée" in review and "Probablement terminée" in review
    assert staff.post(f"/gestion/initiatives/{initiative.pk}/verifier/").status_code == 302
    initiative.refresh_from_db()
    assert (initiative.freshness, initiative.verified_at) == (Freshness.CURRENT, clock.now())
    assert initiative.transitions.last().by == moderator62
