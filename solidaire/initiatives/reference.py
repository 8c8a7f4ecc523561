"""Reference data for public filters, cached: read on every list, changed a few times a year."""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from solidaire.pagecache.versions import SITE, versions_bump
from solidaire.territory.instance import instance
from solidaire.territory.reference import area_choices

from .models import Campaign, Theme

FILTER_CHOICES_KEY = "initiatives:filter-choices:v1"
FILTER_CHOICES_TIMEOUT = 3600


def _listed_department_codes() -> list[str]:
    """The instance's départements and those of its campaigns: their areas fill the selects
    (a national instance's would be every EPCI of France: only its campaigns' then)."""
    codes = set(Campaign.departments.through.objects.values_list("department_id", flat=True))
    codes.add(settings.HOME_DEPARTMENT)
    territory = instance()
    if territory.kind != "national":
        codes.update(territory.departments)
    return sorted(codes - {""})


def filter_choices() -> dict:
    """Choices of the public filter form (lists of (value, label) pairs, cached)."""
    choices = cache.get(FILTER_CHOICES_KEY)
    if choices is not None:
        return choices
    departments = _listed_department_codes()
    themes: dict[str, list[tuple[str, str]]] = {}
    for theme in Theme.objects.select_related("campaign", "parent").order_by(
        "campaign__name", "position", "name"
    ):
        themes.setdefault(theme.campaign.name, []).append((theme.slug, str(theme)))
    choices = {
        "campaign": [(c.slug, c.name) for c in Campaign.objects.order_by("-is_active", "name")],
        "theme": list(themes.items()),
        **area_choices(department_codes=departments),
    }
    cache.set(FILTER_CHOICES_KEY, choices, FILTER_CHOICES_TIMEOUT)
    return choices


@receiver(post_save, sender=Campaign, dispatch_uid="filter_choices_campaign_saved")
@receiver(post_delete, sender=Campaign, dispatch_uid="filter_choices_campaign_deleted")
@receiver(post_save, sender=Theme, dispatch_uid="filter_choices_theme_saved")
@receiver(post_delete, sender=Theme, dispatch_uid="filter_choices_theme_deleted")
def _forget_filter_choices(**kwargs):
    cache.delete(FILTER_CHOICES_KEY)
    # Campaign and theme names are on every public page (filters, cards, feeds).
    versions_bump([SITE])
