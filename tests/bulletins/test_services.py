from datetime import date

import pytest
from django.template import Context, Template

from solidaire.bulletins.models import Bulletin, BulletinRevision, BulletinStatus
from solidaire.bulletins.services import (
    BulletinError,
    bulletin_add_initiative,
    bulletin_correct,
    bulletin_create_draft,
    bulletin_move_item,
    bulletin_publish,
    bulletin_record_past,
    bulletin_remove_item,
)
from solidaire.initiatives.models import Initiative, Status
from solidaire.initiatives.services import initiative_archive
from tests.bulletins.factories import make_series
from tests.factories import make_campaign, make_initiative, make_theme

pytestmark = pytest.mark.django_db


def publish_with(series, initiatives, **kwargs):
    draft = bulletin_create_draft(series=series, initiatives=initiatives, **kwargs)
    return bulletin_publish(bulletin=draft, send=False)


def test_the_draft_picks_exactly_the_unrelayed_published_initiatives(series):
    fresh = make_initiative(title="Fraîche")
    older = make_initiative(title="Déjà relayée")
    publish_with(series, [older])
    make_initiative(title="Proposée", status=Status.SUBMITTED)
    make_initiative(title="Archivée", status=Status.ARCHIVED)
    make_initiative(title="Autre département", owner="59", communes=("59350",))
    make_initiative(title="Autre campagne", campaign=make_campaign(slug="crue", name="Crue"))
    in_other_series = make_initiative(title="Relayée ailleurs")
    other = make_series(slug="autre-serie", first_number=1)
    publish_with(other, [in_other_series])
    in_a_draft = make_initiative(title="Dans un brouillon")
    bulletin_create_draft(series=series, initiatives=[in_a_draft])

    draft = bulletin_create_draft(series=series)

    titles = {item.initiative.title for item in draft.items.all()}
    assert titles == {fresh.title, in_other_series.title, in_a_draft.title}
    assert draft.number == 7


def test_the_draft_groups_items_by_theme_in_theme_order(series):
    second = make_theme(campaign=series.campaign, name="Solidaires avec les soignants", position=2)
    first = make_theme(campaign=series.campaign, name="Solidaires dans la production", position=1)
    child = make_theme(campaign=series.campaign, name="Dons", position=0)
    child.parent = first
    child.save()
    make_initiative(title="B", themes=[second])
    make_initiative(title="A", themes=[child])
    make_initiative(title="Sans thème")

    snapshot = bulletin_publish(bulletin=bulletin_create_draft(series=series), send=False).snapshot

    assert [s["heading"] for s in snapshot["sections"]] == [
        "Solidaires dans la production",
        "Solidaires avec les soignants",
        "Autres initiatives",
    ]
    assert snapshot["sections"][0]["items"][0]["initiative_title"] == "A"


def test_the_generated_paragraph_tells_actor_places_quantities_and_contact(series):
    make_initiative(
        title="Production de visières",
        description="Impression 3D.",
        actor_name="Maison du numérique",
        communes=("62193",),
        quantities=[(1300, "visières")],
        beneficiaries="soignants",
        contacts=[("url", "https://example.org/mdn")],
    )
    item = bulletin_create_draft(series=series).items.get()
    assert item.paragraph.startswith("Maison du numérique (Calais) : Production de visières.")
    assert "1\u00a0300 visières" in item.paragraph
    assert "Bénéficiaires : soignants." in item.paragraph
    assert (item.contact_label, item.contact_text) == (
        "Plus d'information",
        "https://example.org/mdn",
    )


def test_a_phone_contact_is_written_the_french_way(series):
    make_initiative(contacts=[("phone", "+33321613610")])
    item = bulletin_create_draft(series=series).items.get()
    assert (item.contact_label, item.contact_text) == ("Contact", "03 21 61 36 10")


def test_numbers_are_consecutive_from_the_first_number(series):
    make_initiative()
    first = bulletin_publish(bulletin=bulletin_create_draft(series=series), send=False)
    make_initiative(title="Suivante")
    second = bulletin_publish(bulletin=bulletin_create_draft(series=series), send=False)
    assert (first.number, second.number) == (6, 7)


def test_it_refuses_to_publish_an_empty_draft(series):
    draft = bulletin_create_draft(series=series)
    with pytest.raises(BulletinError, match="vide"):
        bulletin_publish(bulletin=draft, send=False)
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT and draft.snapshot is None


def test_it_refuses_a_draft_whose_initiative_was_archived_meanwhile(series):
    initiative = make_initiative(title="Bientôt archivée")
    draft = bulletin_create_draft(series=series)
    initiative_archive(initiative=initiative)
    with pytest.raises(BulletinError, match="Bientôt archivée"):
        bulletin_publish(bulletin=draft, send=False)
    assert not Bulletin.objects.filter(status=BulletinStatus.PUBLISHED).exists()


def test_it_refuses_a_draft_whose_initiative_was_withdrawn_meanwhile(series):
    initiative = make_initiative(title="Retirée")
    draft = bulletin_create_draft(series=series)
    Initiative.objects.filter(pk=initiative.pk).update(status=Status.WITHDRAWN)
    with pytest.raises(BulletinError, match="archivées ou retirées"):
        bulletin_publish(bulletin=draft, send=False)


def test_it_refuses_a_number_that_already_exists_and_renumbers_the_draft(series):
    make_initiative(title="Une")
    first = bulletin_create_draft(series=series)
    second = bulletin_create_draft(series=series, initiatives=[make_initiative(title="Deux")])
    assert first.number == second.number == 6
    bulletin_publish(bulletin=first, send=False)

    with pytest.raises(BulletinError, match="n°6 existe déjà"):
        bulletin_publish(bulletin=second, send=False)

    second.refresh_from_db()
    assert (second.status, second.number) == (BulletinStatus.DRAFT, 7)
    assert bulletin_publish(bulletin=second, send=False).number == 7


def test_a_published_number_never_changes_when_its_initiatives_are_edited(series):
    initiative = make_initiative(title="Visières", contacts=[("url", "https://example.org/avant")])
    bulletin = bulletin_publish(bulletin=bulletin_create_draft(series=series), send=False)
    before = Bulletin.objects.get(pk=bulletin.pk).snapshot

    initiative.title = "Autre titre"
    initiative.description = "Tout a changé."
    initiative.save()
    initiative.contacts.update(value="https://example.org/apres")
    initiative_archive(initiative=initiative)

    after = Bulletin.objects.get(pk=bulletin.pk).snapshot
    assert after == before
    assert after["sections"][0]["items"][0]["contact_text"] == "https://example.org/avant"


def test_a_correction_is_a_new_dated_revision(series):
    make_initiative()
    bulletin = bulletin_publish(bulletin=bulletin_create_draft(series=series), send=False)
    item = bulletin.items.get()
    item.paragraph = "Paragraphe corrigé."
    item.save()

    bulletin_correct(bulletin=bulletin, note="Coquille dans le premier paragraphe")

    bulletin.refresh_from_db()
    assert bulletin.revision == 2
    assert bulletin.snapshot["sections"][0]["items"][0]["paragraph"] == "Paragraphe corrigé."
    assert bulletin.snapshot["correction_note"] == "Coquille dans le premier paragraphe"
    first = BulletinRevision.objects.get(bulletin=bulletin, revision=1)
    assert first.snapshot["sections"][0]["items"][0]["paragraph"] != "Paragraphe corrigé."


def test_a_correction_needs_a_reason(series):
    make_initiative()
    bulletin = bulletin_publish(bulletin=bulletin_create_draft(series=series), send=False)
    with pytest.raises(BulletinError, match="motif"):
        bulletin_correct(bulletin=bulletin, note="  ")


def test_a_published_number_keeps_its_list_of_initiatives(series):
    make_initiative()
    bulletin = bulletin_publish(bulletin=bulletin_create_draft(series=series), send=False)
    with pytest.raises(BulletinError):
        bulletin_remove_item(item=bulletin.items.get())
    with pytest.raises(BulletinError):
        bulletin_add_initiative(bulletin=bulletin, initiative=make_initiative(title="Nouvelle"))


def test_items_move_within_their_section_and_can_be_removed(series):
    a, b, c = (make_initiative(title=t) for t in "ABC")
    draft = bulletin_create_draft(series=series)
    item_c = draft.items.get(initiative=c)

    bulletin_move_item(item=item_c, direction="up")
    bulletin_move_item(item=item_c, direction="up")
    bulletin_move_item(item=item_c, direction="up")  # already first: nothing happens

    order = [i.initiative.title for i in draft.items.order_by("position", "id")]
    assert order == ["C", "A", "B"]
    bulletin_remove_item(item=draft.items.get(initiative=a))
    assert [i.initiative_id for i in draft.items.order_by("position")] == [c.pk, b.pk]


def test_adding_an_initiative_refuses_duplicates_and_unpublished_ones(series):
    initiative = make_initiative()
    draft = bulletin_create_draft(series=series)
    with pytest.raises(BulletinError, match="déjà"):
        bulletin_add_initiative(bulletin=draft, initiative=initiative)
    with pytest.raises(BulletinError, match="publiée"):
        bulletin_add_initiative(bulletin=draft, initiative=make_initiative(status=Status.SUBMITTED))


def test_a_recorded_past_number_makes_its_initiatives_relayed(series):
    old = make_initiative(title="Relayée au n°5")
    past = bulletin_record_past(series=series, number=5, date=date(2020, 4, 17), initiatives=[old])
    assert past.status == BulletinStatus.PUBLISHED and past.is_past_record
    fresh = make_initiative(title="Nouvelle")
    draft = bulletin_create_draft(series=series)
    assert [i.initiative_id for i in draft.items.all()] == [fresh.pk]
    assert draft.number == 6  # the first number of the platform still comes next
    with pytest.raises(BulletinError, match="n°5 existe déjà"):
        bulletin_record_past(series=series, number=5, date=date(2020, 4, 17), initiatives=[])


def test_the_relayed_in_tag_names_the_number_and_its_date(series):
    initiative = make_initiative()
    publish_with(series, [initiative], issue_date=date(2020, 4, 24))
    html = Template("{% load initiative_format %}{% mentions initiative %}").render(
        Context({"initiative": initiative})
    )
    assert "Relayée dans" in html and "le n°6 du 24 avril 2020" in html
    assert 'href="/bulletins/pas-de-calais-solidaire/6/"' in html
    unrelayed = make_initiative(title="Jamais relayée")
    assert (
        Template("{% load initiative_format %}{% mentions i %}")
        .render(Context({"i": unrelayed}))
        .strip()
        == ""
    )
