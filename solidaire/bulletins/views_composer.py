"""The composer, for editors of the series' département (/gestion/bulletins/)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from solidaire.accounts.access import check_scope, role_required
from solidaire.accounts.models import Role
from solidaire.initiatives.models import Initiative, Status
from solidaire.initiatives.selectors import InitiativeFilters, initiative_search

from .forms import BulletinTextsForm, CorrectionForm, InitiativeSearchForm, ItemForm
from .mailing import recipients
from .models import Bulletin, BulletinItem, BulletinSeries, BulletinStatus
from .selectors import next_number, series_for_editor, unrelayed_initiatives
from .services import (
    BulletinError,
    bulletin_add_initiative,
    bulletin_correct,
    bulletin_create_draft,
    bulletin_delete_draft,
    bulletin_item_update,
    bulletin_move_item,
    bulletin_publish,
    bulletin_remove_item,
    bulletin_update_texts,
)
from .snapshot import build_snapshot, ordered_items

SEARCH_LIMIT = 20


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
    messages.success(
        request,
        f"Brouillon du n°{bulletin.number} créé avec {count} initiative{s} "
        f"publiée{s} et pas encore relayée{s}.",
    )
    return redirect("bulletins:compose", pk=bulletin.pk)


def _items_with_forms(bulletin, themes, bound=None):
    rows = []
    for item in ordered_items(bulletin):
        form = (
            bound
            if bound is not None and bound.item_pk == item.pk
            else ItemForm(
                prefix=f"item-{item.pk}",
                themes=themes,
                initial={
                    "paragraph": item.paragraph,
                    "contact_label": item.contact_label,
                    "contact_text": item.contact_text,
                    "theme": item.theme_id,
                },
            )
        )
        rows.append({"item": item, "form": form})
    return rows


def _compose_context(request, bulletin, *, texts_form=None, item_form=None, correction_form=None):
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
            }
        ),
        "rows": _items_with_forms(bulletin, themes, bound=item_form),
        "search_form": search_form,
        "results": results,
        "searched": bool(search_form.is_bound and search_form.data.get("q", "").strip()),
        "correction_form": correction_form or CorrectionForm(),
        "recipient_count": len(recipients(bulletin)),
    }


def _compose_again(request, bulletin, **forms):
    """The composer with a refused form shown with its errors."""
    context = _compose_context(request, bulletin, **forms)
    return render(request, "bulletins/composer/compose.html", context, status=400)


@role_required(Role.EDITOR)
def compose(request, pk):
    bulletin = _get_bulletin_for_user(request, pk)
    return render(request, "bulletins/composer/compose.html", _compose_context(request, bulletin))


@role_required(Role.EDITOR)
@require_POST
def texts_save(request, pk):
    bulletin = _get_bulletin_for_user(request, pk)
    form = BulletinTextsForm(request.POST)
    if not form.is_valid():
        return _compose_again(request, bulletin, texts_form=form)
    bulletin_update_texts(bulletin=bulletin, **form.cleaned_data)
    messages.success(request, "Textes enregistrés.")
    return redirect("bulletins:compose", pk=bulletin.pk)


@role_required(Role.EDITOR)
@require_POST
def item_save(request, pk, item_pk):
    item = _get_item_for_user(request, pk, item_pk)
    themes = section_themes(item.bulletin)
    form = ItemForm(request.POST, prefix=f"item-{item.pk}", themes=themes)
    form.item_pk = item.pk
    if not form.is_valid():
        return _compose_again(request, item.bulletin, item_form=form)
    bulletin_item_update(item=item, **form.cleaned_data)
    messages.success(request, "Paragraphe enregistré.")
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
    try:
        bulletin_move_item(item=item, direction=direction)
    except BulletinError as exc:
        return _refuse(request, item.bulletin, exc)
    return redirect(f"{item.bulletin.get_compose_url()}#item-{item.pk}")


@role_required(Role.EDITOR)
@require_POST
def item_remove(request, pk, item_pk):
    item = _get_item_for_user(request, pk, item_pk)
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


@role_required(Role.EDITOR)
@require_POST
def publish(request, pk):
    bulletin = _get_bulletin_for_user(request, pk)
    try:
        if bulletin.status == BulletinStatus.PUBLISHED:
            form = CorrectionForm(request.POST)
            if not form.is_valid():
                return _compose_again(request, bulletin, correction_form=form)
            bulletin_correct(bulletin=bulletin, by=request.user, note=form.cleaned_data["note"])
            messages.success(request, "Correction publiée : elle est datée sur la page du numéro.")
        else:
            bulletin_publish(bulletin=bulletin, by=request.user)
            messages.success(
                request,
                f"Le n°{bulletin.number} est publié : page web, PDF et flux sont à jour, "
                "l'envoi par e-mail aux abonnés est lancé.",
            )
    except BulletinError as exc:
        return _refuse(request, bulletin, exc)
    return redirect(bulletin.get_absolute_url())


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
