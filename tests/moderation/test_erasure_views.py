"""The staff action « Effacer les données personnelles »: a form, a preview, then the erasure."""

import pytest

from solidaire.initiatives.models import Initiative
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

NAME = "Jérémie Dupont-Lefèvre"
EMAIL = "jeremie.dupont-lefevre@exemple.fr"


@pytest.fixture
def initiative():
    return make_initiative(
        title=f"Les visières de {NAME}",
        submitter_name=NAME,
        submitter_email=EMAIL,
        submitter_phone="+33321320000",
    )


def url(initiative) -> str:
    return f"/gestion/initiatives/{initiative.pk}/effacer-donnees/"


def test_the_review_page_links_to_the_action(client, moderator62, initiative):
    client.force_login(moderator62)
    html = client.get(f"/gestion/initiatives/{initiative.pk}/").content.decode()
    assert f'href="{url(initiative)}"' in html


def test_the_form_is_filled_with_the_submitters_data(client, moderator62, initiative):
    client.force_login(moderator62)
    html = client.get(url(initiative)).content.decode()
    assert f'value="{EMAIL}"' in html and f'value="{NAME}"' in html


def test_the_preview_says_where_the_person_is_and_erases_nothing(client, moderator62, initiative):
    client.force_login(moderator62)
    response = client.post(url(initiative), {"name": NAME, "email": EMAIL, "phone": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Textes d’initiatives&nbsp;: 1" in html
    assert "Effacer définitivement" in html
    assert Initiative.objects.get(pk=initiative.pk).title == initiative.title


def test_the_confirmed_erasure_returns_to_the_review_page(client, moderator62, initiative):
    client.force_login(moderator62)
    data = {"name": NAME, "email": EMAIL, "phone": "", "confirm": "1"}
    response = client.post(url(initiative), data, follow=True)
    assert response.redirect_chain[-1][0] == f"/gestion/initiatives/{initiative.pk}/"
    assert "Les données personnelles sont effacées" in response.content.decode()
    stored = Initiative.objects.get(pk=initiative.pk)
    assert (stored.title, stored.submitter_name) == ("Les visières de [nom effacé]", "")


def test_it_refuses_a_single_word_name(client, moderator62, initiative):
    client.force_login(moderator62)
    response = client.post(url(initiative), {"name": "Martin", "confirm": "1"})
    assert response.status_code == 400
    assert "un mot seul effacerait aussi des noms de lieux" in response.content.decode()
    assert Initiative.objects.get(pk=initiative.pk).submitter_email == EMAIL


def test_the_admin_page_requires_someone_to_erase(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/gestion/donnees-personnelles/", {"name": "", "email": ""})
    assert response.status_code == 400
    assert "Indiquez au moins le nom, l&#x27;e-mail ou le téléphone." in response.content.decode()


def test_the_admin_page_refuses_a_bad_phone(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/gestion/donnees-personnelles/", {"phone": "pas un numéro"})
    assert response.status_code == 400
    assert "Saisissez un numéro de téléphone valide." in response.content.decode()
