"""Builders for the initiatives tests: submission POST data, many published initiatives."""

import uuid

from tests.factories import make_campaign, make_initiative, make_theme


def formset_management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def propose_data(*, quantities=(), contacts=(), campaign=None, **overrides) -> dict:
    """A valid POST of /initiatives/proposer/ (one commune: Calais), with ``overrides``."""
    campaign = campaign or make_campaign()
    data = {
        "title": "Visières pour les soignants du Calaisis",
        "description": "Production de **visières** en impression 3D.",
        "campaign": str(campaign.pk),
        "actor_name": "Maison du numérique",
        "actor_kind": "association",
        "beneficiaries": "soignants",
        "communes": ["62193"],
        "submitter_name": "Camille Déposante",
        "submitter_email": "camille.deposante@exemple.test",
        "submitter_phone": "06 12 34 56 78",
        "consent_public_contacts": "on",
        "submission_key": uuid.uuid4().hex,
        "website": "",
    }
    data.update(formset_management("quantites", len(quantities)))
    data.update(formset_management("contacts", len(contacts)))
    for i, (count, item, period) in enumerate(quantities):
        data.update(
            {
                f"quantites-{i}-count": str(count),
                f"quantites-{i}-item": item,
                f"quantites-{i}-period": period,
            }
        )
    for i, (kind, value) in enumerate(contacts):
        data.update({f"contacts-{i}-kind": kind, f"contacts-{i}-value": value})
    data.update(overrides)
    return data


def make_many(count: int, **kwargs):
    """``count`` published initiatives with a theme, a commune, an EPCI place and a contact."""
    theme = make_theme()
    return [
        make_initiative(
            title=f"Initiative {i}",
            themes=[theme],
            communes=("62193",),
            epcis=("200033579",),
            contacts=[("url", "https://example.org/")],
            quantities=[(10 + i, "masques")],
            **kwargs,
        )
        for i in range(count)
    ]
