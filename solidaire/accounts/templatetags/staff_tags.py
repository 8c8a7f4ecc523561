"""Template filters for the staff pages: show a link only to those who may follow it."""

from django import template

register = template.Library()


@register.filter
def has_role(user, role: str) -> bool:
    """``{% if user|has_role:"editor" %}``: the role held somewhere (admins: always)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(role)
