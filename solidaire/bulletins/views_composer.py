"""The composer, for editors of the series' département (/gestion/bulletins/)."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from solidaire.accounts.access import check_scope, role_required
from solidaire.accounts.models import Role
from solidaire.initiatives.models import Initiative, Status
from solidaire.initiatives.selectors import InitiativeFilters, initiative_search
from solidaire.outbox.sending import delivery_counts

from .forms import BulletinTextsForm, CorrectionForm, InitiativeSearchForm, ItemForm, PublishForm
from .mailing import bulletin_deliveries, recipient_counts, render_email
from .models import Bulletin, BulletinItem, BulletinSeries, BulletinStatus
from .selectors import next_number, series_for_editor, unrelayed_initiatives
from .services import (
    BulletinConflict,
    BulletinError,
    bulletin_add_initiative,
    bulletin_correct,
    bulletin_create_draft,
    bulletin_delete_draft,
    bulletin_move_item,
    bulletin_publish,
    bulletin_remove_item,
    bulletin_resend_failures,
    bulletin_save,
)
from .snapshot import build_snapshot, ordered_items

SEARCH_LIMIT = 20
EMPTY_DRAFT_HINT = (
    "Aucune initiative publiée à relayer pour l'instant : vous pouvez rédiger "
    "l'introduction et les appels à l'action."
)


def section_themes(bulletin):
    return bulletin.series.campaign.themes.filter(parent__isnull=True).order_by("position", "name")


def _get_series_for_user(request, slug) -> BulletinSeries:
    series = get_object_or_404(BulletinSeries, slug=slug)
    check_scope(request.user, Role.EDITOR, series.department_id)
    return series


def _get_bulletin_for_user(request, pk) -> Bulletin:
    bulletin = get_object_or_404(Bulletin.objects.select_related("series__campaign"), pk=pk)
    check_scope(request.user, Role.EDITOR, bulletin.series.department_id)
    return bulletin


def _get_item_for_user(request, pk, item_pk) -> BulletinItem:
    bulletin = _get_bulletin_for_user(request, pk)
    item = get_object_or_404(BulletinItem, pk=item_pk, bulletin=bulletin)
    item.bulletin = bulletin
    return item


@role_required(Role.EDITOR)
def series_list(request):
    rows = []
    for series in series_for_editor(request.user):
        bulletins = list(series.bulletins.order_by("-number", "-pk")[:20])
        rows.append(
            {
                "series": series,
                "bulletins": bulletins,
                "next_number": next_number(series),
                "waiting": unrelayed_initiatives(series).count(),
            }
        )
    return render(
        request, "bulletins/composer/series_list.html", {"title": "Bulletins", "rows": rows}
    )


@role_required(Role.EDITOR)
@require_POST
def draft_create(request, slug):
    series = _get_series_for_user(request, slug)
    bulletin = bulletin_create_draft(series=series, by=request.user)
    count = bulletin.items.count()
    s = "s" if count > 1 else ""
    if count:
        messages.success(
            request,
            f"Brouillon du n°{bulletin.number} créé avec {count} initiative{s} "
            f"publiée{s} et pas encore relayée{s}.",
        )
    else:
        messages.success(request, f"Brouillon du n°{bulletin.number} créé. {EMPTY_DRAFT_HINT}")
    return redirect("bulletins:compose", pk=bulletin.pk)


def _items_with_forms(bulletin, themes, bound=None):
    bound = bound or {}
    rows = []
    for item in ordered_items(bulletin):
        form = bound.get(item.pk) or ItemForm(
            prefix=f"item-{item.pk}",
            themes=themes,
            initial={
                "paragraph": item.paragraph,
                "contact_label": item.contact_label,
                "contact_text": item.contact_text,
                "theme": item.theme_id,
            },
        )
        rows.append({"item": item, "form": form})
    return rows


def _compose_context(request, bulletin, *, texts_form=None, item_forms=None, correction_form=None):
    themes = section_themes(bulletin)
    search_form = InitiativeSearchForm(request.GET or None)
    results = []
    if bulletin.status == BulletinStatus.DRAFT and search_form.is_valid():
        q = search_form.cleaned_data["q"].strip()
        if q:
            qs = initiative_search(
                filters=InitiativeFilters(
                    q=q, campaign=bulletin.series.campaign.slug, status=Status.PUBLISHED
                )
            ).exclude(bulletin_items__bulletin=bulletin)
            results = list(qs[:SEARCH_LIMIT])
    return {
        "title": f"Composer le n°{bulletin.number}",
        "bulletin": bulletin,
        "series": bulletin.series,
        "texts_form": texts_form
        or BulletinTextsForm(
            initial={
                "issue_date": bulletin.issue_date,
                "introduction": bulletin.introduction,
                "closing": bulletin.closing,
                "calls_to_action": bulletin.calls_to_action,
                "version": bulletin.version,
            }
        ),
        "rows": _items_with_forms(bulletin, themes, bound=item_forms),
        "search_form": search_form,
        "results": results,
        "searched": bool(search_form.is_bound and search_form.data.get("q", "").strip()),
        "correction_form": correction_form or CorrectionForm(),
        "counts": recipient_counts(bulletin),
        "deliveries": (
            delivery_counts(bulletin_deliveries(bulletin)) if bulletin.is_published else None
        ),
    }


def _compose_again(request, bulletin, *, status=400, **forms):
    """The composer with a refused form shown with its errors."""
    context = _compose_context(request, bulletin, **forms)
    return render(request, "bulletins/composer/compose.html", context, status=status)


def _shown(value) -> str:
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return value or "(vide)"


def _conflict(request, texts, items, exc: BulletinConflict):
    """Someone saved meanwhile: keep this editor's input, show both versions side by side.

    The form now carries the saved version, so saving again deliberately wins.
    """
    current = exc.current
    mine = texts.cleaned_data
    differences = [
        {"label": texts.fields[name].label, "mine": _shown(mine[name]), "theirs": _shown(theirs)}
        for name in ("issue_date", "introduction", "closing", "calls_to_action")
        if mine[name] != (theirs := getattr(current, name))
    ]
    saved = {item.pk: item for item in current.items.select_related("initiative")}
    for pk, form in items.items():
        item = saved.get(pk)
        if item is None:
            differences.append(
                {
                    "label": "Paragraphe d'une initiative retirée du numéro",
                    "mine": form.cleaned_data["paragraph"],
                    "theirs": "(retirée du numéro)",
                }
            )
            continue
        title = item.initiative.title if item.initiative else "Initiative supprimée"
        for name in ("paragraph", "contact_text"):
            if form.cleaned_data[name] != getattr(item, name):
                differences.append(
                    {
                        "label": f"{form.fields[name].label} de « {title} »",
                        "mine": _shown(form.cleaned_data[name]),
                        "theirs": _shown(getattr(item, name)),
                    }
                )
    data = request.POST.copy()
    data["version"] = str(current.version)
    themes = section_themes(current)
    forms = {pk: ItemForm(data, prefix=f"item-{pk}", themes=themes) for pk in items if pk in saved}
    context = _compose_context(
        request, current, texts_form=BulletinTextsForm(data), item_forms=forms
    )
    context["conflict"] = {"message": exc.messages[0], "differences": differences}
    return render(request, "bulletins/composer/compose.html", context, status=409)


def _bound_screen(request, bulletin):
    """The texts form and the paragraph forms posted with any action of the composer."""
    themes = section_themes(bulletin)
    texts = BulletinTextsForm(request.POST)
    items = {
        pk: ItemForm(request.POST, prefix=f"item-{pk}", themes=themes)
        for pk in bulletin.items.values_list("pk", flat=True)
        if f"item-{pk}-paragraph" in request.POST
    }
    return texts, items


def _save_screen(request, bulletin):
    """Save the texts and paragraphs on screen before any action of the composer.

    Returns the page to show instead when they are refused (errors or a stale version),
    the input kept and the action not done; None once they are saved.
    """
    texts, items = _bound_screen(request, bulletin)
    if not all([texts.is_valid(), *[form.is_valid() for form in items.values()]]):
        return _compose_again(request, bulletin, texts_form=texts, item_forms=items)
    data = dict(texts.cleaned_data)
    version = data.pop("version")
    try:
        bulletin_save(
            bulletin=bulletin,
            version=version,
            texts=data,
            items={pk: form.cleaned_data for pk, form in items.items()},
        )
    except BulletinConflict as exc:
        return _conflict(request, texts, items, exc)
    return None


@role_required(Role.EDITOR)
def compose(request, pk):
    bulletin = _get_bulletin_for_user(request, pk)
    return render(request, "bulletins/composer/compose.html", _compose_context(request, bulletin))


NEXT_STEPS = {"preview": "bulletins:preview", "publish": "bulletins:publish"}


@role_required(Role.EDITOR)
@require_POST
def texts_save(request, pk):
    bulletin = _get_bulletin_for_user(request, pk)
    if refused := _save_screen(request, bulletin):
        return refused
    then = request.POST.get("then", "")
    if then in NEXT_STEPS:
        return redirect(NEXT_STEPS[then], pk=bulletin.pk)
    messages.success(request, "Modifications enregistrées.")
    return redirect("bulletins:compose", pk=bulletin.pk)


@role_required(Role.EDITOR)
@require_POST
def item_save(request, pk, item_pk):
    item = _get_item_for_user(request, pk, item_pk)
    if refused := _save_screen(request, item.bulletin):
        return refused
    messages.success(request, "Modifications enregistrées.")
    return redirect(f"{item.bulletin.get_compose_url()}#item-{item.pk}")


def _refuse(request, bulletin, exc: BulletinError):
    for message in exc.messages:
        messages.error(request, message)
    return redirect("bulletins:compose", pk=bulletin.pk)


@role_required(Role.EDITOR)
@require_POST
def item_move(request, pk, item_pk, direction):
    if direction not in ("up", "down"):
        raise Http404
    item = _get_item_for_user(request, pk, item_pk)
    if refused := _save_screen(request, item.bulletin):
        return refused
    try:
        bulletin_move_item(item=item, direction=direction)
    except BulletinError as exc:
        return _refuse(request, item.bulletin, exc)
    return redirect(f"{item.bulletin.get_compose_url()}#item-{item.pk}")


@role_required(Role.EDITOR)
@require_POST
def item_remove(request, pk, item_pk):
    item = _get_item_for_user(request, pk, item_pk)
    if refused := _save_screen(request, item.bulletin):
        return refused
    try:
        bulletin_remove_item(item=item)
    except BulletinError as exc:
        return _refuse(request, item.bulletin, exc)
    messages.success(request, "Initiative retirée du numéro.")
    return redirect("bulletins:compose", pk=pk)


@role_required(Role.EDITOR)
@require_POST
def item_add(request, pk):
    bulletin = _get_bulletin_for_user(request, pk)
    raw = request.POST.get("initiative", "")
    initiative = get_object_or_404(Initiative, pk=int(raw) if raw.isdigit() else 0)
    if refused := _save_screen(request, bulletin):
        return refused
    try:
        item = bulletin_add_initiative(bulletin=bulletin, initiative=initiative)
    except BulletinError as exc:
        return _refuse(request, bulletin, exc)
    messages.success(request, f"« {initiative.title} » ajoutée au numéro.")
    return redirect(f"{bulletin.get_compose_url()}#item-{item.pk}")


@role_required(Role.EDITOR)
def preview(request, pk):
    bulletin = _get_bulletin_for_user(request, pk)
    context = {
        "title": f"Aperçu du n°{bulletin.number}",
        "bulletin": bulletin,
        "s": build_snapshot(bulletin),
    }
    return render(request, "bulletins/composer/preview.html", context)


# The e-mail's preview (an iframe's srcdoc, under this page's policy) keeps the inline
# styles mail clients need; scripts stay as strict as everywhere.
@csp_update({"style-src": [UNSAFE_INLINE]})
def _confirmation(request, bulletin):
    """The step before publication: who will receive what."""
    email = render_email(bulletin, build_snapshot(bulletin))
    context = {
        "title": f"Publier le n°{bulletin.number}",
        "bulletin": bulletin,
        "series": bulletin.series,
        "counts": recipient_counts(bulletin),
        "email": email,
        "form": PublishForm(initial={"version": bulletin.version}),
    }
    return render(request, "bulletins/composer/publish_confirm.html", context)


def _publish_confirmed(request, bulletin):
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.warning(request, "Choisissez d'envoyer ou non le numéro par e-mail.")
        return redirect("bulletins:publish", pk=bulletin.pk)
    send = form.cleaned_data["send"] == "1"
    try:
        bulletin_publish(
            bulletin=bulletin, by=request.user, send=send, version=form.cleaned_data["version"]
        )
    except BulletinError as exc:
        return _refuse(request, bulletin, exc)
    if send:
        count = bulletin_deliveries(bulletin).count()
        done = (
            f"l'envoi par e-mail à {count} adresse{'s' if count > 1 else ''} est lancé "
            "(suivi sur la page du composeur)."
        )
    else:
        done = "aucun e-mail n'a été envoyé."
    messages.success(
        request, f"Le n°{bulletin.number} est publié : page web, PDF et flux sont à jour ; {done}"
    )
    return redirect(bulletin.get_absolute_url())


@role_required(Role.EDITOR)
def publish(request, pk):
    """GET: the confirmation step. POST: its answer, or a published number's correction.

    Only a POST from the confirmation step (its "send" choice and version) publishes; a
    number already published is never published or sent again from here.
    """
    bulletin = _get_bulletin_for_user(request, pk)
    if request.method != "POST":
        if bulletin.is_published:
            messages.info(request, f"Le n°{bulletin.number} est déjà publié : rien n'a été envoyé.")
            return redirect("bulletins:compose", pk=bulletin.pk)
        return _confirmation(request, bulletin)
    if "send" in request.POST:
        return _publish_confirmed(request, bulletin)
    if not bulletin.is_published:
        messages.warning(request, "Vérifiez les destinataires avant de publier.")
        return redirect("bulletins:publish", pk=bulletin.pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        texts, items = _bound_screen(request, bulletin)
        return _compose_again(
            request, bulletin, correction_form=form, texts_form=texts, item_forms=items
        )
    if refused := _save_screen(request, bulletin):
        return refused
    try:
        bulletin_correct(bulletin=bulletin, by=request.user, note=form.cleaned_data["note"])
    except BulletinError as exc:
        return _refuse(request, bulletin, exc)
    messages.success(request, "Correction publiée : elle est datée sur la page du numéro.")
    return redirect(bulletin.get_absolute_url())


@role_required(Role.EDITOR)
@require_POST
def resend(request, pk):
    bulletin = _get_bulletin_for_user(request, pk)
    try:
        waiting = bulletin_resend_failures(bulletin=bulletin)
    except BulletinError as exc:
        return _refuse(request, bulletin, exc)
    if waiting:
        s = "s" if waiting > 1 else ""
        messages.success(request, f"Renvoi lancé à {waiting} adresse{s} pas encore servie{s}.")
    else:
        messages.info(request, "Toutes les adresses ont reçu ce numéro : rien à renvoyer.")
    return redirect("bulletins:compose", pk=bulletin.pk)


@role_required(Role.EDITOR)
@require_POST
def draft_delete(request, pk):
    bulletin = _get_bulletin_for_user(request, pk)
    try:
        bulletin_delete_draft(bulletin=bulletin)
    except BulletinError as exc:
        return _refuse(request, bulletin, exc)
    messages.success(request, "Brouillon supprimé.")
    return redirect("bulletins:composer")
