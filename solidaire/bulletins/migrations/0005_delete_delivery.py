# The delivery ledger moved down to the outbox app (every e-mail of the platform goes
# through it): each row is copied there, same address, status, attempts, error and dates,
# in the batch "bulletin:<pk>", before the old table goes.

import uuid
from email.utils import parseaddr

from django.conf import settings
from django.db import migrations


def copy_rows(apps, schema_editor):
    Old = apps.get_model("bulletins", "Delivery")
    New = apps.get_model("outbox", "Delivery")
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    rows = []
    for old in Old.objects.order_by("id").iterator():
        key = uuid.uuid4()
        rows.append(
            New(
                uuid=key,
                batch=f"bulletin:{old.bulletin_id}",
                kind=old.kind,
                address=old.address,
                builder="bulletin",
                params={"bulletin": old.bulletin_id, "token": old.unsubscribe_token},
                message_id=old.message_id or f"<delivery-{key}@{domain}>",
                status=old.status,
                attempts=old.attempts,
                last_error=old.last_error,
                sent_at=old.sent_at,
                claimed_at=old.updated_at if old.status == "sending" else None,
            )
        )
    New.objects.bulk_create(rows, batch_size=500)
    # auto_now(_add) fields take the copy's time: give them back their own.
    for old, new in zip(Old.objects.order_by("id"), rows, strict=True):
        New.objects.filter(uuid=new.uuid).update(
            created_at=old.created_at, updated_at=old.updated_at
        )


def copy_back(apps, schema_editor):
    Old = apps.get_model("bulletins", "Delivery")
    New = apps.get_model("outbox", "Delivery")
    for new in New.objects.filter(batch__startswith="bulletin:").order_by("id").iterator():
        Old.objects.create(
            bulletin_id=new.params["bulletin"],
            address=new.address,
            kind=new.kind,
            unsubscribe_token=new.params.get("token", ""),
            status="failed" if new.status == "uncertain" else new.status,
            attempts=new.attempts,
            message_id=new.message_id,
            last_error=new.last_error,
            sent_at=new.sent_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0004_french_verbose_names"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_rows, copy_back),
        migrations.DeleteModel(name="Delivery"),
    ]
