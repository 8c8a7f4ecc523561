"""What bulletins hold of an erased person (registered in initiatives/erasure.py by ready()).

Drafts and relayed paragraphs are scrubbed in place. A published number that showed the
person is corrected like any other, by a new dated revision whose note readers see
("Données personnelles effacées"); its earlier frozen revisions are scrubbed too, since
they are kept for the record, not for the person's data. Subscribers and press contacts
with the person's address are removed and their e-mail ledger rows anonymised.
"""

from functools import partial

from django.db import transaction
from django.db.models import Q

from solidaire.initiatives.erasers import Erasure, scrub_rows
from solidaire.lib.redact import scrub_data
from solidaire.outbox.sending import deliveries_erase

from .models import (
    Bulletin,
    BulletinItem,
    BulletinRevision,
    BulletinStatus,
    PressContact,
    Subscriber,
)
from .pdf import pdf_forget_earlier
from .services import bulletin_correct

ERASED_NOTE = "Données personnelles effacées"


def bulletins_erase(erasure: Erasure) -> None:
    items = scrub_rows(
        BulletinItem.objects.all(),
        ("paragraph", "contact_text"),
        erasure,
        "paragraphes relayés",
        also_read=("bulletin_id",),
    )
    texts = scrub_rows(
        Bulletin.objects.all(),
        ("introduction", "closing", "calls_to_action"),
        erasure,
        "textes de bulletins",
    )
    # Only a number whose frozen text names the person gets a correction: the initiative's
    # title in it comes from the (already scrubbed) initiative.
    edited = {b.pk for b in texts} | {item.bulletin_id for item in items}
    for bulletin in Bulletin.objects.filter(status=BulletinStatus.PUBLISHED).order_by("pk"):
        if bulletin.pk in edited or erasure.found_in_data(bulletin.snapshot):
            bulletin_correct(bulletin=bulletin, by=erasure.by, note=ERASED_NOTE)
            transaction.on_commit(partial(pdf_forget_earlier, bulletin))
            erasure.counts["bulletins corrigés"] += 1
    revisions = 0
    for revision in BulletinRevision.objects.only("pk", "snapshot", "note").iterator():
        if erasure.found_in_data([revision.snapshot, revision.note]):
            BulletinRevision.objects.filter(pk=revision.pk).update(
                snapshot=scrub_data(revision.snapshot, erasure.scrub),
                note=erasure.scrub(revision.note),
            )
            revisions += 1
    erasure.counts["versions publiées de bulletins"] += revisions
    _erase_recipients(erasure)


def _erase_recipients(erasure: Erasure) -> None:
    emails = set(erasure.needles.emails)
    by_email = Q(email__in=emails)
    for email in emails:
        by_email |= Q(email__iexact=email)
    erasure.counts["abonnés"] += Subscriber.objects.filter(by_email).delete()[0]
    press = {
        row.pk: row.email
        for row in PressContact.objects.only("pk", "name", "email")
        if row.email.lower() in emails or erasure.needles.found_in(row.name)
    }
    emails |= {email.lower() for email in press.values()}
    erasure.counts["destinataires presse"] += PressContact.objects.filter(pk__in=press).delete()[0]
    erasure.counts["envois d’e-mails"] += deliveries_erase(addresses=emails, scrub=erasure.scrub)
