"""What an erasure does to bulletins: a correction only where the person was named."""

import pytest

from solidaire.bulletins.models import Bulletin, DeliveryKind
from solidaire.bulletins.services import bulletin_create_draft, bulletin_publish
from solidaire.initiatives.erasure import personal_data_erase
from solidaire.outbox.models import Delivery
from tests.bulletins.factories import make_series
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

NAME = "Jérémie Dupont-Lefèvre"


def published(**initiative):
    make_initiative(**initiative)
    return bulletin_publish(bulletin=bulletin_create_draft(series=make_series()), send=False)


def test_a_number_that_does_not_name_the_person_is_not_corrected():
    bulletin = published(title="Repas solidaires", contacts=[("url", "https://repas.example/")])
    personal_data_erase(name=NAME, email="jeremie@exemple.fr", by=None)
    assert Bulletin.objects.get(pk=bulletin.pk).revision == 1


def test_a_number_that_names_the_person_is_corrected_and_its_first_version_scrubbed():
    bulletin = published(title=f"Les repas de {NAME}", contacts=[("url", "https://r.example/")])
    personal_data_erase(name=NAME, by=None)
    bulletin.refresh_from_db()
    assert bulletin.revision == 2
    first, second = bulletin.revisions.order_by("revision")
    assert second.note == "Données personnelles effacées"
    titles = [
        item["initiative_title"]
        for revision in (first, second)
        for section in revision.snapshot["sections"]
        for item in section["items"]
    ]
    assert titles == ["Les repas de [nom effacé]"] * 2


def test_the_ledger_rows_of_the_address_are_anonymised_not_deleted():
    bulletin = published(title="Repas", contacts=[("url", "https://r.example/")])
    row = Delivery.objects.create(
        batch=f"bulletin:{bulletin.pk}",
        builder="bulletin",
        params={"bulletin": bulletin.pk, "token": "secret-token"},
        message_id="<delivery-test@exemple.fr>",
        address="jeremie@exemple.fr",
        kind=DeliveryKind.SUBSCRIBER,
        last_error="Refusé par le serveur SMTP : jeremie@exemple.fr: 550",
    )
    personal_data_erase(email="Jeremie@Exemple.fr", by=None)
    row.refresh_from_db()
    assert row.address == f"efface-{row.pk}@efface.invalid"
    assert row.last_error == "Refusé par le serveur SMTP : [e-mail effacé]: 550"
    assert row.params == {"bulletin": bulletin.pk}
