"""The frozen content of a number: everything the renderers need, nothing they must look up.

The preview renders ``build_snapshot(draft)``; publishing stores the very same dict, so
what the editor previewed is what is published, in every format.
"""

from solidaire.initiatives.selectors import volunteer_calls_open
from solidaire.lib.dates import format_date
from solidaire.lib.typography import join_words

from .compose import place_names
from .models import Bulletin

SNAPSHOT_VERSION = 1
OTHER_SECTION = "Autres initiatives"


def _section_key(theme):
    if theme is None:
        return (1, 0, "", 0)
    return (0, theme.position, theme.name, theme.pk)


def ordered_items(bulletin: Bulletin) -> list:
    """Items in reading order: sections in theme order, then position inside a section."""
    return sorted(
        bulletin.items.select_related("theme", "initiative"),
        key=lambda item: (_section_key(item.theme), item.position, item.pk),
    )


def _call_when(call) -> str:
    when = f"à partir du {format_date(call.start_date)}" if call.start_date else "dès maintenant"
    if call.end_date:
        when += f", jusqu'au {format_date(call.end_date)}"
    return when


def volunteer_calls_of_items(initiative_ids) -> list[dict]:
    """The open calls for volunteers of the relayed initiatives, as the "S'engager" part
    prints them (frozen with the number, like its paragraphs)."""
    calls = (
        volunteer_calls_open()
        .filter(initiative_id__in=[pk for pk in initiative_ids if pk])
        .prefetch_related("initiative__places__commune", "initiative__places__epci")
        .prefetch_related("initiative__places__arrondissement", "initiative__places__department")
        .order_by("initiative_id", "position", "id")
    )
    return [
        {
            "call_id": call.pk,
            "initiative_id": call.initiative_id,
            "initiative_title": call.initiative.title,
            "actor_name": call.initiative.actor_name,
            "title": call.title,
            "where": call.commune.name
            if call.commune_id
            else join_words(place_names(call.initiative)),
            "when": _call_when(call),
            "volunteers_wanted": call.volunteers_wanted,
            "answer_url": call.answer_url,
            "answer_email": call.answer_email,
            "jeveuxaider_url": call.jeveuxaider_url,
        }
        for call in calls
    ]


def build_snapshot(bulletin: Bulletin) -> dict:
    series = bulletin.series
    items = ordered_items(bulletin)
    sections: list[dict] = []
    current_key = None
    for item in items:
        key = _section_key(item.theme)
        if key != current_key:
            heading = item.theme.name if item.theme else OTHER_SECTION
            sections.append({"heading": heading, "items": []})
            current_key = key
        sections[-1]["items"].append(
            {
                "initiative_id": item.initiative_id,
                "initiative_title": item.initiative.title if item.initiative else "",
                "paragraph": item.paragraph.strip(),
                "contact_label": item.contact_label,
                "contact_text": item.contact_text.strip(),
            }
        )
    return {
        "version": SNAPSHOT_VERSION,
        "series": {
            "slug": series.slug,
            "title": series.title,
            "authority": series.authority,
            "place": series.place,
            "signatory": series.signatory,
            "department": series.department_id,
        },
        "number": bulletin.number,
        "title": f"{series.title} n°{bulletin.number}",
        "issue_date": bulletin.issue_date.isoformat(),
        "dateline": f"{series.place}, le {format_date(bulletin.issue_date)}",
        "introduction": bulletin.introduction.strip(),
        "closing": bulletin.closing.strip(),
        "calls_to_action": bulletin.calls_to_action.strip(),
        "volunteer_calls": volunteer_calls_of_items(item.initiative_id for item in items),
        "sections": sections,
        "item_count": len(items),
    }
