from django import template
from django.utils.safestring import mark_safe

from solidaire.initiatives.markdown import render_markdown
from solidaire.initiatives.mentions import mentions_of
from solidaire.initiatives.validators import format_phone

register = template.Library()


@register.filter
def safe_markdown(text: str) -> str:
    """{{ initiative.description|safe_markdown }}: sanitised by nh3, so safe to mark."""
    return mark_safe(render_markdown(text))  # noqa: S308


@register.filter
def phone_display(value: str) -> str:
    """{{ contact.value|phone_display }}: "+33321613610" -> "03 21 61 36 10"."""
    return format_phone(value or "")


@register.simple_tag
def mentions(initiative) -> str:
    """{% mentions initiative %}: the lines other apps registered (see mentions.py)."""
    return mentions_of(initiative)
