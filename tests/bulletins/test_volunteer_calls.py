"""A bulletin's "S'engager" part relays the calls for volunteers of the initiatives it
relays: frozen with the number, on its web page, in its PDF and in its e-mail."""

import html as html_lib

import pytest
from django.template.loader import render_to_string

from solidaire.bulletins.mailing import render_email
from solidaire.bulletins.pdf import font_faces
from solidaire.bulletins.services import bulletin_create_draft, bulletin_publish
from solidaire.initiatives.services import volunteer_call_update
from tests.bulletins.factories import make_series
from tests.factories import make_initiative, make_volunteer_call

pytestmark = pytest.mark.django_db

JVA = "https://www.jeveuxaider.gouv.fr/missions-benevolat/12345/soutien-scolaire"


def plain(text: str) -> str:
    text = html_lib.unescape(text)
    return text.replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'")


@pytest.fixture
def published(editor):
    initiative = make_initiative(title="L'école à la maison", actor_name="Collège Jean Macé")
    call = make_volunteer_call(
        initiative,
        title="Soutien scolaire à distance",
        answer_url="https://exemple.fr/inscription",
        answer_email="benevoles@exemple.fr",
        volunteers_wanted=3,
        jeveuxaider_url=JVA,
    )
    make_initiative(title="Sans appel")
    draft = bulletin_create_draft(series=make_series())
    bulletin = bulletin_publish(bulletin=draft, by=editor, send=False)
    return bulletin, call


def test_the_snapshot_freezes_the_calls_of_the_relayed_initiatives(published):
    bulletin, call = published
    calls = bulletin.snapshot["volunteer_calls"]
    assert [c["call_id"] for c in calls] == [call.pk]
    assert calls[0]["where"] == "Calais" and calls[0]["when"] == "dès maintenant"
    # Frozen: a later edit of the call does not rewrite the published number.
    volunteer_call_update(call=call, data={"title": "Autre chose à faire"})
    bulletin.refresh_from_db()
    assert bulletin.snapshot["volunteer_calls"][0]["title"] == "Soutien scolaire à distance"


def test_the_web_page_shows_them_in_the_calls_to_action(published, client):
    bulletin, call = published
    page = plain(
        client.get(f"/bulletins/{bulletin.series.slug}/{bulletin.number}/").content.decode()
    )
    engage = page[page.index("S'engager") :]
    assert "Soutien scolaire à distance (Calais, dès maintenant, 3 bénévoles)" in engage
    assert "Collège Jean Macé" in engage
    assert 'href="https://exemple.fr/inscription"' in engage
    assert 'href="mailto:benevoles@exemple.fr"' in engage
    assert f'href="{JVA}"' in engage
    assert 'href="/benevolat/"' in engage


def test_the_pdf_and_the_e_mail_print_them(published):
    bulletin, _ = published
    family, faces = font_faces()
    context = {"s": bulletin.snapshot, "family": family, "faces": faces}
    pdf_html = plain(render_to_string("bulletins/pdf/bulletin.html", context))
    assert "Soutien scolaire à distance (Calais" in pdf_html
    email = render_email(bulletin, bulletin.snapshot)
    assert "- Soutien scolaire à distance (Calais, dès maintenant, 3 bénévoles)" in plain(
        email["text"]
    )
    assert "https://exemple.fr/inscription ou benevoles@exemple.fr" in email["text"]
    assert 'href="mailto:benevoles@exemple.fr"' in plain(email["html"])


def test_a_number_without_calls_has_no_volunteering_part(editor, client):
    make_initiative(title="Sans appel")
    bulletin = bulletin_publish(
        bulletin=bulletin_create_draft(series=make_series()), by=editor, send=False
    )
    assert bulletin.snapshot["volunteer_calls"] == []
    page = client.get(f"/bulletins/{bulletin.series.slug}/{bulletin.number}/").content.decode()
    assert "cherchent des bénévoles" not in page
