import datetime

import pytest
from django.utils import timezone

from solidaire.initiatives.models import Initiative, Report, Source, Status
from tests.factories import make_campaign, make_initiative, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_moderator62(client, moderator62):
    client.force_login(moderator62)
    return client


def titles(response):
    return [i.title for i in response.context["page_obj"]]


def test_the_queue_shows_proposals_of_the_users_departments_only(client, moderator59):
    make_initiative(title="Dans le 62", status=Status.SUBMITTED, owner="62")
    make_initiative(title="Dans le 59", status=Status.SUBMITTED, owner="59", communes=["59350"])
    client.force_login(moderator59)
    response = client.get("/gestion/")
    assert titles(response) == ["Dans le 59"]
    assert "Dans le 62" not in response.content.decode()


def test_the_queue_lists_proposals_by_default_oldest_first(as_moderator62):
    old = make_initiative(title="Ancienne", status=Status.SUBMITTED)
    Initiative.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=9)
    )
    make_initiative(title="Récente", status=Status.SUBMITTED)
    make_initiative(title="Publiée", status=Status.PUBLISHED)
    assert titles(as_moderator62.get("/gestion/")) == ["Ancienne", "Récente"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=published", ["Publiée à Arras"]),
        ("status=&source=staff", ["Saisie par la préfecture"]),
        ("status=&arrondissement=621", ["Publiée à Arras"]),
        ("status=&epci=200033579", ["Publiée à Arras"]),
        ("status=&age=7", ["Ancienne à Calais"]),
        ("status=&reported=on", ["Publiée à Arras"]),
        ("status=&theme=THEME", ["Saisie par la préfecture"]),
        ("status=&campaign=inondations", ["Ancienne à Calais"]),
    ],
)
def test_the_queue_filters(as_moderator62, query, expected):
    theme = make_theme()
    floods = make_campaign(slug="inondations", name="Inondations 2023")
    old = make_initiative(title="Ancienne à Calais", status=Status.SUBMITTED, campaign=floods)
    Initiative.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    arras = make_initiative(title="Publiée à Arras", communes=["62041"])
    Report.objects.create(initiative=arras, message="Terminée")
    make_initiative(
        title="Saisie par la préfecture",
        status=Status.SUBMITTED,
        source=Source.STAFF,
        themes=[theme],
    )
    response = as_moderator62.get("/gestion/?" + query.replace("THEME", theme.slug))
    assert response.status_code == 200
    assert titles(response) == expected


def test_the_queue_paginates(as_moderator62):
    for n in range(55):
        make_initiative(title=f"Proposition {n}", status=Status.SUBMITTED)
    first = as_moderator62.get("/gestion/")
    second = as_moderator62.get("/gestion/?status=submitted&page=2")
    assert len(titles(first)) == 50
    assert len(titles(second)) == 5


def test_open_reports_are_shown_and_can_be_resolved(as_moderator62, moderator62):
    initiative = make_initiative(title="Action terminée ?")
    report = Report.objects.create(initiative=initiative, message="Cette action est terminée.")
    assert "Cette action est terminée." in as_moderator62.get("/gestion/").content.decode()
    as_moderator62.post(f"/gestion/signalements/{report.pk}/traite/")
    report.refresh_from_db()
    assert report.resolved_by == moderator62
    assert "Cette action est terminée." not in as_moderator62.get("/gestion/").content.decode()


def test_bulk_publish_asks_first_with_the_count_and_publishes_nothing_yet(as_moderator62):
    chosen = [make_initiative(status=Status.SUBMITTED, title=f"Choisie {n}") for n in (1, 2)]
    response = as_moderator62.post(
        "/gestion/initiatives/publier/", {"ids": [i.pk for i in chosen], "next": "/gestion/"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Publier ces 2 initiatives" in html
    assert "Choisie 1" in html and "Choisie 2" in html
    assert 'href="/gestion/">Annuler</a>' in html
    assert not Initiative.objects.filter(status=Status.PUBLISHED).exists()


def test_the_confirmation_page_reached_directly_says_nothing_was_chosen(as_moderator62):
    make_initiative(status=Status.SUBMITTED)
    for response in (
        as_moderator62.get("/gestion/initiatives/publier/"),
        as_moderator62.post("/gestion/initiatives/publier/", {"confirm": "1"}),
    ):
        assert response.status_code == 200
        assert "Aucune initiative choisie" in response.content.decode()
    assert not Initiative.objects.filter(status=Status.PUBLISHED).exists()


def test_a_confirmation_sent_twice_publishes_once(as_moderator62):
    initiative = make_initiative(status=Status.SUBMITTED)
    data = {"ids": [initiative.pk], "confirm": "1"}
    as_moderator62.post("/gestion/initiatives/publier/", data)
    response = as_moderator62.post("/gestion/initiatives/publier/", data, follow=True)
    assert "Aucune initiative publiée" in response.content.decode()
    assert initiative.transitions.filter(to_status=Status.PUBLISHED).count() == 1


def test_bulk_publish_publishes_the_chosen_proposals(as_moderator62):
    chosen = [make_initiative(status=Status.SUBMITTED) for _ in range(2)]
    left = make_initiative(status=Status.SUBMITTED)
    response = as_moderator62.post(
        "/gestion/initiatives/publier/",
        {"ids": [i.pk for i in chosen], "confirm": "1"},
        follow=True,
    )
    assert "2 initiatives publiées." in response.content.decode()
    assert Initiative.objects.filter(status=Status.PUBLISHED).count() == 2
    left.refresh_from_db()
    assert left.status == Status.SUBMITTED


def test_bulk_publish_with_one_initiative_of_another_department_touches_nothing(as_moderator62):
    ours = make_initiative(status=Status.SUBMITTED, owner="62")
    theirs = make_initiative(status=Status.SUBMITTED, owner="59", communes=["59350"])
    response = as_moderator62.post(
        "/gestion/initiatives/publier/", {"ids": [ours.pk, theirs.pk], "confirm": "1"}
    )
    assert response.status_code == 403
    assert not Initiative.objects.filter(status=Status.PUBLISHED).exists()


def test_an_editor_lands_on_a_page_pointing_to_the_bulletins(client, editor):
    client.force_login(editor)
    response = client.get("/gestion/")
    assert response.status_code == 200
    assert 'href="/gestion/bulletins/"' in response.content.decode()


def test_an_editor_is_not_offered_the_imports_they_may_not_open(client, editor):
    client.force_login(editor)
    html = client.get("/gestion/").content.decode()
    assert 'href="/gestion/imports/"' not in html
    assert client.get("/gestion/imports/").status_code == 403


def test_a_moderator_is_offered_the_imports_but_not_the_bulletins_they_may_not_open(
    as_moderator62,
):
    html = as_moderator62.get("/gestion/").content.decode()
    assert 'href="/gestion/imports/"' in html
    assert 'href="/gestion/bulletins/"' not in html
    assert as_moderator62.get("/gestion/bulletins/").status_code == 403


def test_an_admin_is_offered_every_staff_page(client, admin_user):
    client.force_login(admin_user)
    html = client.get("/gestion/").content.decode()
    for href in ("/gestion/imports/", "/gestion/bulletins/", "/admin/"):
        assert f'href="{href}"' in html


def test_the_queue_counts_initiatives_by_status_in_the_users_departments(as_moderator62):
    make_initiative(status=Status.SUBMITTED)
    make_initiative(status=Status.SUBMITTED)
    make_initiative(status=Status.SUBMITTED, owner="59", communes=["59350"])
    make_initiative(status=Status.PUBLISHED)
    counts = {s: n for s, _label, n in as_moderator62.get("/gestion/").context["counts"]}
    assert counts == {Status.SUBMITTED: 2, Status.CHANGES_REQUESTED: 0, Status.PUBLISHED: 1}


def test_the_queue_runs_a_constant_number_of_queries(as_moderator62):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_queue():
        with CaptureQueriesContext(connection) as captured:
            assert as_moderator62.get("/gestion/").status_code == 200
        return len(captured)

    for _ in range(3):
        make_initiative(status=Status.SUBMITTED)
    few = queries_for_queue()
    for _ in range(30):
        make_initiative(status=Status.SUBMITTED)
    assert queries_for_queue() == few


def test_the_queue_dates_read_in_french(as_moderator62):
    initiative = make_initiative(status=Status.SUBMITTED)
    Initiative.objects.filter(pk=initiative.pk).update(
        created_at=datetime.datetime(2020, 4, 24, 10, 0, tzinfo=datetime.UTC)
    )
    html = as_moderator62.get("/gestion/").content.decode()
    assert "24 avril 2020" in html
    assert "Apr" not in html and "Avr 2020" not in html


def test_published_initiatives_without_contact_are_flagged_and_filtered(as_moderator62):
    make_initiative(title="Avec contact", contacts=[("url", "https://exemple.test/")])
    make_initiative(title="Sans contact", contacts=[])
    everything = as_moderator62.get("/gestion/?status=published")
    html = everything.content.decode()
    assert titles(everything) == ["Avec contact", "Sans contact"]
    assert html.count("Sans contact public</span>") == 1
    assert "Publiées sans contact public\u00a0: 1" in html
    flagged = as_moderator62.get("/gestion/?status=published&no_contact=on")
    assert titles(flagged) == ["Sans contact"]


def test_bulk_publish_names_the_proposals_without_contact_and_leaves_them(as_moderator62):
    ready = make_initiative(status=Status.SUBMITTED, title="Avec contact")
    bare = make_initiative(status=Status.SUBMITTED, title="Sans contact", contacts=[])
    ids = {"ids": [ready.pk, bare.pk]}
    page = as_moderator62.post("/gestion/initiatives/publier/", ids).content.decode()
    assert "Une initiative choisie n'a aucun contact public" in page
    assert "Elle ne sera pas publiée" in page
    assert "Publier cette initiative" in page
    assert f'name="ids" value="{bare.pk}"' not in page
    response = as_moderator62.post(
        "/gestion/initiatives/publier/", {**ids, "confirm": "1"}, follow=True
    )
    html = response.content.decode()
    assert "1 initiative publiée." in html
    assert "1 initiative non publiée\u00a0: sans contact public." in html
    bare.refresh_from_db()
    assert bare.status == Status.SUBMITTED
