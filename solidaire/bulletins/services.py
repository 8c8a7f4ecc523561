"""Writes on bulletins: drafts, publication, corrections, past numbers."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from solidaire.accounts.models import User
from solidaire.initiatives.models import Campaign, Initiative, Status, Theme
from solidaire.initiatives.signals import publication_batch
from solidaire.lib.themes import parse_theme_lines
from solidaire.outbox.sending import UNSERVED, deliveries_requeue
from solidaire.pagecache.versions import BULLETINS, initiative_key, versions_bump
from solidaire.territory.models import Department

from .compose import generate_contact, generate_paragraph
from .mailing import bulletin_deliveries, bulletin_enqueue_deliveries
from .models import (
    Bulletin,
    BulletinItem,
    BulletinRevision,
    BulletinSeries,
    BulletinStatus,
)
from .selectors import next_number, section_theme, unrelayed_initiatives
from .snapshot import build_snapshot


class BulletinError(ValidationError):
    """A refusal the editor must read: the message says what to do."""


class BulletinConflict(BulletinError):
    """Someone saved the number since the editor's page was shown; ``current`` is theirs."""

    def __init__(self, current: "Bulletin"):
        super().__init__(
            "Ce numéro a été enregistré par quelqu'un d'autre pendant que vous le modifiiez : "
            "rien n'a été enregistré. Comparez les deux versions ci-dessous, puis enregistrez "
            "la vôtre si elle doit l'emporter."
        )
        self.current = current


def _bump(bulletin: Bulletin) -> None:
    """Every write on a number makes the pages showing the previous version stale."""
    Bulletin.objects.filter(pk=bulletin.pk).update(version=F("version") + 1)
    bulletin.version = Bulletin.objects.values_list("version", flat=True).get(pk=bulletin.pk)


def _item_for(*, bulletin: Bulletin, initiative: Initiative, position: int, theme=None):
    label, contact = generate_contact(initiative)
    return BulletinItem(
        bulletin=bulletin,
        initiative=initiative,
        theme=theme or section_theme(initiative, bulletin.series.campaign_id),
        position=position,
        paragraph=generate_paragraph(initiative),
        contact_label=label,
        contact_text=contact,
    )


def _prefetched(qs):
    return qs.prefetch_related(
        "themes__parent",
        "contacts",
        "quantities",
        "places__commune",
        "places__epci",
        "places__arrondissement",
        "places__department",
    )


def bulletin_create_draft(
    *, series: BulletinSeries, by=None, issue_date: date | None = None, initiatives=None
) -> Bulletin:
    """A draft of the next number, pre-filled with what was published since the last one."""
    with transaction.atomic():
        bulletin = Bulletin.objects.create(
            series=series,
            number=next_number(series),
            issue_date=issue_date or timezone.localdate(),
            created_by=by,
        )
        if initiatives is None:
            initiatives = _prefetched(unrelayed_initiatives(series))
        BulletinItem.objects.bulk_create(
            [
                _item_for(bulletin=bulletin, initiative=initiative, position=i)
                for i, initiative in enumerate(initiatives)
            ]
        )
    return bulletin


def _require_draft(bulletin: Bulletin) -> None:
    if bulletin.status != BulletinStatus.DRAFT:
        raise BulletinError(
            "Ce numéro est publié : sa liste d'initiatives ne change plus "
            "(seuls les textes peuvent être corrigés)."
        )


def bulletin_add_initiative(*, bulletin: Bulletin, initiative: Initiative) -> BulletinItem:
    _require_draft(bulletin)
    if initiative.status != Status.PUBLISHED:
        raise BulletinError("Seule une initiative publiée peut être relayée.")
    if bulletin.items.filter(initiative=initiative).exists():
        raise BulletinError("Cette initiative figure déjà dans ce numéro.")
    last = bulletin.items.aggregate(last=Max("position"))["last"]
    initiative = _prefetched(Initiative.objects.filter(pk=initiative.pk)).get()
    item = _item_for(
        bulletin=bulletin, initiative=initiative, position=0 if last is None else last + 1
    )
    item.save()
    _bump(bulletin)
    return item


def bulletin_remove_item(*, item: BulletinItem) -> None:
    _require_draft(item.bulletin)
    item.delete()
    _bump(item.bulletin)


def bulletin_move_item(*, item: BulletinItem, direction: str) -> None:
    """Swap the item with its neighbour in the same section ("up" or "down")."""
    _require_draft(item.bulletin)
    siblings = list(item.bulletin.items.filter(theme=item.theme).order_by("position", "id"))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    # Renumber the section so equal positions cannot make the swap a no-op.
    positions = sorted(s.position for s in siblings)
    if len(set(positions)) != len(positions):
        positions = list(range(len(siblings)))
    with transaction.atomic():
        for sibling, position in zip(siblings, positions, strict=True):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])
        _bump(item.bulletin)


def _set_texts(bulletin: Bulletin, *, introduction, closing, calls_to_action, issue_date):
    bulletin.introduction = introduction
    bulletin.closing = closing
    bulletin.calls_to_action = calls_to_action
    fields = ["introduction", "closing", "calls_to_action"]
    if bulletin.status == BulletinStatus.DRAFT:
        bulletin.issue_date = issue_date
        fields.append("issue_date")
    bulletin.save(update_fields=[*fields, "updated_at"])


def _set_item(item: BulletinItem, *, paragraph, contact_label, contact_text, theme) -> None:
    fields = {"paragraph": paragraph, "contact_label": contact_label, "contact_text": contact_text}
    if item.bulletin.status == BulletinStatus.DRAFT:
        fields["theme_id"] = theme.pk if theme else None
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    if changed:  # the composer posts every paragraph with every action
        for name in changed:
            setattr(item, name, fields[name])
        item.save(update_fields=changed)


def bulletin_update_texts(
    *,
    bulletin: Bulletin,
    introduction: str,
    closing: str,
    calls_to_action: str,
    issue_date: date,
) -> Bulletin:
    """Save the editor's texts; a published number keeps its date (its snapshot is dated)."""
    _set_texts(
        bulletin,
        introduction=introduction,
        closing=closing,
        calls_to_action=calls_to_action,
        issue_date=issue_date,
    )
    _bump(bulletin)
    return bulletin


def bulletin_item_update(
    *,
    item: BulletinItem,
    paragraph: str,
    contact_label: str,
    contact_text: str,
    theme: Theme | None,
) -> BulletinItem:
    """Save an item's texts; its section (theme) changes only while the number is a draft."""
    _set_item(
        item,
        paragraph=paragraph,
        contact_label=contact_label,
        contact_text=contact_text,
        theme=theme,
    )
    _bump(item.bulletin)
    return item


def bulletin_save(
    *, bulletin: Bulletin, version: int, texts: dict, items: dict[int, dict]
) -> Bulletin:
    """Save everything the composer shows (texts and paragraphs) at once, or nothing.

    ``version`` is the one the editor's page was built from: if the number was saved since,
    BulletinConflict is raised with the saved version. One save is one new version.
    """
    with transaction.atomic():
        current = Bulletin.objects.select_for_update().select_related("series").get(pk=bulletin.pk)
        if current.version != version:
            raise BulletinConflict(current)
        _set_texts(current, **texts)
        for item in current.items.filter(pk__in=list(items)):
            item.bulletin = current
            _set_item(item, **items[item.pk])
        Bulletin.objects.filter(pk=current.pk).update(version=version + 1)
    for name in ("introduction", "closing", "calls_to_action", "issue_date"):
        setattr(bulletin, name, getattr(current, name))
    bulletin.version = version + 1
    return bulletin


def bulletin_delete_draft(*, bulletin: Bulletin) -> None:
    if bulletin.status != BulletinStatus.DRAFT:
        raise BulletinError("Un numéro publié ne peut pas être supprimé.")
    bulletin.delete()


def _check_publishable(bulletin: Bulletin) -> None:
    items = list(bulletin.items.select_related("initiative"))
    # A first number may announce the crisis before any initiative is published.
    if not items and not (bulletin.introduction.strip() or bulletin.calls_to_action.strip()):
        raise BulletinError(
            "Ce numéro est vide : rédigez une introduction ou des appels à l'action, ou "
            "ajoutez au moins une initiative, avant de publier."
        )
    gone = [
        item.initiative.title
        for item in items
        if item.initiative is not None and item.initiative.status != Status.PUBLISHED
    ]
    if gone:
        raise BulletinError(
            "Ces initiatives ont été archivées ou retirées depuis la préparation du numéro ; "
            "retirez-les avant de publier : " + " ; ".join(f"« {t} »" for t in gone) + "."
        )
    empty = [item for item in items if not item.paragraph.strip()]
    if empty:
        raise BulletinError("Chaque initiative du numéro doit avoir un paragraphe.")


def _freeze(bulletin: Bulletin, *, by: User | None, note: str = "") -> None:
    """Store what the renderers show as the bulletin's next revision, in the caller's
    transaction: the first revision publishes a draft, a later one is a dated correction."""
    first = bulletin.status != BulletinStatus.PUBLISHED
    revision = 1 if first else bulletin.revision + 1
    snapshot = build_snapshot(bulletin)
    snapshot["revision"] = revision
    if first:
        bulletin.status = BulletinStatus.PUBLISHED
        bulletin.published_at = timezone.now()
        fields = ["snapshot", "status", "revision", "published_at"]
    else:
        snapshot["corrected_at"] = timezone.localdate().isoformat()
        snapshot["correction_note"] = note
        fields = ["snapshot", "revision", "updated_at"]
    bulletin.snapshot = snapshot
    bulletin.revision = revision
    bulletin.save(update_fields=fields)
    BulletinRevision.objects.create(
        bulletin=bulletin, revision=revision, snapshot=snapshot, note=note, created_by=by
    )
    # The public pages of bulletins, and of the initiatives it relays ("Relayée dans le n°…").
    relayed = bulletin.items.exclude(initiative=None).values_list("initiative_id", flat=True)
    versions_bump([BULLETINS, *(initiative_key(pk) for pk in relayed)])


def bulletin_publish(
    *, bulletin: Bulletin, by: User | None = None, send: bool = True, version: int | None = None
) -> Bulletin:
    """Give the draft its number and freeze it. Refuses with a BulletinError, publishing nothing.

    With ``send``, one ledger row per recipient is written in the same transaction and the
    e-mails leave in a background task. ``version`` is the one the editor confirmed: a number
    changed since is not published.

    The series row is locked so two editors publishing at once are served one after the
    other: the second sees the number taken and is told so (its draft is renumbered for
    a new preview, since what was previewed must be what is published).
    """
    renumber_to = None
    try:
        with transaction.atomic():
            BulletinSeries.objects.select_for_update().get(pk=bulletin.series_id)
            current = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
            if current.status == BulletinStatus.PUBLISHED:
                raise BulletinError(
                    f"Le n°{current.number} est déjà publié : rien n'a été publié ni envoyé "
                    "une seconde fois."
                )
            if version is not None and current.version != version:
                raise BulletinError(
                    "Ce numéro a été modifié depuis l'affichage de la confirmation : relisez-la "
                    "avant de publier. Rien n'a été publié ni envoyé."
                )
            _check_publishable(current)
            expected = next_number(current.series)
            if current.number != expected:
                renumber_to = expected
                raise BulletinError(
                    f"Le n°{current.number} existe déjà dans cette série. Le brouillon devient "
                    f"le n°{expected} : relisez l'aperçu puis publiez à nouveau."
                )
            _freeze(current, by=by)
            _bump(current)
            publication_batch.send(sender=Bulletin, count=1)
            if send:
                from .tasks import send_bulletin_task

                bulletin_enqueue_deliveries(current)
                pk = current.pk
                transaction.on_commit(lambda: send_bulletin_task.enqueue(bulletin_id=pk))
    except IntegrityError as exc:
        # The unique constraint is the last line of defence (e.g. a backend without row locks).
        raise BulletinError(
            f"Le n°{bulletin.number} existe déjà dans cette série : rien n'a été publié."
        ) from exc
    except BulletinError:
        if renumber_to is not None:
            Bulletin.objects.filter(pk=bulletin.pk, status=BulletinStatus.DRAFT).update(
                number=renumber_to
            )
            bulletin.number = renumber_to
        raise
    for name in ("snapshot", "status", "revision", "published_at", "version"):
        setattr(bulletin, name, getattr(current, name))
    return bulletin


def bulletin_resend_failures(*, bulletin: Bulletin) -> int:
    """Queue the send of the number to its ledger rows not yet served; returns their count."""
    from .tasks import send_bulletin_task

    if bulletin.status != BulletinStatus.PUBLISHED:
        raise BulletinError("Seul un numéro publié peut être envoyé.")
    waiting = bulletin_deliveries(bulletin).filter(status__in=UNSERVED).count()
    if waiting:
        deliveries_requeue(deliveries=bulletin_deliveries(bulletin))
        pk = bulletin.pk
        transaction.on_commit(lambda: send_bulletin_task.enqueue(bulletin_id=pk))
    return waiting


def bulletin_correct(*, bulletin: Bulletin, by: User | None = None, note: str) -> Bulletin:
    """Publish the edited texts of a published number as a new, dated revision."""
    note = note.strip()
    if bulletin.status != BulletinStatus.PUBLISHED:
        raise BulletinError("Seul un numéro publié peut être corrigé.")
    if not note:
        raise BulletinError("Indiquez le motif de la correction : il est affiché aux lecteurs.")
    with transaction.atomic():
        current = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        _freeze(current, by=by, note=note)
        _bump(current)
    bulletin.snapshot, bulletin.revision = current.snapshot, current.revision
    bulletin.version = current.version
    return bulletin


def bulletin_record_past(
    *,
    series: BulletinSeries,
    number: int,
    date: date,
    initiatives,
    introduction: str = "",
    closing: str = "",
    calls_to_action: str = "",
    by: User | None = None,
) -> Bulletin:
    """Record a number published before the platform (imports), with the initiatives it relayed.

    Its initiatives count as relayed in the series; the number must be free.
    """
    with transaction.atomic():
        BulletinSeries.objects.select_for_update().get(pk=series.pk)
        if Bulletin.objects.filter(
            series=series, number=number, status=BulletinStatus.PUBLISHED
        ).exists():
            raise BulletinError(f"Le n°{number} existe déjà dans la série « {series.title} ».")
        bulletin = Bulletin.objects.create(
            series=series,
            number=number,
            issue_date=date,
            introduction=introduction,
            closing=closing,
            calls_to_action=calls_to_action,
            is_past_record=True,
            created_by=by,
        )
        seen = set()
        items = []
        for initiative in initiatives:
            if initiative.pk in seen:
                continue
            seen.add(initiative.pk)
            items.append(_item_for(bulletin=bulletin, initiative=initiative, position=len(items)))
        BulletinItem.objects.bulk_create(items)
        _freeze(bulletin, by=by)
    return bulletin


# A new crisis: campaign, themes and (optionally) its bulletin series in one step.


class CampaignError(ValidationError):
    """A refusal of the "Nouvelle crise" screen, keyed by the field it concerns."""


@dataclass
class SeriesDraft:
    title: str
    department: Department
    authority: str
    place: str
    first_number: int = 1


def _unique_slug(base: str, taken: set[str], max_length: int) -> str:
    base = (slugify(base) or "theme")[:max_length].strip("-")
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug, n = base[: max_length - len(suffix)] + suffix, n + 1
    taken.add(slug)
    return slug


def campaign_name_taken(name: str) -> bool:
    return Campaign.objects.filter(name__iexact=" ".join(name.split())).exists()


def campaign_create(
    *,
    name: str,
    departments,
    themes_text: str,
    series: SeriesDraft | None = None,
    close_previous: bool = False,
    by: User | None = None,
) -> tuple[Campaign, BulletinSeries | None]:
    """The campaign, its themes (slugs and positions made here) and its series, all or nothing.

    ``close_previous`` ends the campaigns in progress (an end date of today unless they
    had one).
    """
    name = " ".join(name.split())
    themes, _notes = parse_theme_lines(themes_text)
    with transaction.atomic():
        if campaign_name_taken(name):
            raise CampaignError(
                {"name": "Une campagne porte déjà ce nom : choisissez-en un autre."}
            )
        if close_previous:
            running = Campaign.objects.filter(is_active=True)
            running.filter(end_date__isnull=True).update(end_date=timezone.localdate())
            running.update(is_active=False)
        campaign_slugs = set(Campaign.objects.values_list("slug", flat=True))
        campaign = Campaign.objects.create(
            name=name,
            slug=_unique_slug(name, campaign_slugs, 60),
            start_date=timezone.localdate(),
            is_active=True,
        )
        campaign.departments.set(departments)
        slugs: set[str] = set()
        for position, line in enumerate(themes):
            parent = Theme.objects.create(
                campaign=campaign,
                name=line.name,
                slug=_unique_slug(line.name, slugs, 80),
                position=position,
            )
            Theme.objects.bulk_create(
                [
                    Theme(
                        campaign=campaign,
                        parent=parent,
                        name=child,
                        slug=_unique_slug(child, slugs, 80),
                        position=i,
                    )
                    for i, child in enumerate(line.children)
                ]
            )
        created_series = None
        if series is not None:
            series_slugs = set(BulletinSeries.objects.values_list("slug", flat=True))
            created_series = BulletinSeries.objects.create(
                slug=_unique_slug(series.title, series_slugs, 80),
                title=" ".join(series.title.split()),
                department=series.department,
                campaign=campaign,
                authority=series.authority.strip(),
                place=series.place.strip(),
                first_number=series.first_number,
            )
    return campaign, created_series
