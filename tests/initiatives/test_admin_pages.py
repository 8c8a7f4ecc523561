"""A change made in the Django admin goes through the same hook as the services' writes
(initiatives/visibility.py): the cached public pages that show the initiative are
replaced, and the per-place counts follow."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from solidaire.initiatives.models import Initiative, PlaceCount
from solidaire.pagecache.middleware import HEADER
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

CALAIS = "62193"


class FormValues(HTMLParser):
    """The values the admin's change form would send as it stands (submit buttons aside)."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select = self._textarea = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            checkable = a.get("type") in ("checkbox", "radio")
            if checkable and "checked" not in a:
                return
            self.values.append((name, a.get("value") or ("on" if checkable else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.values.append((self._textarea, self._text.strip("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


@pytest.fixture
def staff(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def warm(visitor, *urls):
    for url in urls:
        visitor.get(url)
        assert visitor.get(url)[HEADER] == "hit", url


def test_an_edit_in_the_admin_replaces_the_cached_pages_that_show_it(visitor, staff):
    initiative = make_initiative(title="Visières à Calais", communes=(CALAIS,))
    detail, commune = initiative.get_absolute_url(), f"/communes/{CALAIS}/"
    warm(visitor, detail, commune, "/initiatives/")
    change = f"/admin/initiatives/initiative/{initiative.pk}/change/"
    parser = FormValues()
    parser.feed(staff.get(change).content.decode())
    data = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(value)
    data["title"] = ["Masques à Calais"]
    data["_save"] = ["Enregistrer"]
    response = staff.post(change, data)
    assert response.status_code == 302
    assert Initiative.objects.get(pk=initiative.pk).title == "Masques à Calais"
    for url in (detail, commune, "/initiatives/"):
        response = visitor.get(url)
        assert response[HEADER] == "miss", url
        assert "Masques à Calais" in response.content.decode(), url


def test_a_deletion_in_the_admin_takes_it_off_the_cached_pages_and_the_counts(visitor, staff):
    initiative = make_initiative(title="Visières à Calais", communes=(CALAIS,))
    detail, commune = initiative.get_absolute_url(), f"/communes/{CALAIS}/"
    warm(visitor, detail, commune)
    assert PlaceCount.objects.filter(kind="commune", code=CALAIS, count__gt=0).exists()
    delete = f"/admin/initiatives/initiative/{initiative.pk}/delete/"
    assert staff.post(delete, {"post": "yes"}).status_code == 302
    assert visitor.get(detail).status_code == 404
    response = visitor.get(commune)
    assert response[HEADER] == "miss"
    assert "Visières à Calais" not in response.content.decode()
    assert not PlaceCount.objects.filter(kind="commune", code=CALAIS, count__gt=0).exists()
