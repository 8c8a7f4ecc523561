from collections.abc import Mapping

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from solidaire.initiatives.contacts import contact_views
from solidaire.initiatives.markdown import render_markdown
from solidaire.initiatives.mentions import mentions_of
from solidaire.initiatives.validators import format_phone
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
