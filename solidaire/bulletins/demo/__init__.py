"""The demo series and its n°6 of 24 April 2020, rebuilt from the 11 demo initiatives.

The initiatives normally come from `load_demo`; if they are missing (a fresh database
where only this runs), they are created here from the same expected.json. Both read the
description of the n°6 kept in ``solidaire.initiatives.demo``.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.text import slugify

from solidaire.initiatives.demo import DEMO, EXPECTED, demo_contacts, read
from solidaire.initiatives.models import (
    Campaign,
    Contact,
    Initiative,
    Place,
    Quantity,
    Source,
    Status,
    Theme,
)
from solidaire.initiatives.place_counts import place_counts_add_new
from solidaire.initiatives.search import initiative_reindex

from ..models import Bulletin, BulletinItem, BulletinSeries, BulletinStatus
from ..services import bulletin_create_draft, bulletin_publish

FIRST_PUBLICATION = datetime(2020, 4, 20, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def load_data() -> tuple[dict, dict]:
    """(the expected bulletin, its texts: the series, the number's texts, one item per initiative)."""
    expected, demo = read(EXPECTED), read(DEMO)
    bulletin, campaign = expected["bulletin"], demo["campaign"]
    texts = {
        "series": {
            **demo["series"],
            "title": bulletin["title"],
            "place": bulletin["place"],
            "campaign": {"slug": campaign["slug"], "name": campaign["name"]},
        },
        "number": bulletin["number"],
        "date": bulletin["date"],
        "introduction": demo["introduction"],
        "closing": demo["closing"],
        "calls_to_action": demo["calls_to_action"],
        "items": [
            {
                "title": item["title"],
                "public_contact": item.get("public_contact"),
                **item["bulletin"],
            }
            for item in demo["initiatives"]
        ],
    }
    return expected, texts


def ensure_series(texts: dict) -> BulletinSeries:
    spec = texts["series"]
    campaign, _ = Campaign.objects.get_or_create(
        slug=spec["campaign"]["slug"], defaults={"name": spec["campaign"]["name"]}
    )
    campaign.departments.add(spec["department"])
    series, _ = BulletinSeries.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "title": spec["title"],
            "department_id": spec["department"],
            "campaign": campaign,
            "authority": spec["authority"],
            "place": spec["place"],
            "signatory": spec["signatory"],
            "first_number": spec["first_number"],
            "description": spec["description"],
        },
    )
    return series


def ensure_sections(campaign: Campaign, names: list[str]) -> list[Theme]:
    """The top-level themes named like the bulletin's sections (created if missing)."""
    themes = []
    for position, name in enumerate(names):
        theme = Theme.objects.filter(campaign=campaign, parent=None, name=name).first()
        if theme is None:
            slug = slugify(name)[:80]
            theme, _ = Theme.objects.get_or_create(
                campaign=campaign, slug=slug, defaults={"name": name, "position": position}
            )
        themes.append(theme)
    return themes


def _find(campaign: Campaign, spec: dict) -> Initiative | None:
    qs = Initiative.objects.filter(campaign=campaign)
    found = qs.filter(actor_name=spec["actor"]).order_by("id").first()
    if found:
        return found
    values = spec["urls"] + spec["emails"] + spec["phones"]
    if values:
        return qs.filter(contacts__value__in=values).order_by("id").first()
    return None


def _create(campaign, spec, text, theme, published_at) -> Initiative:
    initiative = Initiative.objects.create(
        title=text["title"],
        description=text["paragraph"],
        campaign=campaign,
        actor_name=spec["actor"],
        actor_kind=spec["actor_kind"],
        owner_department_id="62",
        beneficiaries=spec["beneficiaries"] or "",
        source=Source.IMPORT,
        status=Status.PUBLISHED,
        published_at=published_at,
        consent_public_contacts=True,
    )
    initiative.themes.set([theme])
    position = 0
    for code in spec["communes"]:
        Place.objects.create(
            initiative=initiative, kind="commune", commune_id=code, position=position
        )
        position += 1
    for area in spec["areas"]:
        Place.objects.create(
            initiative=initiative,
            kind=area["kind"],
            position=position,
            **{f"{area['kind']}_id": area["code"]},
        )
        position += 1
    for i, (kind, value) in enumerate(demo_contacts(spec, text)):
        Contact.objects.create(initiative=initiative, kind=kind, value=value, position=i)
    for i, q in enumerate(spec["quantities"]):
        Quantity.objects.create(
            initiative=initiative,
            count=q["count"],
            approximate=q["approximate"],
            item=q["item"],
            period=q["period"] or "",
            position=i,
        )
    initiative_reindex(initiative=initiative)
    place_counts_add_new(initiative_ids=[initiative.pk])
    return initiative


def ensure_initiatives(series: BulletinSeries, expected: dict, texts: dict):
    """The 11 initiatives with their sections, found or created, in the sample's order."""
    sections = ensure_sections(series.campaign, expected["sections"])
    out = []
    for index, (spec, text) in enumerate(zip(expected["initiatives"], texts["items"], strict=True)):
        theme = sections[spec["section"]]
        initiative = _find(series.campaign, spec)
        if initiative is None:
            published_at = FIRST_PUBLICATION + timedelta(hours=7 * index)
            initiative = _create(series.campaign, spec, text, theme, published_at)
        out.append((initiative, theme, text))
    return out


def load_demo_bulletin() -> tuple[Bulletin, bool]:
    """Create the series and publish its n°6 unless it exists. Returns (bulletin, created)."""
    expected, texts = load_data()
    with transaction.atomic():
        series = ensure_series(texts)
        existing = Bulletin.objects.filter(
            series=series, number=texts["number"], status=BulletinStatus.PUBLISHED
        ).first()
        if existing:
            return existing, False
        rows = ensure_initiatives(series, expected, texts)
        Bulletin.objects.filter(series=series, status=BulletinStatus.DRAFT).filter(
            number=texts["number"]
        ).delete()
        bulletin = bulletin_create_draft(
            series=series, issue_date=date.fromisoformat(texts["date"]), initiatives=[]
        )
        BulletinItem.objects.bulk_create(
            BulletinItem(
                bulletin=bulletin,
                initiative=initiative,
                theme=theme,
                position=position,
                paragraph=text["paragraph"],
                contact_label=text["contact_label"],
                contact_text=text["contact_text"],
            )
            for position, (initiative, theme, text) in enumerate(rows)
        )
        bulletin.introduction = texts["introduction"]
        bulletin.closing = texts["closing"]
        bulletin.calls_to_action = texts["calls_to_action"]
        bulletin.save(update_fields=["introduction", "closing", "calls_to_action"])
        bulletin_publish(bulletin=bulletin, send=False)
    return bulletin, True
