import pytest
from django.utils import timezone

from solidaire.bulletins.models import Bulletin, BulletinItem, BulletinStatus
from solidaire.initiatives.models import Report, Status
from tests.bulletins.factories import make_series
from tests.factories import make_initiative, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def visors():
    return make_initiative(
        title="1 300 visières pour les soignants",
        description="Produites avec des **imprimantes 3D**.",
        actor_name="Maison du numérique et de l'Innovation",
        communes=("62193",),
        epcis=("200033579",),
        themes=[make_theme(name="Solidaires avec les soignants")],
        contacts=[
            ("phone", "+33321000000"),
            ("email", "contact@example.org"),
            ("url", "https://www.facebook.com/MDNIduCalaisis/"),
        ],
        quantities=[(1300, "visières")],
        beneficiaries="soignants, livreurs",
    )


def test_it_shows_the_initiative(visitor, visors):
    response = visitor.get(f"/initiatives/{visors.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 300 visières pour les soignants" in html
    assert "<strong>imprimantes 3D</strong>" in html
    assert 'href="/communes/62193/"' in html
    assert 'href="/epci/200033579/"' in html
    assert "<strong>1300</strong>&nbsp;visières" in html
    assert "Solidaires avec les soignants" in html
    assert "soignants, livreurs" in html
    assert 'href="mailto:contact@example.org"' in html


def test_the_phone_is_a_tel_link_in_national_format(visitor, visors):
    html = visitor.get(f"/initiatives/{visors.pk}/").content.decode()
    assert 'href="tel:+33321000000"' in html
    assert "03 21 00 00 00" in html


def test_it_never_shows_the_submitter(visitor):
    initiative = make_initiative(
        submitter_name="Jeanne Secret", submitter_email="jeanne@secret.test"
    )
    html = visitor.get(f"/initiatives/{initiative.pk}/").content.decode()
    assert "Jeanne Secret" not in html
    assert "jeanne@secret.test" not in html


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN]
)
def test_unpublished_initiatives_are_not_found(visitor, status):
    initiative = make_initiative(status=status)
    response = visitor.get(f"/initiatives/{initiative.pk}/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


def test_an_unknown_initiative_is_not_found(visitor, db):
    assert visitor.get("/initiatives/999999/").status_code == 404


def test_an_archived_initiative_is_shown_as_finished(visitor):
    initiative = make_initiative(status=Status.ARCHIVED)
    response = visitor.get(f"/initiatives/{initiative.pk}/")
    assert response.status_code == 200
    assert "Terminée" in response.content.decode()


def test_the_detail_renders_in_a_constant_number_of_queries(
    visitor, visors, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert visitor.get(f"/initiatives/{visors.pk}/").status_code == 200


def test_a_report_reaches_the_moderation_queue(visitor, visors):
    response = visitor.post(
        f"/initiatives/{visors.pk}/signaler/",
        {"message": "L'action est terminée depuis le 15 mai."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/initiatives/{visors.pk}/#message"
    report = Report.objects.get(initiative=visors)
    assert report.message == "L'action est terminée depuis le 15 mai."
    assert report.resolved_at is None


def test_a_report_needs_a_message(visitor, visors):
    response = visitor.post(f"/initiatives/{visors.pk}/signaler/", {"message": "  "})
    assert response.status_code == 400
    assert "Décrivez l&#x27;erreur" in response.content.decode()
    assert not Report.objects.exists()


def test_a_report_is_limited_in_length(visitor, visors):
    response = visitor.post(f"/initiatives/{visors.pk}/signaler/", {"message": "x" * 2001})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_the_honeypot_stores_nothing(visitor, visors):
    response = visitor.post(
        f"/initiatives/{visors.pk}/signaler/",
        {"message": "Achetez des montres", "website": "http://spam.test"},
    )
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_reports_are_rate_limited(visitor, visors):
    url = f"/initiatives/{visors.pk}/signaler/"
    for i in range(5):
        assert visitor.post(url, {"message": f"Erreur numéro {i}"}).status_code == 302
    response = visitor.post(url, {"message": "Une de trop"})
    assert response.status_code == 429
    assert Report.objects.count() == 5


def test_an_unpublished_initiative_cannot_be_reported(visitor):
    initiative = make_initiative(status=Status.SUBMITTED)
    response = visitor.post(f"/initiatives/{initiative.pk}/signaler/", {"message": "Erreur ici"})
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_the_report_form_is_loaded_apart_from_the_cached_page(visitor, visors):
    url = f"/initiatives/{visors.pk}/signaler/"
    detail = visitor.get(visors.get_absolute_url()).content.decode()
    # A link without JavaScript, the form in place with htmx: no CSRF token on the page.
    assert f'href="{url}"' in detail and f'hx-get="{url}"' in detail
    assert "csrfmiddlewaretoken" not in detail
    page = visitor.get(url).content.decode()
    assert "<html" in page and f'action="{url}"' in page and "csrfmiddlewaretoken" in page
    fragment = visitor.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and f'action="{url}"' in fragment


def test_reporting_is_get_or_post(visitor, visors):
    assert visitor.put(f"/initiatives/{visors.pk}/signaler/").status_code == 405


def test_the_detail_says_which_bulletin_relayed_it(visitor, visors):
    bulletin = Bulletin.objects.create(
        series=make_series(),
        number=6,
        issue_date="2020-04-24",
        status=BulletinStatus.PUBLISHED,
        snapshot={},
        published_at=timezone.now(),
    )
    BulletinItem.objects.create(bulletin=bulletin, initiative=visors, paragraph="Visières.")
    html = visitor.get(f"/initiatives/{visors.pk}/").content.decode()
    assert "Relayée dans" in html
    assert "le n°6 du 24 avril 2020" in html
