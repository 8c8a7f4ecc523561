"""The answer page of "Votre initiative est-elle toujours active ?", in Chromium: opening
the link changes nothing, its one button does; readable at 1280 and 390 px, axe clean."""

import pytest
from django.utils import timezone

from solidaire.initiatives.freshness import answer_token
from solidaire.initiatives.models import AskAnswer, FreshnessAsk, Initiative, ReportKind
from tests.e2e.conftest import axe_violations
from tests.factories import make_initiative

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])


def asked():
    initiative = make_initiative(title="Épicerie solidaire", submitter_email="p@exemple.test")
    return FreshnessAsk.objects.create(
        initiative=initiative,
        cycle=initiative.verified_at,
        channel="email",
        asked_at=timezone.now(),
    )


@VIEWPORTS
def test_the_carrier_confirms_with_the_one_button(page, url, viewport):
    ask = asked()
    page.set_viewport_size(viewport)
    page.goto(url(f"/initiatives/verification/{answer_token(ask, 'active')}/"))
    button = page.get_by_role("button", name="Elle est toujours active")
    assert button.bounding_box()["y"] + 40 < viewport["height"]  # in the first screen
    assert axe_violations(page) == []
    ask.refresh_from_db()
    assert ask.answered_at is None  # opening the link changed nothing
    button.click()
    page.get_by_text("Votre initiative est confirmée").wait_for()
    assert axe_violations(page) == []
    ask.refresh_from_db()
    assert ask.answer == AskAnswer.ACTIVE


@VIEWPORTS
def test_the_carrier_proposes_a_change(page, url, viewport):
    ask = asked()
    page.set_viewport_size(viewport)
    page.goto(url(f"/initiatives/verification/{answer_token(ask, 'changes')}/"))
    page.get_by_role("button", name="Envoyer la modification").click()
    page.get_by_text("Décrivez ce qui a changé").first.wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Ce qui a changé").fill("Ouvert le mardi.")
    page.get_by_role("button", name="Envoyer la modification").click()
    page.get_by_text("Votre proposition est transmise").wait_for()
    initiative = Initiative.objects.get(pk=ask.initiative_id)
    assert initiative.reports.get().kind == ReportKind.CARRIER
