"""Who may call a staff view: the one decorator every staff view of every app carries.

Each app then fetches the objects a view touches with a private ``_get_…_for_user``
helper that raises 404 (no such object) or 403 (outside the user's départements).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Role


def _staff_view(view, *, allows, roles):
    """Wrap ``view``: anonymous GETs go to the login page, anonymous writes and users that
    ``allows`` refuses get 403. The roles are kept on the view (``required_roles``) so a
    test can check that every staff URL carries them."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            if request.method in ("GET", "HEAD"):
                return redirect_to_login(request.get_full_path())
            # A forged POST never lands on a form that would replay it after login.
            raise PermissionDenied
        if not allows(user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.required_roles = frozenset(roles)
    return wrapper


def role_required(*roles: str):
    """Allow users holding one of ``roles`` somewhere (admins always)."""

    def decorator(view):
        return _staff_view(
            view, allows=lambda user: any(user.has_role(role) for role in roles), roles=roles
        )

    return decorator


ADMIN = "admin"


def admin_required(view):
    """Superusers only (a "role" no membership grants), with role_required's refusals."""
    return _staff_view(view, allows=lambda user: user.is_superuser, roles={ADMIN})


def check_scope(user, role: str, department_code: str | None) -> None:
    """403 unless ``user`` holds ``role`` in the département (the object's owner)."""
    if not user.can(role, department_code):
        raise PermissionDenied


def moderated_department_codes(user) -> set[str] | None:
    """Départements whose initiatives ``user`` moderates; None means all (admins)."""
    if user.is_superuser:
        return None
    return user.department_codes(Role.MODERATOR)
