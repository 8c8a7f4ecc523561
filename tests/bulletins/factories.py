"""Builders for bulletin tests: series, the 11 initiatives of the sample n°6, drafts."""

from datetime import date, timedelta

from django.utils import timezone

from solidaire.bulletins.demo import load_data, load_demo_bulletin
from solidaire.bulletins.models import BulletinSeries
from solidaire.initiatives.demo import contacts_of
from solidaire.initiatives.models import Initiative, Place, Quantity
from solidaire.initiatives.place_counts import place_codes_fill, place_counts_refresh
from solidaire.initiatives.search import initiative_reindex
from tests.factories import make_campaign, make_initiative, make_theme


def make_series(
    *,
    slug="pas-de-calais-solidaire",
    department="62",
    campaign=None,
    first_number=6,
    title="Covid-19 : le Pas-de-Calais solidaire",
) -> BulletinSeries:
    return BulletinSeries.objects.create(
        slug=slug,
        title=title,
        department_id=department,
        campaign=campaign or make_campaign(),
        authority="Préfet du Pas-de-Calais",
        place="Arras",
        signatory="Fabien SUDRY, préfet du Pas-de-Calais",
        first_number=first_number,
    )


def make_demo_initiatives(*, campaign=None) -> list[Initiative]:
    """The 11 initiatives of the sample bulletin, published in its order, with its sections."""
    expected, texts = load_data()
    campaign = campaign or make_campaign()
    sections = [
        make_theme(campaign=campaign, name=name, position=i)
        for i, name in enumerate(expected["sections"])
    ]
    start = timezone.now() - timedelta(days=30)
    out = []
    for index, (spec, text) in enumerate(zip(expected["initiatives"], texts["items"], strict=True)):
        initiative = make_initiative(
            title=text["title"],
            description=text["paragraph"],
            communes=spec["communes"],
            campaign=campaign,
            themes=[sections[spec["section"]]],
            actor_name=spec["actor"],
            actor_kind=spec["actor_kind"],
            contacts=contacts_of(spec),
            beneficiaries=spec["beneficiaries"] or "",
        )
        with place_counts_refresh(initiative_ids=[initiative.pk]):
            for area in spec["areas"]:
                Place.objects.create(
                    initiative=initiative,
                    kind=area["kind"],
                    **{f"{area['kind']}_id": area["code"]},
                )
            place_codes_fill(places=initiative.places.all())
        initiative_reindex(initiative=initiative)  # the areas are part of its document
        for q in spec["quantities"]:
            Quantity.objects.create(
                initiative=initiative, count=q["count"], item=q["item"], period=q["period"] or ""
            )
        # Published in the sample's order, one hour apart.
        Initiative.objects.filter(pk=initiative.pk).update(
            published_at=start + timedelta(hours=index)
        )
        initiative.refresh_from_db()
        out.append(initiative)
    return out


def make_demo_bulletin():
    """Series pas-de-calais-solidaire with its n°6 of 24 April 2020 (the demo command)."""
    initiatives = make_demo_initiatives()
    bulletin, _ = load_demo_bulletin()
    return bulletin, initiatives


DEMO_DATE = date(2020, 4, 24)


def screen(bulletin, **changes) -> dict:
    """The composer's form as the page shows it (texts, version, every paragraph), with
    ``changes`` applied: what any action of the composer posts."""
    bulletin.refresh_from_db()
    data = {
        "issue_date": bulletin.issue_date.isoformat(),
        "introduction": bulletin.introduction,
        "closing": bulletin.closing,
        "calls_to_action": bulletin.calls_to_action,
        "version": bulletin.version,
    }
    for item in bulletin.items.all():
        prefix = f"item-{item.pk}"
        data[f"{prefix}-paragraph"] = item.paragraph
        data[f"{prefix}-contact_label"] = item.contact_label
        data[f"{prefix}-contact_text"] = item.contact_text
        data[f"{prefix}-theme"] = item.theme_id or ""
    data.update(changes)
    return data


def confirmed(bulletin, *, send: bool) -> dict:
    """The answer of the confirmation step ("Publier et envoyer" / "Publier sans envoyer")."""
    bulletin.refresh_from_db()
    return {"send": "1" if send else "0", "version": bulletin.version}
