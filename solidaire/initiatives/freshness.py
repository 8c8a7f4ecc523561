"""Is a published initiative still running? Ask its carrier, age what nobody confirms.

Timeline of one verification (``verified_at``, set on publication, on a carrier's or a
moderator's confirmation), with the campaign's periods (``Campaign.confirm_after``,
``hide_after``, defaults from the settings):

- ``confirm_after - FRESHNESS_ASK_BEFORE_DAYS`` days later, its submitter is e-mailed
  "Votre initiative est-elle toujours active ?" with three signed answers; one without a
  submitter e-mail (imported) or whose submitter opted out goes to the moderators'
  "à vérifier" list instead, with its public contact to call;
- ``FRESHNESS_REMIND_DAYS`` after the ask, one reminder; as long again after it, silence
  flags the initiative to the moderators ("à vérifier");
- ``confirm_after`` days after the verification, it is stored "à confirmer" and shown so;
- ``hide_after`` days more, it is stored hidden: out of the lists, the map and the counts
  (``models.listed_q``), its page marked as probably ended, until it is confirmed; never
  before a carrier who can be mailed had an ask and a reminder to answer (after an outage,
  or on the first run over initiatives older than the periods, they are asked first).

Every state change is a service of ``services.py``; the two scheduled jobs
(``freshness_asks_run``, ``freshness_states_run``, registered in apps.py) are idempotent:
an ask is one row per initiative and verification date, and each of its e-mails is a
ledger batch of its own (one row per recipient), so a job run twice, or a week late,
sends nothing twice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from solidaire.accounts.models import User
from solidaire.outbox.models import Delivery
from solidaire.outbox.sending import Recipient, deliveries_enqueue, deliveries_send

from .models import (
    Actor,
    AskAnswer,
    AskChannel,
    Campaign,
    Freshness,
    FreshnessAsk,
    FreshnessOptOut,
    Initiative,
    ReportKind,
    Status,
)
from .services import initiative_age, initiative_end, initiative_report, initiative_verify
from .signals import publication_batch

BUILDER = "freshness"
SALT = "solidaire.freshness"
SUBJECTS = {
    "ask": "Votre initiative est-elle toujours active ?",
    "reminder": "Rappel : votre initiative est-elle toujours active ?",
}
OPT_OUT = "optout"
ACTIONS = (*AskAnswer.values, OPT_OUT)


# --- Signed answer links --------------------------------------------------------------


def answer_token(ask: FreshnessAsk, action: str) -> str:
    """A link's token: the ask and the answer it carries, signed and dated."""
    return signing.dumps({"a": ask.pk, "r": action}, salt=SALT, compress=True)


def answer_url(ask: FreshnessAsk, action: str) -> str:
    return settings.SITE_ROOT + reverse(
        "initiatives:freshness_answer", args=[answer_token(ask, action)]
    )


class LinkError(Exception):
    """A link that cannot be used: ``status`` is the HTTP code of its French page."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


def ask_from_token(token: str) -> tuple[FreshnessAsk, str]:
    """(ask, action) of a link, or LinkError: tampered (400), expired (410), unknown (404)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=settings.FRESHNESS_LINK_DAYS))
    except signing.SignatureExpired:
        raise LinkError(
            "Ce lien a expiré. Si votre initiative a changé, écrivez à la préfecture.", 410
        ) from None
    except signing.BadSignature:
        raise LinkError("Ce lien n'est pas valide : vérifiez qu'il est complet.", 400) from None
    if not isinstance(data, dict) or data.get("r") not in ACTIONS:
        raise LinkError("Ce lien n'est pas valide : vérifiez qu'il est complet.", 400)
    ask = (
        FreshnessAsk.objects.select_related("initiative", "initiative__campaign")
        .filter(pk=data.get("a"))
        .first()
    )
    if ask is None:
        raise LinkError("Cette demande n'existe plus.", 404)
    return ask, data["r"]


# --- Periods --------------------------------------------------------------------------


def _campaign_q(now: datetime, days) -> Q:
    """Initiatives verified at least ``days(campaign)`` days before ``now``, each campaign
    with its own periods (a handful of campaigns: one condition each)."""
    condition = Q(pk__in=[])
    for campaign in Campaign.objects.only("pk", "freshness_days", "hide_after_days"):
        limit = now - timedelta(days=days(campaign))
        condition |= Q(campaign_id=campaign.pk, verified_at__lte=limit)
    return condition


def ask_days(campaign: Campaign) -> int:
    return max(campaign.confirm_after - settings.FRESHNESS_ASK_BEFORE_DAYS, 0)


def opted_out() -> Exists:
    return Exists(FreshnessOptOut.objects.filter(email__iexact=OuterRef("submitter_email")))


def current_ask() -> QuerySet[FreshnessAsk]:
    """Asks about an initiative's present verification (an older one is history)."""
    return FreshnessAsk.objects.filter(initiative=OuterRef("pk"), cycle=OuterRef("verified_at"))


def due_for_ask(now: datetime) -> QuerySet[Initiative]:
    """Published initiatives whose present verification is old enough to ask about."""
    return Initiative.objects.filter(_campaign_q(now, ask_days), status=Status.PUBLISHED)


def to_verify(initiatives: QuerySet[Initiative], *, now: datetime) -> QuerySet[Initiative]:
    """The moderators' "à vérifier": among ``initiatives``, published ones due for an ask
    that nobody can be e-mailed about (no submitter e-mail, or opted out), and those whose
    submitter stayed silent after the reminder."""
    unreachable_by_mail = Q(submitter_email="") | opted_out()
    silent = Exists(current_ask().filter(flagged_at__isnull=False, answered_at__isnull=True))
    return initiatives.filter(
        _campaign_q(now, ask_days), unreachable_by_mail | silent, status=Status.PUBLISHED
    )


# --- The asks job ---------------------------------------------------------------------


@dataclass
class AskSummary:
    asked: int = 0
    reminded: int = 0
    flagged: int = 0
    sent: int = 0

    def __str__(self) -> str:
        return (
            f"{self.asked} demande(s), {self.reminded} rappel(s), "
            f"{self.flagged} signalée(s) aux modérateurs, {self.sent} e-mail(s) envoyé(s)"
        )


def _batch(ask: FreshnessAsk, step: str) -> str:
    # One event, one batch: the ledger keeps one row per address in it.
    return f"freshness:{ask.initiative_id}:{int(ask.cycle.timestamp())}:{step}"


def _enqueue(ask: FreshnessAsk, step: str, address: str) -> str:
    batch = _batch(ask, step)
    deliveries_enqueue(
        batch=batch,
        builder=BUILDER,
        recipients=[
            Recipient(
                address=address, kind=f"freshness_{step}", params={"ask": ask.pk, "step": step}
            )
        ],
    )
    return batch


def freshness_asks_run(*, now: datetime | None = None) -> AskSummary:
    """Ask, remind, flag: everything due at ``now``, once (the scheduled job)."""
    now = now or timezone.now()
    summary = AskSummary()
    batches: list[str] = []
    mailable = (
        due_for_ask(now)
        .exclude(submitter_email="")
        .exclude(opted_out())
        .exclude(Exists(current_ask()))
        .only("pk", "verified_at", "submitter_email")
    )
    for initiative in mailable.iterator():
        try:
            with transaction.atomic():
                ask = FreshnessAsk.objects.create(
                    initiative=initiative,
                    cycle=initiative.verified_at,
                    channel=AskChannel.EMAIL,
                    asked_at=now,
                )
                batches.append(_enqueue(ask, "ask", initiative.submitter_email))
        except IntegrityError:
            continue  # asked by another run meanwhile
        summary.asked += 1
    remind_before = now - timedelta(days=settings.FRESHNESS_REMIND_DAYS)
    live = Q(initiative__status=Status.PUBLISHED, cycle=F("initiative__verified_at"))
    waiting = FreshnessAsk.objects.filter(
        live, channel=AskChannel.EMAIL, answered_at__isnull=True
    ).select_related("initiative")
    for ask in waiting.filter(reminded_at__isnull=True, asked_at__lte=remind_before):
        address = ask.initiative.submitter_email
        with transaction.atomic():
            if not FreshnessAsk.objects.filter(pk=ask.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            if address and not FreshnessOptOut.objects.filter(email__iexact=address).exists():
                batches.append(_enqueue(ask, "reminder", address))
        summary.reminded += 1
    summary.flagged = waiting.filter(
        flagged_at__isnull=True, reminded_at__lte=remind_before
    ).update(flagged_at=now)
    if batches:
        counts = deliveries_send(deliveries=Delivery.objects.filter(batch__in=batches))
        summary.sent = counts.sent
    return summary


# --- The states job -------------------------------------------------------------------


def freshness_states_run(*, now: datetime | None = None) -> dict[str, int]:
    """Store "à confirmer" and hidden where their periods have passed (the scheduled job)."""
    now = now or timezone.now()
    counts = {Freshness.TO_CONFIRM: 0, Freshness.HIDDEN: 0}
    # Never hidden before its carrier, if they can be mailed, had an ask and a reminder to
    # answer: after an outage, or on the first run over old initiatives, they are asked
    # first, and hidden later only if they stay silent.
    answered_in_time = now - timedelta(days=2 * settings.FRESHNESS_REMIND_DAYS)
    may_hide = (
        Q(submitter_email="")
        | opted_out()
        | Exists(current_ask().filter(asked_at__lte=answered_in_time))
    )
    for campaign in Campaign.objects.all():
        published = Initiative.objects.filter(campaign=campaign, status=Status.PUBLISHED)
        steps = (
            (Freshness.TO_CONFIRM, campaign.confirm_after, [Freshness.CURRENT]),
            (
                Freshness.HIDDEN,
                campaign.confirm_after + campaign.hide_after,
                [Freshness.CURRENT, Freshness.TO_CONFIRM],
            ),
        )
        for to, days, before in steps:
            limit = now - timedelta(days=days)
            rows = published.filter(freshness__in=before, verified_at__lte=limit)
            if to == Freshness.HIDDEN:
                rows = rows.filter(may_hide)
            rows = rows.only("pk")
            for initiative in rows.iterator():
                if initiative_age(initiative=initiative, to=to, verified_by=limit):
                    counts[to] += 1
    if any(counts.values()):
        # The full open data files carry each initiative's state: regenerated once per run.
        publication_batch.send(sender=Initiative, count=sum(counts.values()))
    return counts


def freshness_states_summary() -> str:
    counts = freshness_states_run()
    return (
        f"{counts[Freshness.TO_CONFIRM]} initiative(s) à confirmer, "
        f"{counts[Freshness.HIDDEN]} masquée(s)"
    )


# --- Answers --------------------------------------------------------------------------


class AnswerRefused(Exception):
    """The answer changes nothing; ``message`` says why, in French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def ask_state(ask: FreshnessAsk) -> str:
    """Why a link's answer would change nothing, or "" if it may be given."""
    if ask.answered_at is not None:
        when = timezone.localtime(ask.answered_at)
        if ask.answered_by_id:
            return (
                f"La préfecture a vérifié cette initiative le {when:%d/%m/%Y} "
                f"(« {ask.get_answer_display()} ») : rien n'a été changé."
            )
        return (
            f"Votre réponse « {ask.get_answer_display()} » a déjà été enregistrée le "
            f"{when:%d/%m/%Y} : rien n'a été changé."
        )
    initiative = ask.initiative
    if initiative.status != Status.PUBLISHED:
        return "Cette initiative n'est plus publiée : rien n'a été changé."
    if initiative.verified_at != ask.cycle:
        return "Cette initiative a été vérifiée depuis cette demande : rien n'a été changé."
    return ""


def ask_answer(*, ask: FreshnessAsk, answer: str, message: str = "") -> FreshnessAsk:
    """The carrier's answer, from a signed link's button: confirm, end, or propose a change
    (the published version stays online; the proposal goes to the moderators' queue)."""
    with transaction.atomic():
        ask = (
            FreshnessAsk.objects.select_for_update(of=("self",))
            .select_related("initiative")
            .get(pk=ask.pk)
        )
        refused = ask_state(ask)
        if refused:
            raise AnswerRefused(refused)
        initiative = ask.initiative
        if answer == AskAnswer.ACTIVE:
            initiative_verify(initiative=initiative, actor=Actor.SUBMITTER)
        elif answer == AskAnswer.ENDED:
            initiative_end(initiative=initiative, actor=Actor.SUBMITTER)
        elif answer == AskAnswer.CHANGES:
            initiative_report(initiative=initiative, message=message, kind=ReportKind.CARRIER)
            initiative_verify(
                initiative=initiative,
                actor=Actor.SUBMITTER,
                message="Toujours active, selon son porteur, qui propose une modification.",
            )
        else:
            raise ValueError(answer)
        ask.answered_at = timezone.now()
        ask.answer = answer
        ask.save(update_fields=["answered_at", "answer"])
    return ask


def ask_opt_out(*, ask: FreshnessAsk) -> bool:
    """The submitter asks never to be asked again (for all their initiatives)."""
    address = ask.initiative.submitter_email.strip().lower()
    if not address:
        return False
    return FreshnessOptOut.objects.get_or_create(email=address)[1]


class CallOutcome:
    ACTIVE = "active"
    ENDED = "ended"
    UNREACHABLE = "unreachable"
    LABELS = {
        "active": "Toujours active",
        "ended": "Terminée",
        "unreachable": "Injoignable",
    }


def initiative_record_call(*, initiative: Initiative, outcome: str, by: User) -> str:
    """A moderator called the public contact: one click records what they heard."""
    with transaction.atomic():
        current = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if current.status != Status.PUBLISHED:
            raise AnswerRefused("Cette initiative n'est plus publiée.")
        now = timezone.now()
        ask, _ = FreshnessAsk.objects.get_or_create(
            initiative=current,
            cycle=current.verified_at or current.published_at,
            defaults={"channel": AskChannel.PHONE, "asked_at": now},
        )
        if outcome == CallOutcome.UNREACHABLE:
            ask.called_at = now
            ask.save(update_fields=["called_at"])
            return "L'appel sans réponse est noté ; l'initiative reste à vérifier."
        if outcome == CallOutcome.ACTIVE:
            initiative_verify(
                initiative=current, actor=Actor.STAFF, by=by, message="Vérifiée par téléphone."
            )
            answer, done = AskAnswer.ACTIVE, "L'initiative est vérifiée : elle reste publiée."
        elif outcome == CallOutcome.ENDED:
            initiative_end(
                initiative=current,
                actor=Actor.STAFF,
                by=by,
                message="Terminée, selon son contact public (appel de la préfecture).",
            )
            answer, done = AskAnswer.ENDED, "L'initiative est archivée comme terminée."
        else:
            raise ValueError(outcome)
        FreshnessAsk.objects.filter(pk=ask.pk).update(
            answered_at=now, answer=answer, answered_by=by
        )
    return done


# --- The e-mail -----------------------------------------------------------------------


def build_message(delivery: Delivery) -> EmailMultiAlternatives:
    """The ledger's builder: the ask or its reminder, links signed at send time."""
    ask = FreshnessAsk.objects.select_related("initiative").get(pk=delivery.params["ask"])
    step = delivery.params.get("step", "ask")
    initiative = ask.initiative
    context = {
        "initiative": initiative,
        "step": step,
        "page": settings.SITE_ROOT + initiative.get_absolute_url(),
        "links": {action: answer_url(ask, action) for action in ACTIONS},
        "site": settings.SITE_TITLE,
        "days": settings.FRESHNESS_LINK_DAYS,
    }
    return EmailMultiAlternatives(
        subject=f"{SUBJECTS[step]} — {settings.SITE_TITLE}",
        body=render_to_string("initiatives/email/freshness_ask.txt", context),
        to=[delivery.address],
    )
