"""Where French typography is hooked into Django: pages, e-mails, feeds; data left alone."""

import pytest
from django.core.mail import EmailMultiAlternatives
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.utils.feedgenerator import Rss201rev2Feed

from solidaire.initiatives.feeds import RssFeedType
from solidaire.typography import FrenchTypographyMiddleware, french_message

NBSP, NNBSP = "\u00a0", "\u202f"


def through_middleware(response):
    request = RequestFactory().get("/")
    return FrenchTypographyMiddleware(lambda request: response)(request)


def test_a_page_gets_french_spaces_in_its_text_only():
    page = (
        '<title>Erreur : formulaire</title><p title="a : b">Vraiment ? « oui »</p>'
        '<input name="q" value="Question : oui ?"><textarea>Texte ; fin !</textarea>'
    )
    response = HttpResponse(page)
    response["Content-Length"] = str(len(response.content))
    html = through_middleware(response).content.decode()
    assert f"<title>Erreur{NBSP}: formulaire</title>" in html
    assert f"Vraiment{NNBSP}? «{NBSP}oui{NBSP}»" in html
    assert 'title="a : b"' in html
    assert 'value="Question : oui ?"' in html and "<textarea>Texte ; fin !</textarea>" in html
    assert response["Content-Length"] == str(len(response.content))


def test_data_streams_and_empty_answers_pass_untouched():
    data = JsonResponse({"label": "Contact : ici ?"})
    assert through_middleware(data).content == JsonResponse({"label": "Contact : ici ?"}).content
    stream = StreamingHttpResponse(iter([b"<p>Oui ?</p>"]), content_type="text/html")
    assert b"".join(through_middleware(stream).streaming_content) == b"<p>Oui ?</p>"
    not_modified = HttpResponseNotModified()
    not_modified["ETag"] = '"v1"'
    answered = through_middleware(not_modified)
    assert answered.status_code == 304 and answered["ETag"] == '"v1"'


@pytest.mark.django_db
def test_what_a_person_typed_comes_back_byte_for_byte_in_the_form(client):
    typed = {"title": "Question : oui ?", "description": "« Texte » ; fin !"}
    html = client.post("/initiatives/proposer/", typed).content.decode()
    assert 'value="Question : oui ?"' in html
    assert "« Texte » ; fin !</textarea>" in html
    # …while the page's own text around it is French.
    assert f"Par exemple{NBSP}: trois semaines." in html


def test_an_email_gets_french_spaces_in_subject_text_and_html():
    message = EmailMultiAlternatives(
        subject="Confirmez « Bulletin » !", body="Lien : https://exemple.fr/a:b ?", to=["a@b.c"]
    )
    message.attach_alternative('<p><a href="https://x.fr/?a=b">Lien</a> : ici</p>', "text/html")
    french_message(message)
    assert message.subject == f"Confirmez «{NBSP}Bulletin{NBSP}»{NNBSP}!"
    assert message.body == f"Lien{NBSP}: https://exemple.fr/a:b{NNBSP}?"
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert html == f'<p><a href="https://x.fr/?a=b">Lien</a>{NBSP}: ici</p>'


def test_a_feed_gets_french_spaces_in_its_titles_and_descriptions():
    feed = RssFeedType(title="Covid-19 : flux", link="/f/", description="Les « initiatives »")
    feed.add_item(title="Repas : Lens ?", link="/i/1/", description="Contact : ici")
    xml = feed.writeString("utf-8")
    assert f"Covid-19{NBSP}: flux" in xml and f"Les «{NBSP}initiatives{NBSP}»" in xml
    assert f"Repas{NBSP}: Lens{NNBSP}?" in xml and f"Contact{NBSP}: ici" in xml
    plain = Rss201rev2Feed(title="Covid-19 : flux", link="/f/", description="d")
    assert "Covid-19 : flux" in plain.writeString("utf-8")
