"""The "Nouvelle crise" screen: campaign, themes and series in one step."""

import pytest
from django.urls import reverse

from solidaire.bulletins.models import BulletinSeries
from solidaire.bulletins.services import CampaignError, SeriesDraft, campaign_create
from solidaire.initiatives.models import Campaign, Theme
from solidaire.lib.themes import parse_theme_lines
from solidaire.territory.models import Department
from tests.factories import make_campaign

URL = "/gestion/crises/nouvelle/"
THEMES = "Aide alimentaire\n  Colis\n\tRepas\n\n\nSanté\nsanté\nHébergement\n"


def test_theme_lines_keep_children_under_their_parent_and_skip_blanks_and_repeats():
    themes, notes = parse_theme_lines(THEMES)
    assert [(t.name, t.children) for t in themes] == [
        ("Aide alimentaire", ["Colis", "Repas"]),
        ("Santé", []),
        ("Hébergement", []),
    ]
    assert notes == ["« santé » figure déjà : ligne ignorée."]


@pytest.mark.django_db
def test_campaign_create_makes_slugs_positions_parents_and_the_series():
    pas_de_calais = Department.objects.get(code="62")
    campaign, series = campaign_create(
        name="Inondations  de novembre",
        departments=[pas_de_calais],
        themes_text=THEMES,
        series=SeriesDraft(
            title="Inondations : le Pas-de-Calais solidaire",
            department=pas_de_calais,
            authority="Préfet du Pas-de-Calais",
            place="Arras",
        ),
        by=None,
    )
    assert campaign.name == "Inondations de novembre"
    assert campaign.slug == "inondations-de-novembre"
    assert campaign.is_active
    assert list(campaign.departments.all()) == [pas_de_calais]
    top = list(campaign.themes.filter(parent=None).order_by("position"))
    assert [(t.name, t.slug, t.position) for t in top] == [
        ("Aide alimentaire", "aide-alimentaire", 0),
        ("Santé", "sante", 1),
        ("Hébergement", "hebergement", 2),
    ]
    assert [t.name for t in top[0].children.order_by("position")] == ["Colis", "Repas"]
    assert series.campaign == campaign
    assert series.authority == "Préfet du Pas-de-Calais"
    assert series.first_number == 1
    assert series.slug == "inondations-le-pas-de-calais-solidaire"


@pytest.mark.django_db
def test_a_taken_name_is_refused_and_nothing_is_created():
    make_campaign(name="Covid-19")
    before = Campaign.objects.count()
    with pytest.raises(CampaignError) as error:
        campaign_create(name="covid-19", departments=[], themes_text="Santé", by=None)
    assert "name" in error.value.message_dict
    assert Campaign.objects.count() == before
    assert not Theme.objects.filter(name="Santé", campaign__name="covid-19").exists()


@pytest.mark.django_db
def test_closing_the_previous_campaign_ends_it_in_the_same_step():
    old = make_campaign(name="Covid-19")
    campaign, series = campaign_create(
        name="Canicule", departments=[], themes_text="", close_previous=True, by=None
    )
    old.refresh_from_db()
    assert not old.is_active and old.end_date is not None
    assert campaign.is_active and series is None


@pytest.mark.django_db
def test_the_screen_is_prefilled_from_the_instance_settings(client, admin_user, settings):
    settings.PREFECTURE_NAME = "Préfet du Nord"
    make_campaign(name="Covid-19")
    client.force_login(admin_user)
    page = client.get(URL).content.decode()
    assert 'value="Préfet du Nord"' in page
    assert "Clore la campagne en cours\u00a0: «\u00a0Covid-19\u00a0»" in page
    assert 'href="/gestion/crises/nouvelle/"' in page  # in the staff navigation


@pytest.mark.django_db
def test_the_screen_creates_campaign_and_series_with_a_prefilled_title(client, admin_user):
    old = make_campaign(name="Covid-19")
    client.force_login(admin_user)
    response = client.post(
        URL,
        {
            "name": "Tempête Ciarán",
            "departments": ["62"],
            "themes": "Abris\nRepas\nÉnergie",
            "with_series": "on",
            "series_title": "",
            "series_department": "62",
            "series_authority": "Préfet du Pas-de-Calais",
            "series_place": "Arras",
            "series_first_number": "1",
            "close_previous": "on",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("bulletins:composer")
    campaign = Campaign.objects.get(name="Tempête Ciarán")
    assert campaign.themes.count() == 3
    series = BulletinSeries.objects.get(campaign=campaign)
    assert series.title == "Tempête Ciarán : le Pas-de-Calais solidaire"
    old.refresh_from_db()
    assert not old.is_active
    assert "Tempête Ciarán\u00a0: le Pas-de-Calais solidaire" in response.content.decode()


@pytest.mark.django_db
def test_a_taken_name_gets_a_french_message_and_keeps_the_input(client, admin_user):
    make_campaign(name="Covid-19")
    client.force_login(admin_user)
    response = client.post(
        URL, {"name": "Covid-19", "themes": "Colis alimentaires\n  Épiceries", "departments": []}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Une campagne porte déjà ce nom" in page
    assert "Colis alimentaires\n  Épiceries" in page
    assert Campaign.objects.filter(name="Covid-19").count() == 1


@pytest.mark.django_db
def test_a_series_without_its_authority_is_refused_in_french(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        URL,
        {
            "name": "Canicule",
            "with_series": "on",
            "series_department": "62",
            "series_authority": "",
            "series_place": "Arras",
            "series_first_number": "1",
        },
    )
    assert response.status_code == 400
    assert "Indiquez l&#x27;autorité émettrice." in response.content.decode()
    assert not Campaign.objects.filter(name="Canicule").exists()


@pytest.mark.django_db
def test_only_administrators_reach_the_screen(client, editor, moderator62):
    for user in (editor, moderator62):
        client.force_login(user)
        assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_number_one_is_drafted_empty_with_a_hint_and_published_with_its_texts(
    client, editor, series
):
    from solidaire.bulletins.models import Bulletin, BulletinStatus
    from tests.bulletins.factories import confirmed

    client.force_login(editor)
    listing = client.get(reverse("bulletins:composer")).content.decode()
    hint = "Aucune initiative publiée à relayer pour l"
    assert hint in listing
    response = client.post(reverse("bulletins:draft_create", args=[series.slug]), follow=True)
    assert hint in response.content.decode()
    draft = Bulletin.objects.get(series=series)
    assert draft.items.count() == 0
    draft.introduction = "La préfecture ouvre la campagne."
    draft.calls_to_action = "Rejoignez la réserve civique."
    draft.save()
    page = client.get(reverse("bulletins:publish", args=[draft.pk]))
    assert page.status_code == 200  # the confirmation step still comes first
    assert Bulletin.objects.get(pk=draft.pk).status == BulletinStatus.DRAFT
    client.post(reverse("bulletins:publish", args=[draft.pk]), confirmed(draft, send=False))
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.PUBLISHED
    shown = client.get(draft.get_absolute_url()).content.decode()
    assert "La préfecture ouvre la campagne." in shown
    assert client.get(reverse("bulletins:pdf", args=[series.slug, draft.number])).status_code == 200
