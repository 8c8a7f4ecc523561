"""The permission matrix: every persona × every staff URL and action (table-driven).

A refused write answers 403 (anonymous GETs are sent to the login page) and changes
nothing; an allowed one does its work.
"""

import pytest
from django.test import Client

from solidaire.initiatives.models import Initiative, Report, Status, Transition
from tests.factories import make_initiative
from tests.initiatives.factories import formset_management

PERSONAS = ("visitor", "submitter", "moderator62", "moderator59", "editor", "admin")
LOGIN = 302


def staff_form(initiative, **overrides):
    return {
        "title": "Titre revu par la préfecture",
        "description": "Description.",
        "campaign": str(initiative.campaign_id),
        "actor_name": "Porteur",
        "actor_kind": "association",
        "communes": ["62193"],
        "owner_department": "62",
        **formset_management("quantites", 0),
        **formset_management("contacts", 0),
        **overrides,
    }


def _published(i):
    return Initiative.objects.get(pk=i.pk).status == Status.PUBLISHED


def _status(status):
    return lambda i: Initiative.objects.get(pk=i.pk).status == status


def _edited(i):
    return Initiative.objects.get(pk=i.pk).title == "Titre revu par la préfecture"


def _resolved(i):
    return Report.objects.get(initiative=i).resolved_at is not None


def _created(i):
    return Initiative.objects.filter(title="Titre revu par la préfecture").exclude(pk=i.pk).exists()


# fmt: off
# name: (method, path, start status, POST data, effect, expected codes in PERSONAS order)
ENDPOINTS = {
    "queue": ("get", "/gestion/", Status.SUBMITTED, None, None, (LOGIN, LOGIN, 200, 200, 200, 200)),
    "create_page": (
        "get", "/gestion/initiatives/nouvelle/", Status.SUBMITTED, None, None,
        (LOGIN, LOGIN, 200, 200, 403, 200),
    ),
    "review_page": (
        "get", "/gestion/initiatives/{pk}/", Status.SUBMITTED, None, None,
        (LOGIN, LOGIN, 200, 403, 403, 200),
    ),
    "review_edit": (
        "post", "/gestion/initiatives/{pk}/", Status.SUBMITTED, staff_form, _edited,
        (403, 403, 302, 403, 403, 302),
    ),
    "create": (
        "post", "/gestion/initiatives/nouvelle/", Status.SUBMITTED, staff_form, _created,
        (403, 403, 302, 400, 403, 302),
    ),
    "publish": (
        "post", "/gestion/initiatives/{pk}/publier/", Status.SUBMITTED, {}, _published,
        (403, 403, 302, 403, 403, 302),
    ),
    "request_changes": (
        "post", "/gestion/initiatives/{pk}/demander-modifications/", Status.SUBMITTED,
        {"message": "Précisez."}, _status(Status.CHANGES_REQUESTED),
        (403, 403, 302, 403, 403, 302),
    ),
    "reject": (
        "post", "/gestion/initiatives/{pk}/refuser/", Status.SUBMITTED,
        {"message": "Hors sujet."}, _status(Status.REJECTED),
        (403, 403, 302, 403, 403, 302),
    ),
    "archive": (
        "post", "/gestion/initiatives/{pk}/archiver/", Status.PUBLISHED, {},
        _status(Status.ARCHIVED), (403, 403, 302, 403, 403, 302),
    ),
    "back_to_queue": (
        "post", "/gestion/initiatives/{pk}/remettre-en-attente/", Status.CHANGES_REQUESTED, {},
        _status(Status.SUBMITTED), (403, 403, 302, 403, 403, 302),
    ),
    "bulk_publish": (
        "post", "/gestion/initiatives/publier/", Status.SUBMITTED, lambda i: {"ids": [i.pk]},
        _published, (403, 403, 302, 403, 403, 302),
    ),
    "resolve_report": (
        "post", "/gestion/signalements/{report}/traite/", Status.PUBLISHED, {}, _resolved,
        (403, 403, 302, 403, 403, 302),
    ),
}
# fmt: on

MATRIX = [
    (endpoint, persona, codes[index])
    for endpoint, (*_, codes) in ENDPOINTS.items()
    for index, persona in enumerate(PERSONAS)
]


def client_for(persona, request, initiative) -> Client:
    client = Client()
    if persona == "submitter":
        # Holds the private link of this very initiative, and nothing else.
        assert client.get(f"/initiatives/suivi/{initiative.submitter_token}/").status_code == 200
    elif persona == "admin":
        client.force_login(request.getfixturevalue("admin_user"))
    elif persona != "visitor":
        client.force_login(request.getfixturevalue(persona))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "persona", "expected"), MATRIX)
def test_permission_matrix(endpoint, persona, expected, request):
    method, path, status, data, effect, _ = ENDPOINTS[endpoint]
    initiative = make_initiative(status=status, owner="62")
    report = Report.objects.create(initiative=initiative, message="Action terminée.")
    client = client_for(persona, request, initiative)
    url = path.format(pk=initiative.pk, report=report.pk)
    steps_before = Transition.objects.count()
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, data(initiative) if callable(data) else data)
    assert response.status_code == expected
    if expected == LOGIN and method == "get":
        assert response["Location"].startswith("/comptes/connexion/?next=")
    if effect is not None:
        assert effect(initiative) is (expected == 302)
        if expected != 302:
            assert Transition.objects.count() == steps_before
            assert Initiative.objects.get(pk=initiative.pk).status == status
