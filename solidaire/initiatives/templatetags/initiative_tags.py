"""Display filters for initiatives: phone numbers and the limited Markdown of descriptions."""

import nh3
import phonenumbers
from django import template
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

register = template.Library()

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image"])
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote"}


def _parse(value: str):
    try:
        return phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return None


@register.filter
def phone_display(value: str) -> str:
    """A phone number in the national format: "+33321212121" → "03 21 21 21 21"."""
    number = _parse(value or "")
    if number is None:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


@register.filter
def phone_uri(value: str) -> str:
    """The tel: URI of a phone number (E.164)."""
    number = _parse(value or "")
    if number is None:
        return "tel:" + "".join(ch for ch in value if ch.isdigit() or ch == "+")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)


@register.filter
def safe_markdown(value: str) -> str:
    """Markdown without raw HTML or images, cleaned again by an allow-list."""
    html = _markdown.render(value or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 (cleaned by nh3 just above)
