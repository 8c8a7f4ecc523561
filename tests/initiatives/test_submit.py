import pytest
from django.core import mail
from django.test import Client
from django.test.utils import override_settings

from solidaire.initiatives.models import Initiative, Source, Status, Transition
from tests.initiatives.factories import propose_data

URL = "/initiatives/proposer/"
pytestmark = pytest.mark.django_db


def test_the_form_page_offers_every_part_of_an_initiative(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("title", "communes", "quantites-0-count", "contacts-0-value", "submission_key"):
        assert f'name="{name}"' in html
    assert 'name="website"' in html  # the honeypot


def test_the_form_numbers_each_row_in_the_singular_and_points_up_to_the_contacts(client):
    html = client.get(URL).content.decode()
    assert "Quantité n°1" in html and "Contact public n°2" in html
    assert "Quantités n°" not in html and "Contacts publics n°" not in html
    # The consent box comes after the contacts it is about.
    assert "contacts publics indiqués ci-dessus soient publiés" in html
    assert html.index('name="contacts-0-value"') < html.index('name="consent_public_contacts"')


def test_it_stores_a_proposal_with_its_places_quantities_and_contacts(client):
    data = propose_data(
        quantities=[(1300, "visières", "trois semaines")],
        contacts=[("url", "https://www.facebook.com/MDNIduCalaisis/"), ("phone", "03 21 61 36 10")],
    )
    data["contacts-TOTAL_FORMS"] = "2"
    response = client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == "/initiatives/proposer/merci/"
    initiative = Initiative.objects.get()
    assert (initiative.status, initiative.source) == (Status.SUBMITTED, Source.FORM)
    assert initiative.owner_department_id == "62"
    assert [p.commune_id for p in initiative.places.all()] == ["62193"]
    assert str(initiative.quantities.get()) == "1300 visières en trois semaines"
    assert [c.value for c in initiative.contacts.all()] == [
        "https://www.facebook.com/MDNIduCalaisis/",
        "+33321613610",
    ]
    assert initiative.submitter_phone == "+33612345678"
    step = Transition.objects.get(initiative=initiative)
    assert (step.from_status, step.to_status, step.actor) == ("", Status.SUBMITTED, "submitter")


def test_the_submitter_receives_their_private_link_by_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, propose_data())
    initiative = Initiative.objects.get()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille.deposante@exemple.test"]
    assert f"/initiatives/suivi/{initiative.submitter_token}/" in message.body


def test_the_confirmation_page_shows_the_private_link_to_the_same_browser(client):
    client.post(URL, propose_data())
    initiative = Initiative.objects.get()
    response = client.get("/initiatives/proposer/merci/")
    assert f"/initiatives/suivi/{initiative.submitter_token}/" in response.content.decode()
    assert (
        "/initiatives/suivi/" not in Client().get("/initiatives/proposer/merci/").content.decode()
    )


@override_settings(EMAIL_BACKEND="tests.initiatives.failing_mail.FailingBackend")
def test_the_proposal_is_stored_even_when_the_email_cannot_be_sent(
    client, django_capture_on_commit_callbacks
):
    data = propose_data()  # its campaign's creation bumps the page cache's versions
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, data)
    assert len(callbacks) == 1  # the e-mail task was enqueued, and it failed
    assert response.status_code == 302
    assert Initiative.objects.filter(status=Status.SUBMITTED).count() == 1


def test_a_double_submit_creates_one_initiative(client, django_capture_on_commit_callbacks):
    data = propose_data()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, data)
        second = client.post(URL, data)
    assert first.status_code == second.status_code == 302
    assert Initiative.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_honeypot_silently_drops_robots(client):
    response = client.post(URL, propose_data(website="http://spam.example"))
    assert response.status_code == 200
    assert "Merci" in response.content.decode()
    assert not Initiative.objects.exists()
    assert mail.outbox == []


@override_settings(SUBMIT_RATE_LIMIT="3/h")
def test_it_answers_429_past_the_rate_limit_per_ip(client):
    codes = [client.post(URL, propose_data()).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert Initiative.objects.count() == 3
    other_ip = Client(REMOTE_ADDR="203.0.113.9").post(URL, propose_data())
    assert other_ip.status_code == 302


@override_settings(SUBMIT_RATE_LIMIT="2/h")
def test_only_accepted_proposals_count_and_the_refused_one_is_given_back_filled(client):
    invalid = propose_data(title="")
    assert [client.post(URL, invalid).status_code for _ in range(3)] == [400, 400, 400]
    accepted = propose_data()
    assert [client.post(URL, d).status_code for d in (accepted, propose_data())] == [302, 302]
    data = propose_data(
        title="Repas pour les soignants de Lens",
        quantities=[(250, "repas", "une semaine")],
        contacts=[("phone", "03 21 61 36 10")],
    )
    response = client.post(URL, data)
    assert response.status_code == 429
    assert Initiative.objects.count() == 2
    wait = int(response["Retry-After"])
    assert 0 < wait <= 3600
    html = response.content.decode()
    minutes = -(-wait // 60)
    assert "Réessayez dans " in html
    assert (f"{minutes} minute" in html) if minutes < 60 else ("1 heure" in html)
    for kept in (
        "Repas pour les soignants de Lens",
        'value="250"',
        "une semaine",
        "03 21 61 36 10",
    ):
        assert kept in html
    assert data["submission_key"] in html  # sent again later, it still counts once
    # The same form, already accepted, is answered (double click), not refused.
    again = client.post(URL, propose_data(submission_key=accepted["submission_key"]))
    assert again.status_code == 302


def test_a_title_over_200_characters_is_refused_and_kept_not_cut(client):
    page = client.get(URL).content.decode()
    title_input = page[page.index('name="title"') - 200 : page.index('name="title"') + 200]
    assert "maxlength" not in title_input  # browsers cut pasted text at maxlength
    assert 'data-char-limit="200"' in title_input
    assert "200\u00a0caractères au plus" in page
    long_title = "Visières " + "x" * 200
    response = client.post(URL, propose_data(title=long_title))
    assert response.status_code == 400
    html = response.content.decode()
    assert "200 caractères" in html and "209" in html
    assert f'value="{long_title}"' in html
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        (
            "communes__search",
            "Zzyzxville",
            "Aucune commune ne correspond à «\u00a0Zzyzxville\u00a0»",
        ),
        ("title", "x" * 201, "200 caractères"),
        ("submitter_phone", "12", "numéro de téléphone valide"),
        ("submitter_email", "pas-une-adresse", "adresse e-mail valide"),
        ("end_date", "2020-01-01", "postérieure à la date de début"),
        ("contacts-0-value", "javascript:alert(1)", "http:// ou https://"),
    ],
)
def test_it_refuses_bad_input_with_a_french_message_and_keeps_what_was_typed(
    client, field, value, error
):
    data = propose_data(start_date="2020-04-01", contacts=[("url", "https://ok.example.org/")])
    data[field] = value
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert f'value="{value}"' in html or f">{value}<" in html  # the wrong value, kept
    for kept in ("Maison du numérique", "Camille Déposante", "2020-04-01"):
        assert kept in html
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("email", "solidarité.grandarras@cu-arras.org", "solidarité.grandarras@cu-arras.org"),
        ("phone", "+32 2 555 12 12", "+3225551212"),
        ("text", "auprès des mairies concernées", "auprès des mairies concernées"),
    ],
)
def test_it_accepts_every_kind_of_public_contact(client, kind, value, stored):
    response = client.post(URL, propose_data(contacts=[(kind, value)]))
    assert response.status_code == 302
    assert Initiative.objects.get().contacts.get().value == stored


def test_public_contacts_need_the_consent_to_publish_them(client):
    data = propose_data(contacts=[("url", "https://ok.example.org/")])
    del data["consent_public_contacts"]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Cochez cette case" in response.content.decode()


def test_a_place_is_required(client):
    response = client.post(URL, propose_data(communes=[]))
    assert response.status_code == 400
    assert "au moins une commune" in response.content.decode()


def test_the_owner_defaults_to_the_home_department_even_for_a_place_elsewhere(client):
    data = propose_data(communes=["95500"], epci="200033579", arrondissement="621")
    assert client.post(URL, data).status_code == 302
    initiative = Initiative.objects.get()
    assert sorted(p.kind for p in initiative.places.all()) == ["arrondissement", "commune", "epci"]
    assert initiative.owner_department_id == "62"


@override_settings(HOME_DEPARTMENT="")
def test_without_a_home_department_the_first_commune_owns_the_proposal(client):
    assert client.post(URL, propose_data(communes=["59350"])).status_code == 302
    assert Initiative.objects.get().owner_department_id == "59"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_an_oversized_body_gets_a_clear_413_page(client):
    response = client.post(URL, propose_data(description="x" * 20_000))
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()
    assert not Initiative.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_an_oversized_body_is_refused_before_the_csrf_check_too():
    client = Client(enforce_csrf_checks=True)
    client.get(URL)  # sets the CSRF cookie: the check then reads the body
    data = propose_data(description="x" * 20_000)
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    response = client.post(URL, data)
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()


def test_untouched_empty_rows_are_ignored(client):
    # What a browser sends for the blank rows: a select always has a value.
    data = propose_data()
    data.update({"contacts-TOTAL_FORMS": "3", "quantites-TOTAL_FORMS": "3"})
    for i in range(3):
        data.update({f"contacts-{i}-kind": "url", f"contacts-{i}-value": ""})
        data.update({f"quantites-{i}-count": "", f"quantites-{i}-item": ""})
    assert client.post(URL, data).status_code == 302
    assert Initiative.objects.get().contacts.count() == 0


def test_without_javascript_communes_are_typed_by_name_or_postal_code(client):
    data = propose_data(communes=[], communes__search="Arras, 62100")
    assert client.post(URL, data).status_code == 302
    places = Initiative.objects.get().places.all()
    assert [p.commune_id for p in places] == ["62041", "62193"]
