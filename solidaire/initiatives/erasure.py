"""Erasing a person's data (RGPD art. 17) wherever the platform copied it.

``personal_data_erase`` gathers what identifies the person (the name, e-mail and phone given,
and those of the initiatives they submitted), then runs every eraser in order: this module's
own (the initiatives' texts, quantities, public contacts, calls for volunteers, moderators'
messages, visitors' reports, private links and idempotency keys, opt-outs of the freshness asks, the admin's
history, sessions, background task rows, the search index), then those that apps above register from their AppConfig.ready
(``eraser_register`` in erasers.py): bulletins (relayed paragraphs, frozen numbers,
subscribers, e-mail ledger) and imports (documents and their analysis). A lower app never
imports a higher one.

A name is searched only with its first name and surname (two words, five letters at
least), in its folded forms; an e-mail whatever its case; a phone in any writing (see
``lib/redact.py``). Everything runs in one transaction: a failure erases nothing.

Erased text reads "[nom effacé]", "[e-mail effacé]", "[téléphone effacé]"; a public contact
that was the person's own is removed, and a published initiative left without any is sent
back to the moderators' queue with a note.
"""

from collections import Counter
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Q, QuerySet
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from solidaire.accounts.models import User
from solidaire.lib.redact import Needles, scrub_data

from .erasers import Erasure, phone_parts, registered_erasers, scrub_rows
from .models import (
    Actor,
    Contact,
    ContactKind,
    FreshnessOptOut,
    Initiative,
    Quantity,
    Report,
    Status,
    Transition,
    VolunteerCall,
    new_token,
)
from .pages import initiative_pages_touch
from .search import initiative_reindex, search_filter, search_index_purge
from .services import initiative_transition

UNPUBLISHED_NOTE = (
    "Données personnelles effacées : le seul contact public était celui du déposant. "
    "Ajoutez un autre contact public avant de republier."
)
# Contacts that are the person's own: removed whole, never half-scrubbed.
PERSONAL_CONTACT_KINDS = (ContactKind.EMAIL, ContactKind.PHONE, ContactKind.URL)


def _loose_phone_regex(national: str) -> str:
    """A database regex (SQLite and PostgreSQL alike) for the last eight digits, any spacing."""
    return "[^0-9]{0,3}".join(national[-8:])


def _candidates(erasure: Erasure, names: list[str], emails: list[str], phones) -> QuerySet:
    """Initiatives that may hold the person: theirs, and any the database says may."""
    condition = Q(pk__in=[i.pk for i in erasure.own])
    text_fields = ("title", "description", "actor_name", "beneficiaries")
    for email in emails:
        for name in text_fields:
            condition |= Q(**{f"{name}__icontains": email})
        condition |= Q(contacts__value__icontains=email)
    for _, national in phones:
        regex = _loose_phone_regex(national)
        for name in text_fields:
            condition |= Q(**{f"{name}__regex": regex})
        condition |= Q(contacts__value__contains=national)
        condition |= Q(quantities__item__regex=regex) | Q(quantities__period__regex=regex)
    pks = set(Initiative.objects.filter(condition).values_list("pk", flat=True))
    for name in names:
        # The search index holds the folded, stemmed words: it finds any spelling of a name.
        pks |= set(search_filter(Initiative.objects.all(), name).values_list("pk", flat=True))
    return Initiative.objects.filter(pk__in=pks).order_by("pk")


def _erase_initiatives(erasure: Erasure, candidates: QuerySet) -> None:
    fields = ("title", "description", "actor_name", "beneficiaries")
    erasure.touched |= {
        i.pk for i in scrub_rows(candidates, fields, erasure, "textes d’initiatives")
    }
    quantities = Quantity.objects.filter(initiative__in=candidates)
    scrub_rows(quantities, ("item", "period"), erasure, "quantités")
    # Every candidate is reindexed: cheaper than telling which rows moved the document.
    erasure.touched |= set(candidates.values_list("pk", flat=True))
    own = Initiative.objects.filter(pk__in=[i.pk for i in erasure.own])
    for pk, token, key in own.values_list("pk", "submitter_token", "submission_key"):
        erasure.forgotten |= {token, key} - {None, ""}
        # A new private link: the old one, in old e-mails and sessions, leads nowhere.
        Initiative.objects.filter(pk=pk).update(
            submitter_name="",
            submitter_email="",
            submitter_phone="",
            submitter_token=new_token(),
            submission_key=None,
        )
        erasure.touched.add(pk)
    erasure.counts["liens privés"] += len(erasure.own)


def _erase_contacts(erasure: Erasure, candidates: QuerySet) -> None:
    """Remove the person's own contacts; scrub free-text ones; unpublish what is left bare."""
    removed, bare = 0, set()
    contacts = Contact.objects.filter(initiative__in=candidates)
    for contact in contacts.iterator():
        if not erasure.needles.found_in(contact.value):
            continue
        if contact.kind in PERSONAL_CONTACT_KINDS:
            contact.delete()
            removed += 1
            bare.add(contact.initiative_id)
        elif contact.kind == ContactKind.TEXT:
            Contact.objects.filter(pk=contact.pk).update(value=erasure.scrub(contact.value))
            removed += 1
        erasure.touched.add(contact.initiative_id)
    erasure.counts["contacts publics"] += removed
    without = Initiative.objects.filter(pk__in=bare, status=Status.PUBLISHED, contacts__isnull=True)
    for initiative in without:
        # Back to the queue: a published initiative always says how to act on it.
        initiative_transition(
            initiative=initiative,
            to=Status.SUBMITTED,
            actor=Actor.SYSTEM,
            by=erasure.by,
            message=UNPUBLISHED_NOTE,
        )
        erasure.counts["initiatives dépubliées"] += 1


def _erase_volunteer_calls(erasure: Erasure) -> None:
    """A call's e-mail that is the person's own is removed; a call left with no way to
    answer is removed whole (the database requires one); its texts are scrubbed. Every call,
    not only the candidates': the person may answer another carrier's call."""
    cleared, removed = 0, 0
    texts = ("title", "description", "address", "schedule", "answer_url")
    for call in VolunteerCall.objects.iterator(chunk_size=500):
        if not erasure.needles.found_in(
            " ".join(getattr(call, name) for name in (*texts, "answer_email"))
        ):
            continue
        erasure.touched.add(call.initiative_id)
        updates = {name: erasure.scrub(getattr(call, name)) for name in texts}
        if call.answer_email and erasure.needles.found_in(call.answer_email):
            updates["answer_email"] = ""
            cleared += 1
        if updates["answer_url"] != call.answer_url:
            updates["answer_url"] = ""  # a scrubbed link is no link
        if not updates.get("answer_email", call.answer_email) and not updates["answer_url"]:
            VolunteerCall.objects.filter(pk=call.pk).delete()
            removed += 1
            continue
        VolunteerCall.objects.filter(pk=call.pk).update(**updates)
    erasure.counts["e-mails d’appels à bénévoles"] += cleared
    erasure.counts["appels à bénévoles supprimés"] += removed


def _erase_messages_and_reports(erasure: Erasure) -> None:
    # Every message, not only the candidates': a moderator may name the person anywhere.
    scrub_rows(
        Transition.objects.exclude(message=""), ("message",), erasure, "messages de modération"
    )
    scrub_rows(Report.objects.all(), ("message",), erasure, "signalements")


def _erase_admin_history(erasure: Erasure) -> None:
    scrub_rows(
        LogEntry.objects.all(),
        ("object_repr", "change_message"),
        erasure,
        "historique de l’administration",
    )


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _erase_sessions(erasure: Erasure) -> None:
    """Delete the sessions that hold a forgotten link or the person (database sessions only)."""
    store = _session_store()
    if not hasattr(store, "get_model_class"):
        return  # cookie or cache sessions cannot be listed; they expire on their own
    deleted = 0
    sessions = store.get_model_class().objects.values_list("session_key", "session_data")
    for key, data in sessions.iterator(chunk_size=500):
        decoded = store().decode(data)
        values = {v for v in decoded.values() if isinstance(v, str)}
        if values & erasure.forgotten or erasure.found_in_data(decoded):
            store(session_key=key).delete()
            deleted += 1
    erasure.counts["sessions"] += deleted


FINISHED_TASKS = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
SUBMITTER_TASK = "solidaire.initiatives.emails.send_submitter_email"


def _erase_tasks(erasure: Erasure) -> None:
    """Finished task rows that name the person are deleted; waiting ones are scrubbed."""
    own = {i.pk for i in erasure.own}
    deleted = scrubbed = 0
    for row in DBTaskResult.objects.iterator(chunk_size=500):
        args = (row.args_kwargs or {}).get("args") or []
        mine = row.task_path == SUBMITTER_TASK and args[:1] and args[0] in own
        holds = erasure.found_in_data(
            [row.args_kwargs, row.return_value, row.traceback, row.exception_class_path]
        )
        if not (mine or holds):
            continue
        if row.status in FINISHED_TASKS:
            row.delete()
            deleted += 1
            continue
        DBTaskResult.objects.filter(pk=row.pk).update(
            args_kwargs=scrub_data(row.args_kwargs, erasure.scrub),
            return_value=scrub_data(row.return_value, erasure.scrub),
            traceback=erasure.scrub(row.traceback),
        )
        scrubbed += 1
    erasure.counts["tâches de fond"] += deleted + scrubbed


def _erase_freshness_opt_outs(erasure: Erasure, emails: list[str]) -> None:
    """An opt-out of the freshness asks is the address itself: it goes (the person's
    initiatives, without a submitter e-mail now, are asked no more anyway)."""
    matching = Q(pk__in=[])
    for email in emails:
        matching |= Q(email__iexact=email)
    deleted, _ = FreshnessOptOut.objects.filter(matching).delete()
    erasure.counts["refus des demandes de confirmation"] += deleted


def _reindex(erasure: Erasure) -> None:
    for initiative in Initiative.objects.filter(pk__in=erasure.touched).prefetch_related("themes"):
        initiative_reindex(initiative=initiative)
    initiative_pages_touch(ids=erasure.touched)
    # Old words of the full-text index are dropped, not just marked deleted.
    search_index_purge()


def _erase(*, own_filter: Q, names, emails, phones, by, dry_run: bool = False) -> Counter:
    with transaction.atomic():
        own = list(Initiative.objects.select_for_update().filter(own_filter).order_by("pk"))
        names = [*names, *(i.submitter_name for i in own)]
        emails = [*emails, *(i.submitter_email for i in own)]
        phones = {*phones, *(phone_parts(i.submitter_phone) for i in own if i.submitter_phone)}
        names = sorted({n.strip() for n in names if n.strip()})
        emails = sorted({e.strip().lower() for e in emails if e.strip()})
        phones = sorted(p for p in phones if p)
        erasure = Erasure(
            needles=Needles.of(names=names, emails=emails, phones=phones), own=own, by=by
        )
        if not erasure.needles and not own:
            return erasure.counts
        candidates = _candidates(erasure, names, emails, phones)
        _erase_initiatives(erasure, candidates)
        _erase_contacts(erasure, candidates)
        _erase_volunteer_calls(erasure)
        _erase_messages_and_reports(erasure)
        _erase_admin_history(erasure)
        _erase_tasks(erasure)
        _erase_freshness_opt_outs(erasure, emails)
        for eraser in registered_erasers():
            eraser(erasure)
        # Sessions last: erasers above may add links to forget.
        _erase_sessions(erasure)
        _reindex(erasure)
        if dry_run:
            # Everything was done to count it, and is undone: nothing is written.
            transaction.set_rollback(True)
    return erasure.counts


def personal_data_erase(
    *,
    initiative: Initiative | None = None,
    email: str = "",
    name: str = "",
    phone: str = "",
    by: User | None,
    dry_run: bool = False,
) -> Counter:
    """Erase a person wherever the platform copied them; returns what was erased, by place.

    ``dry_run`` counts what would be erased and writes nothing (the confirmation page).

    The person is given by an initiative they submitted, or their e-mail, name (first name
    and surname) or phone, any of them; their other proposals are found by the same e-mail
    or phone.
    """
    phone_key = phone_parts(phone) if phone.strip() else None
    own_filter = Q(pk=initiative.pk) if initiative is not None else Q(pk__in=[])
    if email.strip():
        own_filter |= Q(submitter_email__iexact=email.strip())
    if phone_key:
        own_filter |= Q(submitter_phone__endswith=phone_key[1])
    return _erase(
        own_filter=own_filter,
        names=[name],
        emails=[email],
        phones=[phone_key] if phone_key else [],
        by=by,
        dry_run=dry_run,
    )


# Submitters erased per pass: their needles are searched together, in one pass per table.
PURGE_BATCH = 200


def initiatives_purge_personal_data(*, before: datetime, by: User | None = None) -> int:
    """Erase the submitters of initiatives created before a date; returns how many."""
    holding = (
        Initiative.objects.filter(created_at__lt=before)
        .exclude(submitter_name="", submitter_email="", submitter_phone="")
        .order_by("pk")
    )
    count, last = 0, 0
    while batch := list(holding.filter(pk__gt=last).values_list("pk", flat=True)[:PURGE_BATCH]):
        _erase(own_filter=Q(pk__in=batch), names=[], emails=[], phones=[], by=by)
        count, last = count + len(batch), batch[-1]
    return count
