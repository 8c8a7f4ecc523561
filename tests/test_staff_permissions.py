"""The permission matrix: every persona × every staff URL of every app, GET and POST.

A refused write answers 403 (anonymous GETs are sent to the login page) and changes
nothing; an allowed one does its work. Every URL under /gestion/ must have its rows here,
and every staff view must carry the role decorator.
"""

from functools import cached_property

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.views.decorators.http import require_POST

from solidaire.accounts.access import role_required
from solidaire.accounts.models import Role
from solidaire.bulletins.models import Bulletin, BulletinItem, BulletinStatus
from solidaire.bulletins.services import bulletin_create_draft
from solidaire.imports.models import ImportedDocument
from solidaire.initiatives.models import (
    Campaign,
    Initiative,
    Report,
    Status,
    Transition,
    VolunteerCall,
)
from solidaire.organisations.models import (
    Organisation,
    OrganisationInitiative,
    OrganisationStatus,
)
from solidaire.outbox.models import Delivery, DeliveryStatus
from tests.bulletins.factories import confirmed, make_series, screen
from tests.factories import make_initiative, make_volunteer_call
from tests.moderation.factories import staff_form
from tests.organisations.factories import make_organisation

PERSONAS = ("visitor", "submitter", "moderator62", "moderator59", "editor", "admin")
LOGIN = 302
STAFF_PREFIX = "gestion/"


class World:
    """What a row's URL points at, built only when the row needs it."""

    def __init__(self, status):
        self.status = status

    @cached_property
    def draft(self) -> Bulletin:
        make_initiative(title="Déjà au sommaire")
        return bulletin_create_draft(series=make_series())

    @cached_property
    def item(self) -> BulletinItem:
        return self.draft.items.get()

    @cached_property
    def initiative(self) -> Initiative:
        if "draft" in self.__dict__ or self.status is None:
            self.draft  # noqa: B018 (the bulletin exists before the initiative to add)
        return make_initiative(status=self.status or Status.PUBLISHED, owner="62")

    @cached_property
    def call(self) -> VolunteerCall:
        return make_volunteer_call(self.initiative, title="Soutien scolaire à distance")

    @cached_property
    def report(self) -> Report:
        return Report.objects.create(initiative=self.initiative, message="Action terminée.")

    @cached_property
    def document(self) -> ImportedDocument:
        return ImportedDocument.objects.create(
            content_hash="0" * 64,
            source_name="n06.txt",
            file_format="txt",
            text="Texte déposé.",
            result={"initiatives": []},
            department_id="62",
            campaign=self.initiative.campaign,
        )

    @cached_property
    def organisation(self) -> Organisation:
        return make_organisation(name="Mairie de Calais", kind="mairie", commune="62193")

    @cached_property
    def delivery(self) -> Delivery:
        return Delivery.objects.create(
            address="refuse@exemple.test",
            kind="test",
            subject="Objet",
            body="Texte",
            message_id="<delivery-test@example.org>",
            status=DeliveryStatus.FAILED,
            attempts=1,
        )

    def url(self, path: str) -> str:
        names = (
            "pk",
            "call",
            "report",
            "bulletin",
            "item",
            "series",
            "document",
            "delivery",
            "org",
        )
        values = {}
        for name in names:
            if "{" + name + "}" in path:
                values[name] = {
                    "pk": lambda: self.initiative.pk,
                    "call": lambda: self.call.pk,
                    "report": lambda: self.report.pk,
                    "bulletin": lambda: self.draft.pk,
                    "item": lambda: self.item.pk,
                    "series": lambda: self.draft.series.slug,
                    "document": lambda: self.document.pk,
                    "delivery": lambda: self.delivery.pk,
                    "org": lambda: self.organisation.pk,
                }[name]()
        return path.format(**values)


def staff_edit(w):
    return staff_form(w.initiative)


def texts_form(w):
    return screen(w.draft, issue_date="2020-04-24", introduction="Introduction revue.")


def item_form(w):
    return screen(w.draft, **{f"item-{w.item.pk}-paragraph": "Paragraphe revu."})


def composer_form(w):
    return screen(w.draft)


def _published(w):
    return Initiative.objects.get(pk=w.initiative.pk).status == Status.PUBLISHED


def _status(status):
    return lambda w: Initiative.objects.get(pk=w.initiative.pk).status == status


def _edited(w):
    return Initiative.objects.get(pk=w.initiative.pk).title == "Titre revu par la préfecture"


def _resolved(w):
    return Report.objects.get(initiative=w.initiative).resolved_at is not None


def _created(w):
    titled = Initiative.objects.filter(title="Titre revu par la préfecture")
    return titled.exclude(pk=w.initiative.pk).exists()


def _link_renewed(w):
    # An erasure gives the submitter's private link a new token.
    return (
        Initiative.objects.get(pk=w.initiative.pk).submitter_token != w.initiative.submitter_token
    )


CALL_FORM = {
    "title": "Courses pour les aînés",
    "description": "Faire les courses des personnes âgées isolées.",
    "domain": "solidarite-insertion",
    "remote": "no",
    "answer_email": "benevoles@exemple.fr",
}


def _call_added(w):
    return VolunteerCall.objects.filter(initiative=w.initiative, title=CALL_FORM["title"]).exists()


def _call_edited(w):
    w.call  # noqa: B018 (the call exists before the request edits it)
    return VolunteerCall.objects.get(pk=w.call.pk).title == CALL_FORM["title"]


def _call_form(w):
    w.call  # noqa: B018
    return CALL_FORM


def _call_deleted(w):
    return not VolunteerCall.objects.filter(pk=w.call.pk).exists()


def _erase_by_email(w):
    Initiative.objects.filter(pk=w.initiative.pk).update(submitter_email="effacer@exemple.test")
    return {"email": "effacer@exemple.test", "confirm": "1"}


def _new_draft(w):
    return Bulletin.objects.filter(series=w.draft.series).count() == 2


def _crisis_created(w):
    return Campaign.objects.filter(name="Canicule").exists()


def _texts_saved(w):
    return Bulletin.objects.get(pk=w.draft.pk).introduction == "Introduction revue."


def _bulletin_published(w):
    return Bulletin.objects.get(pk=w.draft.pk).status == BulletinStatus.PUBLISHED


def _draft_deleted(w):
    return not Bulletin.objects.filter(pk=w.draft.pk).exists()


def _added(w):
    return w.draft.items.filter(initiative=w.initiative).exists()


def _item_saved(w):
    return BulletinItem.objects.get(pk=w.item.pk).paragraph == "Paragraphe revu."


def _resent(w):
    return Delivery.objects.get(pk=w.delivery.pk).status != DeliveryStatus.FAILED


def _organisation(w) -> Organisation:
    return Organisation.objects.get(pk=w.organisation.pk)


def _org_renamed(w):
    return _organisation(w).name == "Mairie de Calais (validée)"


def _org_refused(w):
    return _organisation(w).status == OrganisationStatus.REFUSED


def _org_trusted(w):
    return _organisation(w).trusted


def _org_attached(w):
    return OrganisationInitiative.objects.filter(organisation=w.organisation).exists()


def _item_removed(w):
    return not BulletinItem.objects.filter(pk=w.item.pk).exists()


NOT_ALLOWED = (405,) * 6  # require_POST answers before the role check
EDITOR_POST_ONLY = (LOGIN, LOGIN, 403, 403, 405, 405)
COMPOSER = "/gestion/bulletins/{bulletin}/"
ORG_LIST = "/gestion/organisations/"
ORG = ORG_LIST + "{org}/"
ITEM = COMPOSER + "elements/{item}/"

# fmt: off
# row: (URL name, method, path, initiative status, POST data, effect, codes in PERSONAS order)
ENDPOINTS = {
    # Moderation.
    "queue": (
        "moderation:queue", "get", "/gestion/", Status.SUBMITTED, None, None,
        (LOGIN, LOGIN, 200, 200, 200, 200),
    ),
    "queue_post": (
        "moderation:queue", "post", "/gestion/", Status.SUBMITTED, {}, None,
        (403, 403, 200, 200, 200, 200),
    ),
    "create_page": (
        "moderation:create", "get", "/gestion/initiatives/nouvelle/", Status.SUBMITTED, None,
        None, (LOGIN, LOGIN, 200, 200, 403, 200),
    ),
    "create": (
        "moderation:create", "post", "/gestion/initiatives/nouvelle/", Status.SUBMITTED,
        staff_edit, _created, (403, 403, 302, 400, 403, 302),
    ),
    "review_page": (
        "moderation:review", "get", "/gestion/initiatives/{pk}/", Status.SUBMITTED, None, None,
        (LOGIN, LOGIN, 200, 403, 403, 200),
    ),
    "review_edit": (
        "moderation:review", "post", "/gestion/initiatives/{pk}/", Status.SUBMITTED, staff_edit,
        _edited, (403, 403, 302, 403, 403, 302),
    ),
    "act_page": (
        "moderation:act", "get", "/gestion/initiatives/{pk}/publier/", Status.SUBMITTED, None,
        None, NOT_ALLOWED,
    ),
    "publish": (
        "moderation:act", "post", "/gestion/initiatives/{pk}/publier/", Status.SUBMITTED, {},
        _published, (403, 403, 302, 403, 403, 302),
    ),
    "request_changes": (
        "moderation:act", "post", "/gestion/initiatives/{pk}/demander-modifications/",
        Status.SUBMITTED, {"message": "Précisez."}, _status(Status.CHANGES_REQUESTED),
        (403, 403, 302, 403, 403, 302),
    ),
    "reject": (
        "moderation:act", "post", "/gestion/initiatives/{pk}/refuser/", Status.SUBMITTED,
        {"message": "Hors sujet."}, _status(Status.REJECTED), (403, 403, 302, 403, 403, 302),
    ),
    "archive": (
        "moderation:act", "post", "/gestion/initiatives/{pk}/archiver/", Status.PUBLISHED, {},
        _status(Status.ARCHIVED), (403, 403, 302, 403, 403, 302),
    ),
    "back_to_queue": (
        "moderation:act", "post", "/gestion/initiatives/{pk}/remettre-en-attente/",
        Status.CHANGES_REQUESTED, {}, _status(Status.SUBMITTED),
        (403, 403, 302, 403, 403, 302),
    ),
    "bulk_publish_page": (
        "moderation:bulk_publish", "get", "/gestion/initiatives/publier/", Status.SUBMITTED,
        None, None, (LOGIN, LOGIN, 200, 200, 403, 200),
    ),
    "bulk_publish_confirm": (
        "moderation:bulk_publish", "post", "/gestion/initiatives/publier/", Status.SUBMITTED,
        lambda w: {"ids": [w.initiative.pk]}, _published, (403, 403, 200, 403, 403, 200),
    ),
    "bulk_publish": (
        "moderation:bulk_publish", "post", "/gestion/initiatives/publier/", Status.SUBMITTED,
        lambda w: {"ids": [w.initiative.pk], "confirm": "1"}, _published,
        (403, 403, 302, 403, 403, 302),
    ),
    "resolve_report_page": (
        "moderation:resolve_report", "get", "/gestion/signalements/{report}/traite/",
        Status.PUBLISHED, None, None, NOT_ALLOWED,
    ),
    "resolve_report": (
        "moderation:resolve_report", "post", "/gestion/signalements/{report}/traite/",
        Status.PUBLISHED, {}, _resolved, (403, 403, 302, 403, 403, 302),
    ),
    # Freshness: the "à vérifier" list and the outcome of a call (moderators only).
    "to_verify": (
        "moderation:to_verify", "get", "/gestion/a-verifier/", Status.PUBLISHED, None, None,
        (LOGIN, LOGIN, 200, 200, 403, 200),
    ),
    "to_verify_post": (
        "moderation:to_verify", "post", "/gestion/a-verifier/", Status.PUBLISHED, {}, None,
        (403, 403, 200, 200, 403, 200),
    ),
    "record_call_page": (
        "moderation:record_call", "get", "/gestion/a-verifier/{pk}/ended/", Status.PUBLISHED,
        None, None, NOT_ALLOWED,
    ),
    "record_call": (
        "moderation:record_call", "post", "/gestion/a-verifier/{pk}/ended/", Status.PUBLISHED,
        {}, _status(Status.ARCHIVED), (403, 403, 302, 403, 403, 302),
    ),
    # An initiative's calls for volunteers: its moderators.
    "volunteer_call_add_page": (
        "moderation:volunteer_call_add", "get", "/gestion/initiatives/{pk}/benevolat/nouveau/",
        Status.PUBLISHED, None, None, (LOGIN, LOGIN, 200, 403, 403, 200),
    ),
    "volunteer_call_add": (
        "moderation:volunteer_call_add", "post", "/gestion/initiatives/{pk}/benevolat/nouveau/",
        Status.PUBLISHED, CALL_FORM, _call_added, (403, 403, 302, 403, 403, 302),
    ),
    "volunteer_call_edit_page": (
        "moderation:volunteer_call_edit", "get", "/gestion/initiatives/{pk}/benevolat/{call}/",
        Status.PUBLISHED, None, None, (LOGIN, LOGIN, 200, 403, 403, 200),
    ),
    "volunteer_call_edit": (
        "moderation:volunteer_call_edit", "post", "/gestion/initiatives/{pk}/benevolat/{call}/",
        Status.PUBLISHED, _call_form, _call_edited, (403, 403, 302, 403, 403, 302),
    ),
    "volunteer_call_delete_page": (
        "moderation:volunteer_call_delete", "get",
        "/gestion/initiatives/{pk}/benevolat/{call}/supprimer/",
        Status.PUBLISHED, None, None, NOT_ALLOWED,
    ),
    "volunteer_call_delete": (
        "moderation:volunteer_call_delete", "post",
        "/gestion/initiatives/{pk}/benevolat/{call}/supprimer/",
        Status.PUBLISHED, {}, _call_deleted, (403, 403, 302, 403, 403, 302),
    ),
    # RGPD art. 17: a submitter for the initiative's moderators, anyone for admins.
    "erase_page": (
        "moderation:erase", "get", "/gestion/initiatives/{pk}/effacer-donnees/",
        Status.SUBMITTED, None, None, (LOGIN, LOGIN, 200, 403, 403, 200),
    ),
    "erase": (
        "moderation:erase", "post", "/gestion/initiatives/{pk}/effacer-donnees/",
        Status.SUBMITTED, {"confirm": "1"}, _link_renewed, (403, 403, 302, 403, 403, 302),
    ),
    "erase_person_page": (
        "moderation:erase_person", "get", "/gestion/donnees-personnelles/", Status.SUBMITTED,
        None, None, (LOGIN, LOGIN, 403, 403, 403, 200),
    ),
    "erase_person": (
        "moderation:erase_person", "post", "/gestion/donnees-personnelles/", Status.SUBMITTED,
        _erase_by_email, _link_renewed, (403, 403, 403, 403, 403, 302),
    ),
    # The bulletin composer (editors of the series' département).
    "composer": (
        "bulletins:composer", "get", "/gestion/bulletins/", None, None, None,
        (LOGIN, LOGIN, 403, 403, 200, 200),
    ),
    "composer_post": (
        "bulletins:composer", "post", "/gestion/bulletins/", None, {}, None,
        (403, 403, 403, 403, 200, 200),
    ),
    "draft_create_page": (
        "bulletins:draft_create", "get", "/gestion/bulletins/series/{series}/nouveau/", None,
        None, None, EDITOR_POST_ONLY,
    ),
    "draft_create": (
        "bulletins:draft_create", "post", "/gestion/bulletins/series/{series}/nouveau/", None,
        {}, _new_draft, (403, 403, 403, 403, 302, 302),
    ),
    "compose": (
        "bulletins:compose", "get", COMPOSER, None, None, None,
        (LOGIN, LOGIN, 403, 403, 200, 200),
    ),
    "compose_post": (
        "bulletins:compose", "post", COMPOSER, None, {}, None, (403, 403, 403, 403, 200, 200),
    ),
    "texts_save_page": (
        "bulletins:texts_save", "get", COMPOSER + "textes/", None, None, None, EDITOR_POST_ONLY,
    ),
    "texts_save": (
        "bulletins:texts_save", "post", COMPOSER + "textes/", None, texts_form, _texts_saved,
        (403, 403, 403, 403, 302, 302),
    ),
    "preview": (
        "bulletins:preview", "get", COMPOSER + "apercu/", None, None, None,
        (LOGIN, LOGIN, 403, 403, 200, 200),
    ),
    "preview_post": (
        "bulletins:preview", "post", COMPOSER + "apercu/", None, {}, None,
        (403, 403, 403, 403, 200, 200),
    ),
    "bulletin_publish_page": (
        "bulletins:publish", "get", COMPOSER + "publier/", None, None, None,
        (LOGIN, LOGIN, 403, 403, 200, 200),
    ),
    "bulletin_publish": (
        "bulletins:publish", "post", COMPOSER + "publier/", None,
        lambda w: confirmed(w.draft, send=True), _bulletin_published,
        (403, 403, 403, 403, 302, 302),
    ),
    "resend_page": (
        "bulletins:resend", "get", COMPOSER + "renvoyer/", None, None, None, EDITOR_POST_ONLY,
    ),
    "resend": (
        "bulletins:resend", "post", COMPOSER + "renvoyer/", None, {}, None,
        (403, 403, 403, 403, 302, 302),
    ),
    "draft_delete_page": (
        "bulletins:draft_delete", "get", COMPOSER + "supprimer/", None, None, None,
        EDITOR_POST_ONLY,
    ),
    "draft_delete": (
        "bulletins:draft_delete", "post", COMPOSER + "supprimer/", None, {}, _draft_deleted,
        (403, 403, 403, 403, 302, 302),
    ),
    "item_add_page": (
        "bulletins:item_add", "get", COMPOSER + "ajouter/", None, None, None, EDITOR_POST_ONLY,
    ),
    "item_add": (
        "bulletins:item_add", "post", COMPOSER + "ajouter/", None,
        lambda w: screen(w.draft, initiative=w.initiative.pk), _added,
        (403, 403, 403, 403, 302, 302),
    ),
    "item_save_page": (
        "bulletins:item_save", "get", ITEM, None, None, None, EDITOR_POST_ONLY,
    ),
    "item_save": (
        "bulletins:item_save", "post", ITEM, None, item_form, _item_saved,
        (403, 403, 403, 403, 302, 302),
    ),
    "item_remove_page": (
        "bulletins:item_remove", "get", ITEM + "retirer/", None, None, None, EDITOR_POST_ONLY,
    ),
    "item_remove": (
        "bulletins:item_remove", "post", ITEM + "retirer/", None, composer_form, _item_removed,
        (403, 403, 403, 403, 302, 302),
    ),
    "item_move_page": (
        "bulletins:item_move", "get", ITEM + "up/", None, None, None, EDITOR_POST_ONLY,
    ),
    "item_move": (
        "bulletins:item_move", "post", ITEM + "up/", None, composer_form, None,
        (403, 403, 403, 403, 302, 302),
    ),
    # A new crisis (administrators only).
    "crisis_create_page": (
        "bulletins:crisis_create", "get", "/gestion/crises/nouvelle/", None, None, None,
        (LOGIN, LOGIN, 403, 403, 403, 200),
    ),
    "crisis_create": (
        "bulletins:crisis_create", "post", "/gestion/crises/nouvelle/", None,
        {"name": "Canicule", "themes": "Fraîcheur"}, _crisis_created,
        (403, 403, 403, 403, 403, 302),
    ),
    # Background work: tasks, e-mails, scheduled jobs (administrators only).
    "outbox_status": (
        "outbox:status", "get", "/gestion/travaux/", None, None, None,
        (LOGIN, LOGIN, 403, 403, 403, 200),
    ),
    "outbox_status_post": (
        "outbox:status", "post", "/gestion/travaux/", None, {}, None,
        (403, 403, 403, 403, 403, 200),
    ),
    "outbox_resend_page": (
        "outbox:resend", "get", "/gestion/travaux/envois/{delivery}/renvoyer/", None, None,
        None, NOT_ALLOWED,
    ),
    "outbox_resend": (
        "outbox:resend", "post", "/gestion/travaux/envois/{delivery}/renvoyer/", None, {},
        _resent, (403, 403, 403, 403, 403, 302),
    ),
    # Imports (moderators of the document's département).
    "upload_page": (
        "imports:upload", "get", "/gestion/imports/", None, None, None,
        (LOGIN, LOGIN, 200, 200, 403, 200),
    ),
    "upload": (
        "imports:upload", "post", "/gestion/imports/", None, {}, None,
        (403, 403, 200, 200, 403, 200),
    ),
    "import_review": (
        "imports:review", "get", "/gestion/imports/{document}/", None, None, None,
        (LOGIN, LOGIN, 200, 403, 403, 200),
    ),
    "import_review_post": (
        "imports:review", "post", "/gestion/imports/{document}/", None, {}, None,
        (403, 403, 200, 403, 403, 200),
    ),
    "import_progress": (
        "imports:progress", "get", "/gestion/imports/{document}/avancement/", None, None, None,
        (LOGIN, LOGIN, 200, 403, 403, 200),
    ),
    "import_progress_post": (
        "imports:progress", "post", "/gestion/imports/{document}/avancement/", None, {}, None,
        NOT_ALLOWED,
    ),
    # Organisations (moderators of the organisation's commune's département).
    "organisations": (
        "organisations_staff:list", "get", ORG_LIST, None, None, None,
        (LOGIN, LOGIN, 200, 200, 403, 200),
    ),
    "organisations_post": (
        "organisations_staff:list", "post", ORG_LIST, None, {}, None,
        (403, 403, 200, 200, 403, 200),
    ),
    "organisation": (
        "organisations_staff:detail", "get", ORG, None, None, None,
        (LOGIN, LOGIN, 200, 403, 403, 200),
    ),
    "organisation_post": (
        "organisations_staff:detail", "post", ORG, None, {}, None,
        (403, 403, 200, 403, 403, 200),
    ),
    "organisation_approve_page": (
        "organisations_staff:approve", "get", ORG + "valider/", None, None, None, NOT_ALLOWED,
    ),
    "organisation_approve": (
        "organisations_staff:approve", "post", ORG + "valider/", None,
        {"name": "Mairie de Calais (validée)", "kind": "mairie", "commune": "62193"},
        _org_renamed, (403, 403, 302, 403, 403, 302),
    ),
    "organisation_refuse_page": (
        "organisations_staff:refuse", "get", ORG + "refuser/", None, None, None, NOT_ALLOWED,
    ),
    "organisation_refuse": (
        "organisations_staff:refuse", "post", ORG + "refuser/", None, {"reason": "Non."},
        _org_refused, (403, 403, 302, 403, 403, 302),
    ),
    "organisation_trust_page": (
        "organisations_staff:trust", "get", ORG + "confiance/", None, None, None, NOT_ALLOWED,
    ),
    "organisation_trust": (
        "organisations_staff:trust", "post", ORG + "confiance/", None, {"trusted": "1"},
        _org_trusted, (403, 403, 302, 403, 403, 302),
    ),
    "organisation_attach_page": (
        "organisations_staff:attach", "get", ORG + "rattacher/", None, None, None, NOT_ALLOWED,
    ),
    "organisation_attach": (
        "organisations_staff:attach", "post", ORG + "rattacher/", None,
        lambda w: {"initiative": str(w.initiative.pk)}, _org_attached,
        (403, 403, 302, 403, 403, 302),
    ),
}
# fmt: on

MATRIX = [
    (endpoint, persona, codes[index])
    for endpoint, (*_, codes) in ENDPOINTS.items()
    for index, persona in enumerate(PERSONAS)
]


def staff_patterns() -> list[tuple[str, str, object]]:
    """(route, namespaced name, view) of every URL pattern under /gestion/, includes walked."""
    found = []

    def walk(patterns, prefix, namespaces):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, route, inner)
            elif route.startswith(STAFF_PREFIX):
                found.append((route, ":".join([*namespaces, pattern.name]), pattern.callback))

    walk(get_resolver().url_patterns, "", [])
    return found


def test_the_walk_finds_the_staff_urls_of_every_app():
    names = {name for _, name, _ in staff_patterns()}
    assert {"moderation:queue", "bulletins:compose", "imports:upload"} <= names


def test_every_staff_url_has_rows_in_the_matrix_for_get_and_post():
    rows = {(name, method) for name, method, *_ in ENDPOINTS.values()}
    missing = [
        (route, name, method)
        for route, name, _ in staff_patterns()
        for method in ("get", "post")
        if (name, method) not in rows
    ]
    assert missing == []


def test_every_staff_view_carries_the_role_decorator():
    unguarded = [
        (route, name)
        for route, name, view in staff_patterns()
        if not getattr(view, "required_roles", None)
    ]
    assert unguarded == []


def test_the_role_decorator_marks_the_view_it_guards():
    def view(request):
        return None

    assert getattr(view, "required_roles", None) is None
    assert role_required(Role.EDITOR)(view).required_roles == {Role.EDITOR}
    assert require_POST(role_required(Role.MODERATOR)(view)).required_roles == {Role.MODERATOR}


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
    name, method, path, status, data, effect, _ = ENDPOINTS[endpoint]
    world = World(status)
    url = world.url(path)
    assert resolve(url).view_name == name
    client = client_for(persona, request, world.initiative)
    initiative_status = world.initiative.status
    steps_before = Transition.objects.count()
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, data(world) if callable(data) else data)
    assert response.status_code == expected
    if expected == LOGIN and method == "get":
        assert response["Location"].startswith("/comptes/connexion/?next=")
    if effect is not None:
        assert effect(world) is (expected == 302)
        if expected != 302:
            assert Transition.objects.count() == steps_before
            assert Initiative.objects.get(pk=world.initiative.pk).status == initiative_status
