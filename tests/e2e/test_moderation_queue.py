"""The moderation queue in a browser: the row checkboxes of the bulk publication."""

from solidaire.initiatives.models import Status
from tests.factories import make_initiative, make_staff


def test_each_row_checkbox_sits_inside_its_row_and_can_be_ticked(page, url, login):
    initiative = make_initiative(status=Status.SUBMITTED, title="Masques pour l'EHPAD")
    login(page, make_staff("moderateur62", moderator=["62"]))
    page.goto(url("/gestion/"))
    row = page.locator("tbody tr").filter(has_text="Masques pour l'EHPAD")
    label = row.locator(f"label[for='choix-{initiative.pk}']")
    row_box, label_box = row.bounding_box(), label.bounding_box()
    assert label_box["height"] >= 16, "the label collapsed: its box hangs out of the row"
    assert row_box["y"] <= label_box["y"]
    assert label_box["y"] + label_box["height"] <= row_box["y"] + row_box["height"]
    label.click()
    assert row.locator("input[type=checkbox]").is_checked()
