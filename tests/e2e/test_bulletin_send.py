"""The composer keeps what is typed; publishing a number asks first and accounts for every
e-mail, down to the ones an SMTP server refused."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from solidaire.bulletins.models import PressContact, Subscriber
from solidaire.bulletins.services import bulletin_create_draft, bulletin_save
from solidaire.outbox.models import Delivery, DeliveryStatus
from tests.bulletins.factories import make_series
from tests.bulletins.smtp_sink import smtp_sink
from tests.e2e.conftest import axe_violations
from tests.factories import make_initiative, make_staff

VIEWPORTS = [
    pytest.param({"width": 1280, "height": 900}, id="desktop"),
    pytest.param({"width": 390, "height": 844}, id="mobile"),
]


@pytest.fixture
def draft():
    series = make_series()
    make_initiative(title="Visières à Calais", contacts=[("url", "https://example.org/v")])
    make_initiative(title="Repas à Lens", communes=("62498",))
    return bulletin_create_draft(series=series)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_composer_keeps_the_introduction_across_a_paragraph_save(
    page, url, login, draft, viewport
):
    page.set_viewport_size(viewport)
    login(page, make_staff("editeur62", editor=["62"]))
    page.goto(url(draft.get_compose_url()))
    page.get_by_role("textbox", name="Introduction").fill(
        "Cette semaine encore, le département se mobilise."
    )
    page.locator("textarea[name$='-paragraph']").last.fill("Des repas livrés aux soignants.")
    page.get_by_role("button", name="Enregistrer le paragraphe de « Repas à Lens »").click()

    expect(page.locator(".fr-alert--success")).to_contain_text("Modifications enregistrées.")
    expect(page.get_by_role("textbox", name="Introduction")).to_have_value(
        "Cette semaine encore, le département se mobilise."
    )
    expect(page.locator("textarea[name$='-paragraph']").last).to_have_value(
        "Des repas livrés aux soignants."
    )
    # The actions sit above and below the long form.
    assert page.get_by_role("button", name="Enregistrer les modifications").count() == 2
    assert axe_violations(page) == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_publishing_asks_first_then_resends_only_to_the_refused(page, url, login, draft, viewport):
    page.set_viewport_size(viewport)
    readers = [f"lecteur{i}@exemple.test" for i in range(1, 5)]
    for email in readers:
        Subscriber.objects.create(series=draft.series, email=email, status="confirmed")
    PressContact.objects.create(series=draft.series, name="La Voix", email="redaction@lavoix.test")
    refused = ["lecteur2@exemple.test", "redaction@lavoix.test"]
    login(page, make_staff("editeur62", editor=["62"]))

    with (
        smtp_sink(refused=refused) as sink,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=sink.port,
            EMAIL_USE_TLS=False,
            EMAIL_TIMEOUT=5,
        ),
    ):
        page.goto(url(draft.get_compose_url()))
        page.get_by_role("button", name="Publier le n°6").first.click()

        expect(page.locator("h1")).to_have_text("Publier le n°6 ?")
        counts = page.locator("[data-recipient-counts]")
        expect(counts).to_contain_text("4 abonnés confirmés")
        expect(counts).to_contain_text("1 adresse presse et partenaires")
        expect(page.locator("[data-email-subject]")).to_contain_text("n°6")
        expect(page.frame_locator("iframe").locator("body")).to_contain_text("Repas à Lens")
        assert axe_violations(page) == []
        assert sink.received == []  # nothing leaves before the answer
        page.get_by_role("button", name="Publier et envoyer").click()

        expect(page.locator(".fr-alert--success")).to_contain_text("est lancé")
        page.goto(url(draft.get_compose_url()))
        ledger = page.locator("[data-delivery-counts]")
        expect(ledger).to_contain_text("3 envoyés")
        expect(ledger).to_contain_text("2 en échec")
        assert sorted(sink.received) == sorted(set(readers) - set(refused))
        assert axe_violations(page) == []

        sink.received.clear()
        sink.refused.clear()
        page.get_by_role("button", name="Renvoyer aux échecs").click()
        expect(page.locator(".fr-alert--success")).to_contain_text("Renvoi lancé à 2 adresses")
        expect(ledger).to_contain_text("5 envoyés")
        expect(ledger).to_contain_text("0 en échec")
        assert sorted(sink.received) == sorted(refused)
        assert page.get_by_role("button", name="Renvoyer aux échecs").count() == 0
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_second_saver_sees_both_versions_with_their_input_kept(page, url, login, draft, viewport):
    page.set_viewport_size(viewport)
    login(page, make_staff("editeur62", editor=["62"]))
    page.goto(url(draft.get_compose_url()))
    # Another editor saves the same number while this page is open.
    bulletin_save(
        bulletin=draft,
        version=draft.version,
        texts={
            "issue_date": draft.issue_date,
            "introduction": "Le texte de ma collègue.",
            "closing": "",
            "calls_to_action": "",
        },
        items={},
    )
    introduction = page.get_by_role("textbox", name="Introduction")
    introduction.fill("Mon introduction.")
    page.get_by_role("button", name="Enregistrer les modifications").first.click()

    expect(page.locator("#conflit-alerte")).to_contain_text("quelqu'un d'autre")
    expect(page.locator("[data-conflict-mine]")).to_contain_text("Mon introduction.")
    expect(page.locator("[data-conflict-theirs]")).to_contain_text("Le texte de ma collègue.")
    expect(introduction).to_have_value("Mon introduction.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Enregistrer les modifications").first.click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Modifications enregistrées.")
    draft.refresh_from_db()
    assert draft.introduction == "Mon introduction."
