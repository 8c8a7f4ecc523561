"""The "Relayée dans le n°6 du 24 avril 2020" line of an initiative's public page."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from solidaire.lib.dates import format_date

from .selectors import relays_of


def relayed_in(initiative) -> str:
    """ "Relayée dans le n°6 du 24 avril 2020" with a link to each number that relayed it."""
    relays = relays_of(initiative)
    if not relays:
        return ""
    links = [
        format_html(
            '<a href="{}" title="{} n°{}">le n°{} du {}</a>',
            relay.url,
            relay.series_title,
            relay.number,
            relay.number,
            format_date(relay.issue_date),
        )
        for relay in relays
    ]
    joined = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " et " + links[-1]
    return format_html(
        '<p class="fr-text--sm fr-mb-2w bulletin-relay">'
        '<span class="fr-icon-newspaper-line fr-icon--sm" aria-hidden="true"></span> {}</p>',
        mark_safe("Relayée dans " + joined),
    )
