"""Who may call a staff view, and the objects they may touch (403 outside their scope)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Role


def require_role(*roles: str):
    """Allow users holding one of ``roles`` somewhere (admins always).

    Anonymous GETs go to the login page; anonymous writes are refused outright, so a
    forged POST never lands on a form that would replay it after login.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                if request.method in ("GET", "HEAD"):
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            if not any(user.has_role(role) for role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def moderated_department_codes(user) -> set[str] | None:
    """Départements whose initiatives ``user`` moderates; None means all (admins)."""
    if user.is_superuser:
        return None
    return user.department_codes(Role.MODERATOR)


def get_initiative_for_moderation(request, pk):
    """The initiative ``pk`` if the user moderates its owning département, else 403."""
    from solidaire.initiatives.models import Initiative

    initiative = get_object_or_404(
        Initiative.objects.select_related("campaign", "owner_department"), pk=pk
    )
    if not request.user.can(Role.MODERATOR, initiative.owner_department_id):
        raise PermissionDenied
    return initiative
