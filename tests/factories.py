"""Small builders for test data. Keyword arguments only, sensible defaults."""

import itertools

from django.utils import timezone

from solidaire.accounts.models import Membership, Role, User
from solidaire.initiatives.models import (
    Campaign,
    Contact,
    Initiative,
    Place,
    PlaceKind,
    Quantity,
    Status,
    Theme,
    VolunteerCall,
)
from solidaire.initiatives.place_counts import place_counts_add_new
from solidaire.initiatives.search import initiative_reindex

PASSWORD = "motdepasse-de-test-42"
_counter = itertools.count(1)
DEFAULT_CONTACTS = (("email", "contact@association.exemple.test"),)


def make_staff(username, *, moderator=(), editor=(), superuser=False) -> User:
    user = User.objects.create_user(
        username=username,
        email=f"{username}@prefecture.test",
        password=PASSWORD,
        is_staff=True,
        is_superuser=superuser,
    )
    for code in moderator:
        Membership.objects.create(user=user, department_id=code, role=Role.MODERATOR)
    for code in editor:
        Membership.objects.create(user=user, department_id=code, role=Role.EDITOR)
    return user


def make_campaign(*, slug="covid-19", name="Covid-19", departments=("62",)) -> Campaign:
    campaign, created = Campaign.objects.get_or_create(slug=slug, defaults={"name": name})
    if created:
        campaign.departments.set(departments)
    return campaign


def make_theme(*, campaign=None, name="Solidaires avec les personnels soignants", position=0):
    campaign = campaign or make_campaign()
    slug = f"theme-{next(_counter)}"
    return Theme.objects.create(campaign=campaign, name=name, slug=slug, position=position)


def make_initiative(
    *,
    title="Visières pour les soignants",
    description="Production de visières de protection.",
    communes=("62193",),
    epcis=(),
    arrondissements=(),
    departments=(),
    owner="62",
    status=Status.PUBLISHED,
    campaign=None,
    themes=(),
    actor_name="Maison du numérique",
    actor_kind="other",
    contacts=None,
    quantities=(),
    **extra,
) -> Initiative:
    """Create an initiative directly in ``status`` (bypassing the workflow, for fixtures).

    A proposal gets a public contact unless ``contacts`` is given, so that tests may publish
    it (publishing requires one); published fixtures have only the contacts given.
    """
    if contacts is None:
        contacts = () if status in (Status.PUBLISHED, Status.ARCHIVED) else DEFAULT_CONTACTS
    now = timezone.now()
    extra.setdefault("verified_at", now if status in (Status.PUBLISHED, Status.ARCHIVED) else None)
    initiative = Initiative.objects.create(
        title=title,
        description=description,
        campaign=campaign or make_campaign(),
        actor_name=actor_name,
        actor_kind=actor_kind,
        owner_department_id=owner,
        status=status,
        published_at=now if status in (Status.PUBLISHED, Status.ARCHIVED) else None,
        archived_at=now if status == Status.ARCHIVED else None,
        **extra,
    )
    initiative.themes.set(themes)
    position = itertools.count()
    for code in communes:
        Place.objects.create(
            initiative=initiative, kind=PlaceKind.COMMUNE, commune_id=code, position=next(position)
        )
    for code in epcis:
        Place.objects.create(
            initiative=initiative, kind=PlaceKind.EPCI, epci_id=code, position=next(position)
        )
    for code in arrondissements:
        Place.objects.create(
            initiative=initiative,
            kind=PlaceKind.ARRONDISSEMENT,
            arrondissement_id=code,
            position=next(position),
        )
    for code in departments:
        Place.objects.create(
            initiative=initiative,
            kind=PlaceKind.DEPARTMENT,
            department_id=code,
            position=next(position),
        )
    for i, (kind, value) in enumerate(contacts):
        Contact.objects.create(initiative=initiative, kind=kind, value=value, position=i)
    for i, (count, item) in enumerate(quantities):
        Quantity.objects.create(initiative=initiative, count=count, item=item, position=i)
    initiative_reindex(initiative=initiative)
    place_counts_add_new(initiative_ids=[initiative.pk])
    return initiative


def make_volunteer_call(initiative=None, **fields):
    """A call for volunteers (the initiative: a published one in Calais unless given)."""
    initiative = initiative or make_initiative()
    values = {
        "title": "Soutien scolaire à distance",
        "description": "Accompagner des collégiens deux soirs par semaine, en visio.",
        "answer_url": "https://example.org/benevoles",
        **fields,
    }
    return VolunteerCall.objects.create(initiative=initiative, **values)
