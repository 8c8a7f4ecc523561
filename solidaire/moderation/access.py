"""Who may open a moderation page: shared by the moderation views."""

from django.shortcuts import get_object_or_404

from solidaire.accounts.access import check_scope
from solidaire.accounts.models import Role
from solidaire.initiatives.models import Initiative


def get_initiative_for_user(request, pk) -> Initiative:
    """The initiative ``pk`` if the user moderates its owning département, else 403."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("campaign", "owner_department"), pk=pk
    )
    check_scope(request.user, Role.MODERATOR, initiative.owner_department_id)
    return initiative
