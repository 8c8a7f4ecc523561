"""The "Nouvelle crise" screen (/gestion/crises/nouvelle/), for administrators.

It sits in bulletins because one step creates the campaign (initiatives) and its series.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render

from solidaire.accounts.access import admin_required
from solidaire.initiatives.models import Campaign
from solidaire.lib.themes import parse_theme_lines
from solidaire.territory.models import Arrondissement, Department

from .forms import CrisisForm
from .services import CampaignError, campaign_create


def _home_department() -> Department | None:
    return Department.objects.filter(code=settings.HOME_DEPARTMENT).first()


def _issuing_place(department: Department | None) -> str:
    # The first arrondissement of a département is the prefecture's (621: Arras).
    if department is None:
        return ""
    first = Arrondissement.objects.filter(department=department).order_by("code").first()
    return first.name if first else ""


def series_title(name: str, department: Department | None) -> str:
    """« Inondations : le Pas-de-Calais solidaire » (l' before a vowel)."""
    if department is None:
        return f"{name} : solidaires"
    article = "l'" if department.name[:1].lower() in "aeiouyéèâîô" else "le "
    return f"{name} : {article}{department.name} solidaire"


@admin_required
def crisis_create(request):
    running = list(Campaign.objects.filter(is_active=True).order_by("name"))
    home = _home_department()
    if request.method == "POST":
        form = CrisisForm(request.POST, running=running)
        if form.is_valid():
            data = form.cleaned_data
            series = form.series_draft()
            if series is not None and not series.title.strip():
                series.title = series_title(data["name"], series.department)
            try:
                campaign, created_series = campaign_create(
                    name=data["name"],
                    departments=data["departments"],
                    themes_text=data["themes"],
                    series=series,
                    close_previous=data.get("close_previous", False),
                    by=request.user,
                )
            except CampaignError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field, errors)
            else:
                themes, notes = parse_theme_lines(data["themes"])
                count = campaign.themes.count()
                s = "s" if count > 1 else ""
                text = f"Campagne « {campaign.name} » créée avec {count} thème{s}"
                if created_series is not None:
                    text += f" et la série « {created_series.title} »"
                messages.success(request, text + ".")
                for note in notes:
                    messages.info(request, note)
                if created_series is not None:
                    return redirect("bulletins:composer")
                return redirect("moderation:queue")
    else:
        form = CrisisForm(
            running=running,
            initial={
                "departments": [home] if home else [],
                "with_series": True,
                "series_department": home,
                "series_authority": settings.PREFECTURE_NAME,
                "series_place": _issuing_place(home),
                "series_first_number": 1,
                "close_previous": False,
            },
        )
    return render(
        request,
        "bulletins/crisis/create.html",
        {"title": "Nouvelle crise", "form": form, "running": running},
        status=400 if request.method == "POST" else 200,
    )
