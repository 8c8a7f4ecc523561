"""A mairie member sees its commune's page as the public does, plus "Ajouter une
initiative"; the button never reaches the copy the page cache keeps for visitors."""

import pytest

from tests.factories import make_initiative
from tests.organisations.factories import text

pytestmark = pytest.mark.django_db
CALAIS = "/communes/62193/"
BUTTON = "Ajouter une initiative"


def test_the_button_is_the_members_only(mairie_member, client):
    make_initiative(title="Visières à Calais")
    first = client.get(CALAIS)
    assert first["X-Page-Cache"] == "miss" and BUTTON not in text(first)
    page = mairie_member.client.get(CALAIS)
    assert page["X-Page-Cache"].startswith("bypass")
    assert BUTTON in text(page) and "Visières à Calais" in text(page)
    assert "private" in page["Cache-Control"]
    assert "/organisation/initiatives/nouvelle/?commune=62193" in text(page)
    again = client.get(CALAIS)
    assert again["X-Page-Cache"] == "hit" and BUTTON not in text(again)


def test_the_member_never_fills_the_cache_with_it(mairie_member, client):
    mairie_member.client.get(CALAIS)
    assert BUTTON not in text(client.get(CALAIS))


def test_not_on_another_communes_page_nor_for_a_ccas_of_another_commune(mairie_member):
    assert BUTTON not in text(mairie_member.client.get("/communes/62041/"))


def test_not_for_an_association(client):
    from tests.organisations.factories import make_member, make_organisation

    member = make_member(make_organisation(kind="association", commune="62193"), "asso")
    client.force_login(member.user)
    assert BUTTON not in text(client.get(CALAIS))
