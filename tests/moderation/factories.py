"""Builders for moderation tests: the staff form's POST data."""

from tests.initiatives.factories import formset_management


def staff_form(initiative, **overrides):
    return {
        "title": "Titre revu par la préfecture",
        "description": "Description.",
        "campaign": str(initiative.campaign_id),
        "actor_name": "Porteur",
        "actor_kind": "association",
        "communes": ["62193"],
        "owner_department": "62",
        **formset_management("quantites", 0),
        # Publishing needs a public contact: the form carries one unless a test overrides it.
        **formset_management("contacts", 1),
        "contacts-0-kind": "url",
        "contacts-0-value": "https://example.org/",
        "consent_public_contacts": "on",
        **overrides,
    }
