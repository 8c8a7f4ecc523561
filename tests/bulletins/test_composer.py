import pytest
from django.urls import reverse

from solidaire.bulletins.models import Bulletin, BulletinItem, BulletinStatus
from solidaire.bulletins.services import bulletin_create_draft
from tests.bulletins.factories import confirmed, screen
from tests.factories import make_initiative, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(series):
    make_initiative(title="Visières à Calais", contacts=[("url", "https://example.org/v")])
    make_initiative(title="Masques à Arras", communes=("62041",))
    return bulletin_create_draft(series=series)


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "persona, expected",
    [
        (None, 302),
        ("moderator62", 403),
        ("moderator59", 403),
        ("editor59", 403),
        ("editor", 200),
        ("admin_user", 200),
    ],
)
def test_only_editors_of_the_department_use_the_composer(request, client, draft, persona, expected):
    if persona == "editor59":
        user = make_staff("editeur59", editor=["59"])
    else:
        user = request.getfixturevalue(persona) if persona else None
    as_user(client, user)
    urls = [
        reverse("bulletins:compose", args=[draft.pk]),
        reverse("bulletins:preview", args=[draft.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert "/comptes/" in response["Location"]
    response = client.post(
        reverse("bulletins:publish", args=[draft.pk]), confirmed(draft, send=True)
    )
    assert response.status_code == (302 if expected == 200 else 403)
    draft.refresh_from_db()
    assert draft.is_published == (expected == 200)


def test_the_series_list_is_for_editors(client, series, editor, moderator62):
    assert client.get("/gestion/bulletins/").status_code == 302
    as_user(client, moderator62)
    assert client.get("/gestion/bulletins/").status_code == 403
    client.force_login(editor)
    html = client.get("/gestion/bulletins/").content.decode()
    assert (
        "Covid-19\u00a0: le Pas-de-Calais solidaire" in html
        and "prochain numéro\u00a0: n°6" in html
    )


def test_a_moderator_cannot_create_a_draft(client, series, moderator62):
    as_user(client, moderator62)
    response = client.post(reverse("bulletins:draft_create", args=[series.slug]))
    assert response.status_code == 403
    assert not Bulletin.objects.exists()


def test_an_editor_composes_previews_and_publishes_a_number(client, series, editor):
    make_initiative(title="Visières à Calais", contacts=[("url", "https://example.org/v")])
    make_initiative(title="Masques à Arras", communes=("62041",))
    make_initiative(title="Repas à Lens", communes=("62498",))
    as_user(client, editor)

    response = client.post(reverse("bulletins:draft_create", args=[series.slug]))
    bulletin = Bulletin.objects.get()
    assert response["Location"] == bulletin.get_compose_url()
    assert bulletin.items.count() == 3
    message = client.get(response["Location"]).content.decode()
    assert "avec 3 initiatives publiées et pas encore relayées." in message

    client.post(
        reverse("bulletins:texts_save", args=[bulletin.pk]),
        screen(
            bulletin,
            issue_date="2020-05-01",
            introduction="Les initiatives continuent.",
            closing="Merci à tous.",
            calls_to_action="Engagez-vous : https://jeveuxaider.gouv.fr/",
        ),
    )
    visors = bulletin.items.get(initiative__title="Visières à Calais")
    client.post(
        reverse("bulletins:item_save", args=[bulletin.pk, visors.pk]),
        screen(
            bulletin,
            **{
                f"item-{visors.pk}-paragraph": "La Maison du numérique a produit 1 300 visières.",
                f"item-{visors.pk}-contact_label": "Plus d'information",
                f"item-{visors.pk}-contact_text": "https://example.org/v",
                f"item-{visors.pk}-theme": "",
            },
        ),
    )
    meals = bulletin.items.get(initiative__title="Repas à Lens")
    for _ in range(2):
        client.post(
            reverse("bulletins:item_move", args=[bulletin.pk, meals.pk, "up"]), screen(bulletin)
        )
    masks = bulletin.items.get(initiative__title="Masques à Arras")
    client.post(reverse("bulletins:item_remove", args=[bulletin.pk, masks.pk]), screen(bulletin))

    preview = client.get(reverse("bulletins:preview", args=[bulletin.pk])).content.decode()
    assert "Covid-19\u00a0: le Pas-de-Calais solidaire n°6" in preview
    assert "Arras, le 1er mai 2020" in preview
    assert "1\u00a0300 visières" in preview
    assert preview.index("Repas à Lens") < preview.index("La Maison du numérique")
    assert "Masques à Arras" not in preview

    compose_page = client.get(bulletin.get_compose_url()).content.decode()
    assert "destinataires presse et partenaires\u00a0: 0 adresse." in compose_page
    # Publishing asks first (the confirmation step), then publishes.
    asked = client.post(
        reverse("bulletins:texts_save", args=[bulletin.pk]), screen(bulletin, then="publish")
    )
    assert asked["Location"] == reverse("bulletins:publish", args=[bulletin.pk])
    response = client.post(
        reverse("bulletins:publish", args=[bulletin.pk]), confirmed(bulletin, send=True)
    )
    assert response["Location"] == "/bulletins/pas-de-calais-solidaire/6/"
    page = client.get("/bulletins/pas-de-calais-solidaire/6/").content.decode()
    start = page.index('<article class="bulletin')
    assert page[start : page.index("</article>", start)] in preview
    # The initiative keeps its own text: the edit belongs to the bulletin.
    assert "1 300" not in visors.initiative.description


def test_an_editor_adds_an_initiative_found_by_search(client, series, editor):
    make_initiative(title="Déjà là")
    draft = bulletin_create_draft(series=series)
    make_initiative(title="Épicerie solidaire", status="archived")
    wanted = make_initiative(title="Épicerie solidaire de Béthune")
    as_user(client, editor)

    html = client.get(draft.get_compose_url(), {"q": "Épicerie"}).content.decode()
    assert "Épicerie solidaire de Béthune" in html
    assert html.count("Ajouter<span") == 1  # the archived one is not offered
    client.post(reverse("bulletins:item_add", args=[draft.pk]), screen(draft, initiative=wanted.pk))
    assert draft.items.filter(initiative=wanted).exists()

    response = client.post(
        reverse("bulletins:item_add", args=[draft.pk]), screen(draft, initiative=wanted.pk)
    )
    assert response.status_code == 302
    assert draft.items.filter(initiative=wanted).count() == 1
    assert (
        client.post(
            reverse("bulletins:item_add", args=[draft.pk]), screen(draft, initiative="x")
        ).status_code
        == 404
    )


def test_publishing_an_empty_draft_shows_a_clear_message(client, series, editor):
    draft = bulletin_create_draft(series=series)
    as_user(client, editor)
    response = client.post(
        reverse("bulletins:publish", args=[draft.pk]), confirmed(draft, send=True), follow=True
    )
    assert "Ce numéro est vide" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT


def test_an_empty_paragraph_is_refused_with_a_french_message(client, draft, editor):
    item = draft.items.first()
    as_user(client, editor)
    response = client.post(
        reverse("bulletins:item_save", args=[draft.pk, item.pk]),
        screen(draft, **{f"item-{item.pk}-paragraph": ""}),
    )
    assert response.status_code == 400
    assert "Le paragraphe ne peut pas être vide." in response.content.decode()
    assert BulletinItem.objects.get(pk=item.pk).paragraph


def test_a_bad_date_and_a_too_long_text_are_refused(client, draft, editor):
    as_user(client, editor)
    response = client.post(
        reverse("bulletins:texts_save", args=[draft.pk]),
        screen(draft, issue_date="24/13/2020", introduction="x" * 5001),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez une date valide." in html
    assert "5000 caractères" in html


def test_an_item_of_another_bulletin_is_not_found(client, series, draft, editor):
    other = bulletin_create_draft(series=series, initiatives=[make_initiative(title="Ailleurs")])
    foreign = other.items.get()
    as_user(client, editor)
    url = reverse("bulletins:item_remove", args=[draft.pk, foreign.pk])
    assert client.post(url).status_code == 404
    assert (
        client.post(
            reverse("bulletins:item_move", args=[draft.pk, foreign.pk, "sideways"])
        ).status_code
        == 404
    )


def test_a_published_number_is_corrected_with_a_dated_reason(client, draft, editor):
    as_user(client, editor)
    client.post(reverse("bulletins:publish", args=[draft.pk]), confirmed(draft, send=False))
    item = draft.items.first()
    client.post(
        reverse("bulletins:item_save", args=[draft.pk, item.pk]),
        screen(
            draft,
            **{
                f"item-{item.pk}-paragraph": "Texte corrigé.",
                f"item-{item.pk}-contact_label": "Contact",
                f"item-{item.pk}-contact_text": "",
            },
        ),
    )
    # Not visible before the correction is published.
    assert "Texte corrigé." not in client.get(draft.get_absolute_url()).content.decode()
    refused = client.post(reverse("bulletins:publish", args=[draft.pk]), screen(draft, note=""))
    assert refused.status_code == 400
    client.post(
        reverse("bulletins:publish", args=[draft.pk]), screen(draft, note="Coquille corrigée")
    )
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Texte corrigé." in page
    assert "Version corrigée le" in page and "Coquille corrigée" in page


def test_a_draft_can_be_deleted_but_not_a_published_number(client, draft, editor):
    as_user(client, editor)
    client.post(reverse("bulletins:publish", args=[draft.pk]), confirmed(draft, send=False))
    client.post(reverse("bulletins:draft_delete", args=[draft.pk]))
    assert Bulletin.objects.filter(pk=draft.pk).exists()
    other = bulletin_create_draft(series=draft.series, initiatives=[])
    client.post(reverse("bulletins:draft_delete", args=[other.pk]))
    assert not Bulletin.objects.filter(pk=other.pk).exists()
