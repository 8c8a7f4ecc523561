"""A form with errors says so in the page title and links its summary to each field."""

import re

import pytest

from tests.factories import make_initiative
from tests.initiatives.factories import propose_data
from tests.moderation.factories import staff_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def visors():
    return make_initiative(title="Visières", communes=("62193",))


def page_title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def summary(html: str) -> str:
    return re.search(r'<div[^>]*id="erreurs"[^>]*>(.*?)</div>', html, re.S).group(0)


def test_an_invalid_proposal_titles_the_page_as_an_error(client):
    html = client.post("/initiatives/proposer/", propose_data(title="")).content.decode()
    assert page_title(html).startswith("Erreur&nbsp;: ")


def test_a_valid_form_page_has_no_error_title(client):
    html = client.get("/initiatives/proposer/").content.decode()
    assert not page_title(html).startswith("Erreur")
    assert 'id="erreurs"' not in html


def test_the_summary_links_to_each_field_in_error_and_takes_the_focus(client):
    data = propose_data(title="", actor_name="", contacts=[("email", "pas-une-adresse")])
    html = client.post("/initiatives/proposer/", data).content.decode()
    box = summary(html)
    assert 'tabindex="-1"' in box and "data-focus-on-load" in box
    links = re.findall(r'<a href="#([^"]+)"', box)
    assert links == ["id_title", "id_actor_name", "id_contacts-0-value"]
    for target in links:
        assert f'id="{target}"' in html  # each link reaches its field


def test_an_invalid_report_titles_the_page_and_links_the_message(visitor, visors):
    response = visitor.post(f"/initiatives/{visors.pk}/signaler/", {"message": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert page_title(html).startswith("Erreur&nbsp;: ")
    assert '<a href="#id_message"' in summary(html)


def test_the_report_confirmation_is_the_focused_target(visitor, visors):
    response = visitor.post(f"/initiatives/{visors.pk}/signaler/", {"message": "C'est fini."})
    assert response["Location"].endswith("#message")
    html = visitor.get(response["Location"]).content.decode()
    alert = re.search(r'<div[^>]*id="message"[^>]*>', html).group(0)
    assert 'tabindex="-1"' in alert and "data-focus-on-load" in alert
    assert "votre signalement a été transmis" in html


def test_a_staff_form_links_its_errors_too(client, moderator62, visors):
    client.force_login(moderator62)
    data = staff_form(visors, title="")
    response = client.post("/gestion/initiatives/nouvelle/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert page_title(html).startswith("Erreur&nbsp;: ")
    assert '<a href="#id_title"' in summary(html)


def test_a_forged_row_count_builds_no_more_rows_than_allowed(client):
    data = propose_data()
    data["quantites-TOTAL_FORMS"] = "2147483648"
    data["contacts-TOTAL_FORMS"] = "9" * 40
    response = client.post("/initiatives/proposer/", data)
    assert response.status_code == 400
    assert len(response.context["quantities"].forms) == 30
    assert len(response.context["contacts"].forms) == 10
    assert "au plus 30" in response.content.decode()
