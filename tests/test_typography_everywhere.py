"""French typography over the demo: every page, e-mail, feed and PDF the platform renders.

No ordinary space (U+0020) before ; ! ? : or », nor after «, in human text: tags,
attributes, comments, scripts, styles and code or user-input elements (<pre>, <code>,
<textarea>…) are not prose and are left out, entities are decoded. JSON, GeoJSON and CSV
outputs are data and are not read.
"""

import html
import io
import re

import feedparser
import pytest
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from pypdf import PdfReader

from solidaire.accounts.models import Role, User
from solidaire.accounts.services import invitation_create
from solidaire.bulletins.mailing import send_bulletin
from solidaire.bulletins.models import Bulletin, BulletinSeries, Subscriber, SubscriberStatus
from solidaire.bulletins.services import bulletin_create_draft
from solidaire.bulletins.subscriptions import subscriber_subscribe
from solidaire.imports.models import DocumentStatus, ImportedDocument
from solidaire.imports.services import document_analyse
from solidaire.initiatives.emails import SUBJECTS
from solidaire.initiatives.freshness import answer_token, freshness_asks_run
from solidaire.initiatives.models import Campaign, FreshnessAsk, Initiative, Place, Report
from solidaire.initiatives.services import (
    initiative_reject,
    initiative_request_changes,
    initiative_submit,
    volunteer_call_create,
)
from tests.database import module_data
from tests.imports.factories import sample_text
from tests.organisations.factories import attach, make_member, make_organisation

pytestmark = pytest.mark.django_db

# A plain space before a high mark (the mark then ends a word), or after an opening guillemet.
_SPACE_BEFORE_RE = re.compile(r"\S( +)([;:!?»])(?=\s|$|[.,;:!?…)»\"'’])")
_SPACE_AFTER_RE = re.compile(r"«( +)")
_NOT_PROSE_RE = re.compile(
    r"<!--.*?-->|<(script|style|pre|code|textarea|kbd|samp)\b[^>]*>.*?</\1\s*>",
    re.DOTALL | re.IGNORECASE,
)
_TAG_RE = re.compile(r"<[!/?a-zA-Z](?:[^>\"']|\"[^\"]*\"|'[^']*')*>")


def text_violations(text: str) -> list[str]:
    """Each place of ``text`` (plain text) where a plain space breaks French typography."""
    found = []
    for regex in (_SPACE_BEFORE_RE, _SPACE_AFTER_RE):
        for match in regex.finditer(text):
            found.append(text[max(0, match.start() - 40) : match.end() + 10])
    return found


def html_text(page: str) -> str:
    """The human text of an HTML page: no markup, no code, entities decoded, and each run
    of ASCII white space as the one plain space a browser shows."""
    text = _TAG_RE.sub("", _NOT_PROSE_RE.sub(" ", page))
    return html.unescape(re.sub(r"[ \t\r\n]+", " ", text))


def html_violations(page: str) -> list[str]:
    return text_violations(html_text(page))


# --- The checker can fail -------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "<p>Contact : ici</p>",
        "<p>Vraiment ?</p>",
        "<p>« bonjour»</p>",
        "<p>le n°6&nbsp;; <b>Attention</b> !</p>",
        "<title>Erreur : formulaire</title>",
        "<p>Fin &raquo; ; suite</p>",
        "<label>Nom\n  :</label>",
    ],
)
def test_the_checker_finds_a_planted_violation(page):
    assert html_violations(page)


@pytest.mark.parametrize(
    "page",
    [
        "<p>Contact\u00a0: ici\u202f; <a href='/x?y=1' title='a : b'>lien</a></p>",
        "<p>Vraiment\u202f? 10:30, https://exemple.fr/a:b «\u00a0oui\u00a0»</p>",
        "<textarea>Tel quel ?</textarea><script>a ? b : c</script><code>x ?</code>",
    ],
)
def test_the_checker_accepts_french_text_and_ignores_what_is_not_prose(page):
    assert html_violations(page) == []


# --- The demo, built once -------------------------------------------------------------


def build_demo():
    call_command("load_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get()
    series = BulletinSeries.objects.get()
    admin_user = User.objects.get(username="admin")
    published = list(Initiative.objects.order_by("published_at"))
    proposal, _ = initiative_submit(
        submission_key="typo-demo",
        data={
            "title": "Courses pour les voisins",
            "description": "Des bénévoles font les courses : appelez-nous !",
            "campaign": campaign,
            "actor_name": "CCAS d'Arras",
            "actor_kind": "municipality",
            "owner_department": "62",
            "submitter_name": "Déposant Démo",
            "submitter_email": "deposant@exemple.test",
            "submitter_phone": "+33321320000",
            "consent_public_contacts": True,
        },
        places=[("commune", "62041")],
        quantities=[],
        contacts=[("phone", "+33321320000")],
        themes=[],
    )
    report = Report.objects.create(initiative=published[0], message="Action terminée ?")
    call = volunteer_call_create(
        initiative=published[0],
        data={
            "title": "Soutien scolaire à distance : des collégiens à aider",
            "description": "Deux soirs par semaine ? Une heure suffit !",
            "schedule": "Une heure par semaine",
            "volunteers_wanted": 3,
            "answer_email": "benevoles@exemple.test",
        },
    )
    ask = FreshnessAsk.objects.create(
        initiative=published[1],
        cycle=published[1].verified_at,
        channel="email",
        asked_at=published[1].verified_at,
    )
    document, _ = document_analyse(
        text=sample_text(), name="n06.txt", department="62", campaign=campaign
    )
    draft = bulletin_create_draft(series=series)
    invitation = invitation_create(
        email="agent@prefecture.exemple.test",
        role=Role.MODERATOR,
        departments=["62"],
        invited_by=admin_user,
    )
    confirmed = Subscriber.objects.create(
        series=series, email="lecteur@exemple.test", status=SubscriberStatus.CONFIRMED
    )
    pending = Subscriber.objects.create(series=series, email="attente@exemple.test")
    arrondissement = Place.objects.filter(arrondissement__isnull=False).first()
    epci = Place.objects.filter(epci__isnull=False).first()
    organisation = make_organisation(name="Mairie d'Arras", kind="mairie", commune="62041")
    make_member(organisation, "membre-demo")
    attach(proposal, organisation)
    attach(published[0], organisation)
    return {
        "organisation": organisation,
        "campaign": campaign,
        "series": series,
        "published": published,
        "proposal": proposal,
        "report": report,
        "call": call,
        "ask": ask,
        "document": document,
        # A large document still analysed in the background, and one whose analysis failed.
        "analysing": ImportedDocument.objects.create(
            content_hash="a" * 64,
            source_name="long.txt",
            file_format="paste",
            text="Un long bulletin.",
            department_id="62",
            status=DocumentStatus.ANALYSING,
            progress=75,
            progress_step="Communes et zones",
        ),
        "failed": ImportedDocument.objects.create(
            content_hash="f" * 64,
            source_name="casse.txt",
            file_format="paste",
            text="Un bulletin illisible.",
            department_id="62",
            status=DocumentStatus.FAILED,
            error="L'analyse du document a échoué après l'étape « Contacts » : déposez-le "
            "de nouveau ou signalez-le à l'équipe technique.",
        ),
        "bulletin": Bulletin.objects.get(series=series, number=6),
        "draft": draft,
        "invitation": invitation,
        "confirmed": confirmed,
        "pending": pending,
        "arrondissement": arrondissement.arrondissement_id if arrondissement else "621",
        "epci": epci.epci_id if epci else None,
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker, build_demo) as data:
        yield data


def member_client() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="membre-demo"))
    return client


def staff_client() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client


# --- Pages ----------------------------------------------------------------------------

# URL names that are no page of their own (POST-only actions, data, files, redirects).
NOT_PAGES = {
    "initiatives:map_counts": "JSON",
    "health": "JSON (load balancers' health check)",
    "security_txt": "plain text (RFC 9116), checked in tests/test_security_txt.py",
    "initiatives:map_places": "JSON",
    "territory:geojson-62": "GeoJSON",
    "territory:outline": "GeoJSON",
    "initiatives:follow_withdraw": "POST only",
    "initiatives:follow_resubmit": "POST only",
    "accounts:logout": "POST only",
    "accounts:proconnect_login": "redirect to ProConnect (404 while it is off)",
    "accounts:proconnect_callback": "ProConnect's redirect back, tested in tests/accounts/test_proconnect.py",
    "accounts:proconnect_logged_out": "redirect home after ProConnect's logout",
    "outbox:resend": "POST only",
    "accounts:password_reset_confirm": "reached from the reset e-mail, checked below",
    "moderation:act": "POST only",
    "moderation:resolve_report": "POST only",
    "moderation:record_call": "POST only",
    "moderation:volunteer_call_delete": "POST only",
    "initiatives:volunteer_feed_xml": "XML feed, checked in tests/initiatives/test_volunteer_feed.py",
    "initiatives:volunteer_feed_json": "JSON",
    "bulletins:draft_create": "POST only",
    "bulletins:texts_save": "POST only",
    "bulletins:resend": "POST only",
    "bulletins:draft_delete": "POST only",
    "bulletins:item_add": "POST only",
    "bulletins:item_save": "POST only",
    "bulletins:item_remove": "POST only",
    "bulletins:item_move": "POST only",
    "bulletins:unsubscribe": "one click: GET confirms, checked below",
    "bulletins:confirm": "one click, checked below",
    "bulletins:pdf": "PDF, checked below",
    "initiatives:feed_campaign_rss": "feed, checked below",
    "initiatives:feed_campaign_atom": "feed, checked below",
    "initiatives:feed_commune_rss": "feed, checked below",
    "initiatives:feed_commune_atom": "feed, checked below",
    "bulletins:feed_series_rss": "feed, checked below",
    "bulletins:feed_series_atom": "feed, checked below",
    "opendata:api-communes": "JSON",
    "opendata:api-initiatives": "JSON",
    "opendata:api-initiative": "JSON",
    "opendata:api-campaigns": "JSON",
    "opendata:api-bulletins": "JSON",
    "opendata:api-stats": "JSON",
    "opendata:api-schema": "OpenAPI schema",
    "opendata:datapackage": "JSON",
    "opendata:table-schema": "JSON (Table Schema)",
    "opendata:export-data-inclusion": "JSON (data·inclusion)",
    "opendata:export-spreadsheet": "CSV",
    "opendata:export": "CSV, JSON, GeoJSON",
    "opendata:chart-csv": "CSV",
    "initiatives:feed_epci_rss": "feed",
    "initiatives:feed_epci_atom": "feed",
    "initiatives:feed_arrondissement_rss": "feed",
    "initiatives:feed_arrondissement_atom": "feed",
    "initiatives:feed_department_rss": "feed",
    "initiatives:feed_department_atom": "feed",
    "initiatives:feed_search_rss": "feed",
    "initiatives:feed_search_atom": "feed",
    "alerts:confirm": "token page, checked in tests/alerts/test_views.py",
    "alerts:unsubscribe": "token page, checked in tests/alerts/test_views.py",
    "alerts:manage": "token page, checked in tests/alerts/test_views.py",
    "alerts:delete_all": "POST only",
    "alerts:commune_sheet": "PDF",
    "alerts:commune_embed_json": "JSON",
    "sitemap": "XML",
    "organisations:propose_details": "POST only",
    "organisations:confirm": "POST only",
    "organisations:invite": "POST only",
    "organisations:accept": "POST only",
    "organisations_staff:approve": "POST only",
    "organisations_staff:refuse": "POST only",
    "organisations_staff:trust": "POST only",
    "organisations_staff:attach": "POST only",
    "django.contrib.sitemaps.views.sitemap": "XML",
}


def page_paths(demo) -> dict[str, list[str]]:
    """URL name -> the paths of the demo that show it."""
    first = demo["published"][0]
    series, bulletin, draft = demo["series"], demo["bulletin"], demo["draft"]
    token = demo["proposal"].submitter_token
    return {
        "initiatives:home": ["/"],
        "initiatives:list": ["/initiatives/", "/initiatives/?q=masques&department=62"],
        "initiatives:detail": [i.get_absolute_url() for i in demo["published"]],
        "initiatives:commune": ["/communes/62041/", "/communes/62160/", "/communes/62643/"],
        "initiatives:epci": [f"/epci/{demo['epci']}/"] if demo["epci"] else [],
        "initiatives:arrondissement": [f"/arrondissements/{demo['arrondissement']}/"],
        "initiatives:near_me": ["/pres-de-chez-moi/", "/pres-de-chez-moi/?commune=62100"],
        "initiatives:report": [f"/initiatives/{first.pk}/signaler/"],
        "initiatives:map": ["/carte/"],
        "initiatives:volunteer_calls": ["/benevolat/", "/benevolat/?department=999"],
        "initiatives:map_panel": ["/carte/communes/62041/", "/carte/communes/62160/"],
        "initiatives:propose": ["/initiatives/proposer/"],
        "initiatives:propose_done": ["/initiatives/proposer/merci/"],
        "initiatives:follow": [f"/initiatives/suivi/{token}/"],
        "initiatives:follow_edit": [f"/initiatives/suivi/{token}/modifier/"],
        "initiatives:freshness_answer": [
            f"/initiatives/verification/{answer_token(demo['ask'], action)}/"
            for action in ("active", "ended", "changes", "optout")
        ],
        "territory:search": ["/communes/", "/communes/?q=zzzz"],
        "accounts:login": ["/comptes/connexion/"],
        "accounts:password_reset": ["/comptes/mot-de-passe/"],
        "accounts:password_reset_done": ["/comptes/mot-de-passe/envoye/"],
        "accounts:password_reset_complete": ["/comptes/mot-de-passe/termine/"],
        "accounts:invitation": [f"/comptes/invitation/{demo['invitation'].token}/"],
        "bulletins:archive": ["/bulletins/"],
        "bulletins:series": [series.get_absolute_url()],
        "bulletins:subscribe": [f"/bulletins/{series.slug}/abonnement/"],
        "bulletins:detail": [bulletin.get_absolute_url()],
        "opendata:index": ["/donnees/"],
        "initiatives:department": ["/departements/62/"],
        "initiatives:region": ["/regions/32/"],
        "initiatives:france": ["/regions/"],
        "opendata:figures": ["/chiffres/"],
        "opendata:api-docs": ["/api/v1/docs/"],
        "accessibility": ["/accessibilite/"],
        "legal": ["/mentions-legales/"],
        "privacy": ["/donnees-personnelles/"],
        # Staff pages (the administrator sees every one).
        "moderation:queue": ["/gestion/", "/gestion/?status=published"],
        "outbox:status": ["/gestion/travaux/"],
        "moderation:create": ["/gestion/initiatives/nouvelle/"],
        "moderation:volunteer_call_add": [f"/gestion/initiatives/{first.pk}/benevolat/nouveau/"],
        "moderation:volunteer_call_edit": [
            f"/gestion/initiatives/{first.pk}/benevolat/{demo['call'].pk}/"
        ],
        "moderation:erase": [f"/gestion/initiatives/{first.pk}/effacer-donnees/"],
        "moderation:erase_person": ["/gestion/donnees-personnelles/"],
        "moderation:bulk_publish": ["/gestion/initiatives/publier/"],
        "moderation:to_verify": ["/gestion/a-verifier/"],
        "moderation:review": [
            f"/gestion/initiatives/{demo['proposal'].pk}/",
            f"/gestion/initiatives/{first.pk}/",
        ],
        "bulletins:composer": ["/gestion/bulletins/"],
        "bulletins:compose": [
            f"/gestion/bulletins/{draft.pk}/",
            f"/gestion/bulletins/{bulletin.pk}/",
        ],
        "bulletins:preview": [f"/gestion/bulletins/{draft.pk}/apercu/"],
        "bulletins:publish": [f"/gestion/bulletins/{draft.pk}/publier/"],
        "bulletins:crisis_create": ["/gestion/crises/nouvelle/"],
        "imports:upload": ["/gestion/imports/"],
        "imports:review": [
            f"/gestion/imports/{demo['document'].pk}/",
            f"/gestion/imports/{demo['analysing'].pk}/",
            f"/gestion/imports/{demo['failed'].pk}/",
        ],
        "imports:progress": [f"/gestion/imports/{demo['analysing'].pk}/avancement/"],
        "alerts:new": ["/alertes/", "/alertes/?commune=62041", "/alertes/?department=62"],
        "alerts:commune_embed": ["/communes/62041/encart/"],
        "alerts:commune_embed_html": ["/communes/62041/encart.html"],
        # The organisation's space (its member sees every one).
        "organisations:home": ["/organisation/"],
        "organisations:propose": ["/organisation/initiatives/nouvelle/"],
        "organisations:edit": [
            f"/organisation/initiatives/{demo['proposal'].pk}/modifier/",
            f"/organisation/initiatives/{first.pk}/modifier/",
        ],
        "organisations_staff:list": ["/gestion/organisations/", "/gestion/organisations/?statut="],
        "organisations_staff:detail": [f"/gestion/organisations/{demo['organisation'].pk}/"],
    }


def url_names(patterns=None, namespace="") -> set[str]:
    """Every named URL of the site but the Django admin's (crawled from its registry)."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_named_url_is_crawled_or_said_not_to_be_a_page(demo):
    listed = set(page_paths(demo)) | set(NOT_PAGES)
    assert url_names() - listed == set()
    assert set(page_paths(demo)) & set(NOT_PAGES) == set()


_CARD_PLACES_RE = re.compile(r'<p class="fr-card__detail fr-icon-map-pin-2-line">(.*?)</p>', re.S)


def repeated_places(page: str) -> list[str]:
    """The cards of a page that name a place twice."""
    repeated = []
    for match in _CARD_PLACES_RE.finditer(page):
        names = [n.strip() for n in html_text(match.group(1)).split("—")[0].split(",")]
        if len(names) != len(set(names)):
            repeated.append(", ".join(names))
    return repeated


def test_the_card_check_finds_a_commune_listed_twice():
    card = '<p class="fr-card__detail fr-icon-map-pin-2-line">Arras, Lens, Arras — à 2 km</p>'
    assert repeated_places(card) == ["Arras, Lens, Arras"]
    assert repeated_places(card.replace("Lens, Arras", "Lens")) == []


def _check_page(client, path, problems, *, method="get", data=None):
    response = getattr(client, method)(path, data or {})
    assert response.status_code in (200, 400, 403, 404, 429), (path, response.status_code)
    assert response["Content-Type"].startswith("text/html"), path
    page = response.content.decode()
    for found in html_violations(page):
        problems.append((path, found))
    for names in repeated_places(page):
        problems.append((path, f"a card names a place twice: {names}"))
    return response


def test_no_page_has_a_plain_space_before_high_punctuation(demo):
    visitor, staff, member = Client(), staff_client(), member_client()
    problems, seen = [], 0
    for name, paths in page_paths(demo).items():
        client = staff if paths and paths[0].startswith("/gestion/") else visitor
        if paths and paths[0].startswith("/organisation/"):
            client = member
        for path in paths:
            response = _check_page(client, path, problems)
            assert response.status_code == 200, (name, path)
            seen += 1
    # The sitemap's pages (each initiative, commune, bulletin…) and the error pages.
    sitemap = visitor.get("/sitemap.xml").content.decode()
    for loc in re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", sitemap):
        if not loc.endswith((".xml", ".csv", ".json", ".geojson", "pdf")):
            _check_page(visitor, loc, problems)
            seen += 1
    _check_page(visitor, "/nulle-part/", problems)
    editor = Client()
    editor.force_login(User.objects.get(username="editeur62"))
    assert _check_page(editor, "/gestion/imports/", problems).status_code == 403
    assert seen > 50
    assert problems == []


def test_no_form_error_nor_flash_message_has_a_plain_space(demo):
    visitor, staff, member = Client(), staff_client(), member_client()
    first = demo["published"][0]
    problems = []
    posts = [
        (visitor, "/initiatives/proposer/", {"title": "x"}),
        (visitor, f"/initiatives/{first.pk}/signaler/", {"message": ""}),
        (visitor, f"/initiatives/verification/{answer_token(demo['ask'], 'changes')}/", {}),
        (visitor, "/initiatives/verification/abimé/", {}),
        (visitor, f"/bulletins/{demo['series'].slug}/abonnement/", {"email": "pas-une-adresse"}),
        (visitor, "/comptes/connexion/", {"username": "admin", "password": "faux"}),
        (staff, f"/gestion/initiatives/{demo['proposal'].pk}/", {"title": ""}),
        (staff, "/gestion/crises/nouvelle/", {"name": ""}),
        (staff, "/gestion/imports/", {"text": ""}),
        (staff, f"/gestion/organisations/{demo['organisation'].pk}/valider/", {"name": ""}),
        (member, "/organisation/membres/inviter/", {"email": "x"}),
        (member, f"/organisation/initiatives/{demo['proposal'].pk}/modifier/", {"title": ""}),
    ]
    for client, path, data in posts:
        response = _check_page(client, path, problems, method="post", data=data)
        assert response.status_code in (200, 400), path
    # A flash message after an action, shown on the next page.
    response = staff.post(f"/gestion/signalements/{demo['report'].pk}/traite/", follow=True)
    for found in html_violations(response.content.decode()):
        problems.append(("flash message", found))
    assert problems == []


def test_no_admin_page_has_a_plain_space(demo):
    staff, problems = staff_client(), []
    _check_page(staff, "/admin/", problems)
    for model in admin.site._registry:
        opts = model._meta
        _check_page(staff, f"/admin/{opts.app_label}/{opts.model_name}/", problems)
    assert problems == []


# --- E-mails --------------------------------------------------------------------------


def test_no_email_has_a_plain_space_in_its_subject_text_or_html(
    demo, django_capture_on_commit_callbacks
):
    admin_user = User.objects.get(username="admin")
    mail.outbox = []
    proposals = []
    for key in ("typo-mail-1", "typo-mail-2"):
        with django_capture_on_commit_callbacks(execute=True):
            proposal, _ = initiative_submit(
                submission_key=key,
                data={
                    "title": "Repas livrés",
                    "description": "Des repas : livrés !",
                    "campaign": demo["campaign"],
                    "actor_name": "Association",
                    "actor_kind": "association",
                    "owner_department": "62",
                    "submitter_email": f"{key}@exemple.test",
                },
                places=[("commune", "62041")],
            )
        proposals.append(proposal)
    with django_capture_on_commit_callbacks(execute=True):
        initiative_request_changes(
            initiative=proposals[0], by=admin_user, message="Précisez : où ?"
        )
    with django_capture_on_commit_callbacks(execute=True):
        initiative_reject(initiative=proposals[1], by=admin_user, reason="Hors sujet ; désolé !")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            email="agent2@prefecture.exemple.test",
            role=Role.EDITOR,
            departments=["62"],
            invited_by=admin_user,
        )
    with django_capture_on_commit_callbacks(execute=True):
        subscriber_subscribe(series=demo["series"], email="nouveau@exemple.test")
    send_bulletin(demo["bulletin"])
    Client().post("/comptes/mot-de-passe/", {"email": admin_user.email})
    # "Votre initiative est-elle toujours active ?", due for a demo initiative.
    Initiative.objects.filter(pk=demo["published"][2].pk).update(
        verified_at=demo["published"][2].published_at
    )
    assert freshness_asks_run().asked >= 1
    subjects = " | ".join(m.subject for m in mail.outbox)
    for subject in SUBJECTS.values():
        assert subject.split(" ")[0] in subjects
    assert "Invitation" in subjects and "Confirmez votre abonnement" in subjects
    assert any(getattr(m, "alternatives", None) for m in mail.outbox), "the bulletin's HTML edition"
    assert len(mail.outbox) >= 7
    problems = []
    for message in mail.outbox:
        for part, found in (
            [("subject", f) for f in text_violations(message.subject)]
            + [("text", f) for f in text_violations(message.body)]
            + [
                ("html", f)
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
                for f in html_violations(content)
            ]
        ):
            problems.append((message.subject, part, found))
    assert problems == []


# --- Feeds and PDF --------------------------------------------------------------------


def test_no_feed_has_a_plain_space(demo):
    visitor, problems = Client(), []
    slug, series = demo["campaign"].slug, demo["series"].slug
    for base in (
        f"/flux/initiatives/{slug}/",
        "/flux/communes/62160/",
        f"/flux/bulletins/{series}/",
    ):
        for kind in ("rss", "atom"):
            response = visitor.get(base + kind + "/")
            assert response.status_code == 200
            feed = feedparser.parse(response.content)
            assert feed.entries, base + kind
            texts = [feed.feed.get("title", ""), feed.feed.get("subtitle", "")]
            for entry in feed.entries:
                texts += [entry.get("title", ""), entry.get("summary", "")]
            for text in texts:
                for found in html_violations(text):
                    problems.append((base + kind, found))
    assert problems == []


def test_the_bulletins_pdf_text_has_no_plain_space(demo):
    bulletin = demo["bulletin"]
    response = Client().get(f"/bulletins/{demo['series'].slug}/{bulletin.number}/pdf")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Pas-de-Calais solidaire" in text
    assert text_violations(text) == []
