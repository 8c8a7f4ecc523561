from collections.abc import Mapping

from django import template
from django.conf import settings
from django.template.defaultfilters import floatformat, striptags, truncatechars, truncatewords
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone, is_naive

from solidaire.initiatives.contacts import contact_views
from solidaire.initiatives.markdown import render_markdown
from solidaire.initiatives.mentions import mentions_of
from solidaire.initiatives.validators import format_phone
from solidaire.lib.dates import MONTHS
from solidaire.lib.typography import quantity_phrase

register = template.Library()


@register.filter
def safe_markdown(text: str) -> str:
    """{{ initiative.description|safe_markdown }}: sanitised by nh3, so safe to mark."""
    return mark_safe(render_markdown(text))  # noqa: S308


@register.filter
def phone_display(value: str) -> str:
    """{{ contact.value|phone_display }}: "+33321613610" -> "03 21 61 36 10"."""
    return format_phone(value or "")


@register.filter(name="contact_views")
def contact_views_filter(contacts) -> list:
    """{% for c in initiative.contacts.all|contact_views %}: each with its label and url."""
    return contact_views(contacts)


@register.filter
def first_contact(initiative):
    """{% with contact=initiative|first_contact %}: the first public contact's view, or None.

    Reads the row's annotation (see selectors.with_list_data), so a list stays at a
    constant number of queries.
    """
    if hasattr(initiative, "first_contact_kind"):
        pairs = [(initiative.first_contact_kind, initiative.first_contact_value)]
        pairs = [pair for pair in pairs if pair[0]]
    else:
        pairs = list(initiative.contacts.all())[:1]
    return contact_views(pairs)[0] if pairs else None


@register.filter
def place_names(initiative) -> list[str]:
    """Each place's name once, in order: two places in one commune read as one."""
    names = []
    for place in _card_list(initiative, "card_places", "places"):
        name = place.area.name
        if name not in names:
            names.append(name)
    return names


@register.filter
def card_themes(initiative) -> list:
    """The initiative's themes, from ``with_card_data``'s list when the row has it."""
    return _card_list(initiative, "card_themes", "themes")


@register.filter
def card_places(initiative) -> list:
    """The initiative's places, from ``with_card_data``'s list when the row has it."""
    return _card_list(initiative, "card_places", "places")


def _card_list(initiative, attr: str, relation: str):
    found = getattr(initiative, attr, None)
    return found if found is not None else getattr(initiative, relation).all()


def _field_errors(form) -> list[dict]:
    rows = []
    for field in form:
        for error in field.errors:
            label = field.label or field.name
            rows.append({"href": f"#{field.auto_id}", "label": label, "error": error})
    return rows


@register.inclusion_tag("initiatives/_error_summary.html")
def error_summary(*forms, title="Le formulaire contient des erreurs", intro="", errors=()):
    """{% error_summary form quantities contacts %}: an alert that links to each field in
    error (forms or formsets) and takes the focus when the page loads (focus-on-load.js).
    Errors of no field stay where the form shows them; ``errors`` are the page's own (an
    action refused); ``shown`` says the summary appears."""
    rows, shown = [], bool(errors)
    for form in forms:
        if not form:
            continue
        members = list(form) if hasattr(form, "management_form") else [form]
        shown = shown or bool(
            form.errors if not hasattr(form, "total_error_count") else form.total_error_count()
        )
        for member in members:
            rows += _field_errors(member)
    return {"rows": rows, "shown": shown, "title": title, "intro": intro, "errors": errors}


@register.simple_tag
def mentions(initiative) -> str:
    """{% mentions initiative %}: the lines other apps registered (see mentions.py)."""
    return mentions_of(initiative)


@register.filter
def quantity(value) -> str:
    """{{ quantity|quantity }}: "environ <strong>1300</strong>&nbsp;visières en trois semaines".

    Takes a ``Quantity`` or the same fields as a mapping (an import's result)."""

    def field(name):
        return value.get(name) if isinstance(value, Mapping) else getattr(value, name)

    count = int(field("count"))
    return mark_safe(  # noqa: S308 - the item and period are escaped, the count is a number
        quantity_phrase(
            count,
            escape(field("item")),
            approximate=bool(field("approximate")),
            period=escape(field("period") or ""),
            count_text=f"<strong>{count}</strong>",
            after_count="&nbsp;",
        )
    )


_BADGES = {
    "archived": '<li><p class="fr-badge fr-badge--sm">Terminée</p></li>',
    "hidden": '<li><p class="fr-badge fr-badge--sm fr-badge--warning">Probablement terminée</p></li>',
    "to_confirm": '<li><p class="fr-badge fr-badge--sm fr-badge--new">À confirmer</p></li>',
}
_CONTACT_ICONS = {
    "phone": " fr-icon-phone-line fr-link--icon-left",
    "email": " fr-icon-mail-line fr-link--icon-left",
    "mairie": " fr-icon-government-line fr-link--icon-left",
}


class _CardMemo:
    """What every card of one page shares, looked up once per page: the time zone and the
    shape of a detail URL (each lookup reads request-local state, a few per card)."""

    def __init__(self):
        self.zone = get_current_timezone() if settings.USE_TZ else None
        prefix, _, suffix = reverse("initiatives:detail", args=[_PK_MARK]).rpartition(str(_PK_MARK))
        self.url = (prefix, suffix)

    def detail_url(self, pk: int) -> str:
        # As Initiative.get_absolute_url(): reverse() with the primary key.
        return f"{self.url[0]}{pk}{self.url[1]}"

    def day(self, value) -> str:
        # {{ value|date:"j F Y" }} of the French-only site, in the current time zone,
        # without the locale machinery (two dates per card).
        if not value:
            return ""
        if self.zone is not None and not is_naive(value):
            value = value.astimezone(self.zone)
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


_PK_MARK = 987654321


def _contact_html(contact) -> str:
    if not contact.url:
        return conditional_escape(truncatechars(contact.label, 60))
    rel = ' rel="noopener nofollow"' if contact.kind == "url" else ""
    label = truncatechars(contact.label, 40) if contact.kind == "url" else contact.label
    return (
        f'<a class="fr-link fr-link--sm{_CONTACT_ICONS.get(contact.kind, "")}" '
        f'href="{conditional_escape(contact.url)}"{rel}>{conditional_escape(label)}</a>'
    )


@register.simple_tag(takes_context=True)
def initiative_card(context, initiative, distance_km=None) -> str:
    """{% initiative_card initiative distance_km %}: one initiative in a list, as the
    DSFR card it always was, written here rather than in a template: a list page renders
    up to a hundred cards, and a card's template cost more than its page's queries."""
    memo = context.render_context.get(_CardMemo)
    if memo is None:
        memo = context.render_context[_CardMemo] = _CardMemo()
    return card_html(initiative, distance_km, memo=memo)


def card_html(initiative, distance_km=None, *, memo: _CardMemo | None = None) -> str:
    """The card's HTML (see ``initiative_card``)."""
    memo = memo or _CardMemo()
    e = conditional_escape
    if initiative.status == "archived":
        badge = _BADGES["archived"]
    elif initiative.freshness in ("hidden", "to_confirm"):
        badge = _BADGES[initiative.freshness]
    else:
        badge = ""
    themes = "".join(
        f'<li><p class="fr-badge fr-badge--sm fr-badge--blue-ecume">{e(theme.name)}</p></li>'
        for theme in card_themes(initiative)
    )
    where = ", ".join(e(name) for name in place_names(initiative))
    if distance_km is not None:
        if distance_km < 0.5:
            where += " — sur place"
        else:
            where += f" — à {e(floatformat(distance_km, '0'))}&nbsp;km"
    contact = first_contact(initiative)
    contact_html = (
        "\n        \n        "
        f'<p class="fr-card__detail card-contact">{_contact_html(contact)}</p>\n        '
        if contact
        else ""
    )
    verified = ""
    if initiative.verified_at and initiative.status == "published":
        verified = f" · vérifiée le {memo.day(initiative.verified_at)}"
    description = e(truncatewords(striptags(initiative.description), 30))
    return mark_safe(  # noqa: S308 - every value above is escaped
        "\n\n"
        '<div class="fr-card fr-enlarge-link fr-card--sm">\n'
        '  <div class="fr-card__body">\n'
        '    <div class="fr-card__content">\n'
        '      <h3 class="fr-card__title">'
        f'<a href="{e(memo.detail_url(initiative.pk))}">{e(initiative.title)}</a></h3>\n'
        f'      <p class="fr-card__desc">{description}</p>\n'
        '      <div class="fr-card__start">\n'
        '        <ul class="fr-badges-group">\n'
        f"          {badge}\n"
        f"          {themes}\n"
        "        </ul>\n"
        '        <p class="fr-card__detail fr-icon-map-pin-2-line">\n'
        f"          {where}\n"
        "        </p>\n"
        "      </div>\n"
        '      <div class="fr-card__end">\n'
        f"        {contact_html}\n"
        f'        <p class="fr-card__detail">{e(initiative.actor_name)} · publiée le '
        f"{memo.day(initiative.published_at)}{verified}</p>\n"
        "      </div>\n"
        "    </div>\n"
        "  </div>\n"
        "</div>\n"
    )
