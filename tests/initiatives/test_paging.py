"""Deep pages of the public lists: a capped total, keyset pages, and bad input refused."""

import pytest

from solidaire.initiatives import paging
from solidaire.initiatives.models import Initiative
from tests.factories import make_initiative
from tests.initiatives.factories import make_many

pytestmark = pytest.mark.django_db


def titles(page) -> list[str]:
    return [initiative.title for initiative in page.object_list]


@pytest.fixture
def capped(monkeypatch):
    """25 initiatives and a cap of 10: one numbered page, then keyset pages."""
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    return make_many(25)


def test_past_the_cap_the_total_says_more_than(visitor, capped):
    response = visitor.get("/initiatives/")
    page = response.context["page"]
    assert page.paginator.count == 10 and page.paginator.capped
    assert page.total_label == "plus de 10"
    assert "plus de 10 initiatives" in response.content.decode()
    assert (
        paging.total_label(
            type(page.paginator)(Initiative.objects.filter(pk__in=[i.pk for i in capped[:2]]), 20)
        )
        == "2"
    )


def test_keyset_pages_continue_the_list_in_order_without_repeats(visitor, capped):
    first = visitor.get("/initiatives/").context["page"]
    seen = titles(first)
    assert len(seen) == 10
    url = first.next_url
    while url:
        response = visitor.get("/initiatives/" + url)
        assert response.status_code == 200
        page = response.context["page"]
        assert (
            page.keyset
            and "Initiatives suivantes" in response.content.decode()
            or (not page.next_url)
        )
        seen += titles(page)
        url = page.next_url
    expected = list(Initiative.objects.public().order_by("-published_at", "-id"))
    assert seen == [initiative.title for initiative in expected]


def test_keyset_pages_keep_the_filters(visitor, capped):
    make_initiative(title="Ailleurs", communes=("59350",), owner="59")
    first = visitor.get("/initiatives/?commune=62193").context["page"]
    assert "commune=62193" in first.next_url
    second = visitor.get("/initiatives/" + first.next_url).context["page"]
    assert "Ailleurs" not in titles(second)
    assert len(titles(first)) + len(titles(second)) == 25


def test_the_area_pages_page_by_keyset_too(visitor, capped):
    first = visitor.get("/departements/62/").context["page"]
    second = visitor.get("/departements/62/" + first.next_url).context["page"]
    assert len(titles(first)) + len(titles(second)) == 25


@pytest.mark.parametrize(
    "cursor",
    ["abc", "2020-04-24T10:00:00+00:00|3", "x" * 300, ""],
)
def test_a_tampered_cursor_is_a_french_400(visitor, capped, cursor):
    response = visitor.get("/initiatives/", {"apres": cursor})
    assert response.status_code == 400
    assert "Demande incorrecte" in response.content.decode()


def test_a_cursor_signed_for_another_value_is_refused(visitor, capped):
    good = visitor.get("/initiatives/").context["page"].next_cursor
    value, signature = good.rsplit(":", 1)
    forged = value.replace("|", "|9") + ":" + signature
    assert visitor.get("/initiatives/", {"apres": forged}).status_code == 400


@pytest.mark.parametrize("path", ["/initiatives/", "/departements/62/", "/carte/"])
def test_a_page_beyond_the_end_is_a_french_404(visitor, path):
    make_many(3)
    response = visitor.get(path, {"page": "99999"})
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()
    # Not an integer, or below 1: the first page, as before.
    assert visitor.get(path, {"page": "abc"}).status_code == 200


@pytest.mark.parametrize("path", ["/initiatives/", "/carte/compteurs.json", "/api/v1/initiatives/"])
def test_a_query_of_4096_characters_is_never_a_500(visitor, capped, path):
    long_query = "masque " * 585  # 4,095 characters
    response = visitor.get(path, {"q": long_query})
    if path.startswith("/api/"):
        assert response.status_code == 400  # the API refuses what the list would not apply
        assert "caractères" in response.json()["detail"]
    elif path == "/initiatives/":
        # The list applies the other filters and says, in French, why this one was left out.
        assert response.status_code == 200
        assert response.context["form"].errors["q"]
    else:
        assert response.status_code == 200
    assert visitor.get(path + "?q=" + "a" * 4096).status_code in (200, 400)


def test_a_filter_combination_with_no_result_says_so(visitor, capped):
    response = visitor.get("/initiatives/?commune=59350&q=visieres&status=archived")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "Aucune initiative ne correspond" in response.content.decode()


def test_a_search_counts_less_far(visitor, capped, monkeypatch):
    from solidaire.initiatives import views_public

    monkeypatch.setattr(views_public, "SEARCH_COUNT_CAP", 5)
    response = visitor.get("/initiatives/?q=initiative")
    page = response.context["page"]
    assert page.total_label == "plus de 5"
    assert len(page.object_list) == 5 and page.next_url
    rest = visitor.get("/initiatives/" + page.next_url).context["page"]
    assert len(rest.object_list) == 20
