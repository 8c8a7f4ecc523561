"""The initiative card of every list, written in Python (initiative_format.initiative_card):
byte for byte what its template rendered (kept here as card_reference.html), for every
badge, contact kind, distance and place, whichever way the rows were read."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.template import engines
from django.utils import timezone

from solidaire.initiatives.models import Freshness, Initiative, Status
from solidaire.initiatives.selectors import with_card_data, with_list_data
from solidaire.initiatives.templatetags.initiative_format import card_html
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

REFERENCE = (Path(__file__).parent / "card_reference.html").read_text()
LONG = " ".join(f"mot{i}" for i in range(45))


@pytest.fixture
def cards():
    now = timezone.now()
    return [
        make_initiative(
            title='Masques <script>alert("x")</script> & « visières »',
            description=f"**Gras** <b>balise</b> & {LONG}",
            contacts=[("phone", "+33321613610")],
            communes=("62193", "62160"),
            epcis=("200033579",),
        ),
        make_initiative(
            title="Archivée",
            status=Status.ARCHIVED,
            contacts=[("url", "https://example.org/" + "a" * 60)],
        ),
        make_initiative(
            title="Cachée", freshness=Freshness.HIDDEN, contacts=[("email", "a&b@exemple.fr")]
        ),
        make_initiative(
            title="À confirmer",
            freshness=Freshness.TO_CONFIRM,
            verified_at=None,
            contacts=[("mairie", "62193")],
        ),
        make_initiative(
            title="Texte libre",
            contacts=[("text", "Écrire au secrétariat, " + "très " * 20 + "longtemps")],
            communes=(),
            departments=("62",),
            verified_at=now - timedelta(days=400),
        ),
        make_initiative(title="Sans contact", contacts=[], themes=()),
    ]


def reference(initiative, distance_km=None) -> str:
    template = engines["django"].from_string(REFERENCE)
    return template.render({"initiative": initiative, "distance_km": distance_km})


@pytest.mark.parametrize("distance_km", [None, 0.2, 3.6, 12.5])
@pytest.mark.parametrize("prepare", [with_card_data, with_list_data, lambda qs: qs])
def test_a_card_is_the_template_s_byte_for_byte(cards, distance_km, prepare):
    rows = list(prepare(Initiative.objects.filter(pk__in=[c.pk for c in cards])))
    assert len(rows) == len(cards)
    for row in rows:
        assert card_html(row, distance_km) == reference(row, distance_km)


def test_a_card_escapes_what_people_typed(cards):
    html = card_html(with_card_data(Initiative.objects.filter(pk=cards[0].pk)).get())
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>" not in html  # tags stripped from the description, as the template did
    assert "mot26 …" in html and "mot27" not in html  # 30 words, as the template cut


def test_the_card_lists_need_no_query_per_card(cards, django_assert_num_queries):
    rows = list(with_card_data(Initiative.objects.filter(pk__in=[c.pk for c in cards])))
    with django_assert_num_queries(0):
        for row in rows:
            card_html(row, 1.0)


def test_the_tag_renders_the_same_card_in_a_page(cards):
    rows = list(with_card_data(Initiative.objects.filter(pk__in=[c.pk for c in cards])))
    page = engines["django"].from_string(
        "{% load initiative_format %}{% for i in rows %}{% initiative_card i 3.6 %}{% endfor %}"
    )
    assert page.render({"rows": rows}) == "".join(reference(row, 3.6) for row in rows)
