"""The bulletins' delivery rows move to the outbox ledger with everything they said."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from solidaire.bulletins.mailing import bulletin_deliveries
from solidaire.bulletins.services import bulletin_create_draft
from solidaire.outbox.models import DeliveryStatus
from tests.bulletins.factories import make_series

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("bulletins", "0004_french_verbose_names")]


def test_existing_bulletin_deliveries_are_kept_in_the_ledger():
    draft = bulletin_create_draft(series=make_series())
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("bulletins", "Delivery")
    old.objects.create(
        bulletin_id=draft.pk,
        address="lu@exemple.test",
        kind="subscriber",
        unsubscribe_token="jeton",
        status="sent",
        attempts=1,
        message_id="<ancien@example.org>",
    )
    old.objects.create(
        bulletin_id=draft.pk,
        address="refus@exemple.test",
        kind="press",
        status="failed",
        attempts=2,
        last_error="550 refusé",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    rows = {row.address: row for row in bulletin_deliveries(draft)}
    assert set(rows) == {"lu@exemple.test", "refus@exemple.test"}
    sent, failed = rows["lu@exemple.test"], rows["refus@exemple.test"]
    assert (sent.status, sent.attempts, sent.message_id) == (
        DeliveryStatus.SENT,
        1,
        "<ancien@example.org>",
    )
    assert sent.params == {"bulletin": draft.pk, "token": "jeton"}
    assert sent.builder == "bulletin" and sent.kind == "subscriber"
    assert (failed.status, failed.attempts, failed.last_error) == ("failed", 2, "550 refusé")
    assert failed.message_id == f"<delivery-{failed.uuid}@example.org>"
