"""Filters shared by the web page, the PDF and the e-mail."""

import re
from datetime import date

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from solidaire.lib.dates import format_date
from solidaire.lib.typography import NBSP, french

register = template.Library()

_LINK_RE = re.compile(
    r"(?P<url>https?://[^\s<>\"]+[^\s<>\".,;:!?)])"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<phone>(?:\+33\s?|0)\d(?:[ .]?\d\d){4})"
)
EMAIL_LINK_STYLE = "color:#000091;text-decoration:underline;white-space:nowrap;"


def _link(kind: str, value: str, style: str) -> str:
    style_attr = f' style="{style}"' if style else ""
    if kind == "phone":
        shown = value.replace(" ", NBSP)
        href = "tel:" + re.sub(r"[^\d+]", "", value)
        return f'<a class="bulletin-link" href="{escape(href)}"{style_attr}>{escape(shown)}</a>'
    href = value if kind == "url" else f"mailto:{value}"
    return f'<a class="bulletin-link" href="{escape(href)}"{style_attr}>{escape(value)}</a>'


def render_links(text: str, style: str = "") -> str:
    """Escape ``text`` with French typography; URLs, e-mails and phones become whole links."""
    out, last = [], 0
    for match in _LINK_RE.finditer(text):
        out.append(escape(french(text[last : match.start()])))
        out.append(_link(match.lastgroup, match.group(), style))
        last = match.end()
    out.append(escape(french(text[last:])))
    return "".join(out)


@register.filter
def fr(value) -> str:
    """French typography on plain text (escaped)."""
    return escape(french(str(value or "")))


@register.filter
def fr_links(value, style: str = "") -> str:
    return mark_safe(render_links(str(value or ""), EMAIL_LINK_STYLE if style == "email" else ""))


@register.filter
def paragraphs(value) -> list[str]:
    """Blank-line separated paragraphs of a text."""
    return [p.strip() for p in re.split(r"\n\s*\n", str(value or "")) if p.strip()]


@register.filter
def fr_date(value) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return format_date(value) if value else ""


@register.filter
def contact_line(item, style: str = "") -> str:
    """ "Plus d'information : https://…" with the link whole."""
    text = item.get("contact_text", "") if isinstance(item, dict) else item.contact_text
    label = item.get("contact_label", "") if isinstance(item, dict) else item.contact_label
    if not text:
        return ""
    return fr_links(f"{label} : {text}", style)


@register.filter
def volunteer_call_text(call: dict) -> str:
    """One call for volunteers of a snapshot as a line of text (links found by fr_links):
    "Soutien scolaire (Arras, dès maintenant, 3 bénévoles) — CCAS. Répondre : https://…"."""
    details = [call.get("where") or "", call.get("when") or ""]
    wanted = call.get("volunteers_wanted")
    if wanted:
        details.append(f"{wanted} bénévole{'s' if wanted > 1 else ''}")
    line = f"{call['title']} ({', '.join(d for d in details if d)}) — {call['actor_name']}."
    answers = [a for a in (call.get("answer_url"), call.get("answer_email")) if a]
    if answers:
        line += f" Répondre : {' ou '.join(answers)}."
    if call.get("jeveuxaider_url"):
        line += f" Sur JeVeuxAider : {call['jeveuxaider_url']}"
    return line
