from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django_ratelimit.exceptions import Ratelimited

from .forms import InvitationAcceptForm
from .models import Invitation, User
from .proconnect import local_passwords, proconnect_href, sign_in_options
from .services import invitation_accept
from .throttle import INVITATION, throttle_wait


def _throttled(response, form):
    """A form page refused by a throttle answers 429 with Retry-After, the form re-shown."""
    wait = throttle_wait(form) if form is not None else None
    if wait is not None:
        response.status_code = 429
        response["Retry-After"] = str(wait)
    return response


PASSWORDS_OFF = "La connexion par mot de passe est désactivée sur ce site : utilisez ProConnect."


class LoginView(auth_views.LoginView):
    def post(self, request, *args, **kwargs):
        if not local_passwords():
            messages.error(request, PASSWORDS_OFF)
            return redirect(request.get_full_path())
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {
            **context,
            **sign_in_options(),
            "proconnect_href": proconnect_href(next=context.get(self.redirect_field_name)),
        }

    def form_invalid(self, form):
        return _throttled(super().form_invalid(form), form)


def admin_login(request, extra_context=None):
    """/admin/login/ as the admin draws it (ThrottledAdminAuthenticationForm, set in
    admin.py), answering 429 when throttled like the staff login. Without local passwords,
    the staff login page (ProConnect) stands in for it."""
    if not local_passwords():
        return redirect(f"{resolve_url('accounts:login')}?{urlencode({'next': '/admin/'})}")
    response = admin.site.login(request, extra_context)
    context = getattr(response, "context_data", None) or {}
    return _throttled(response, context.get("form"))


class PasswordResetView(auth_views.PasswordResetView):
    def dispatch(self, request, *args, **kwargs):
        if not local_passwords():
            messages.error(request, PASSWORDS_OFF)
            return redirect("accounts:login")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        return _throttled(super().form_invalid(form), form)


def accept_invitation(request, token):
    # Invitation tokens are unguessable; the throttle stops anyone from trying many.
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is None:
        if INVITATION.wait_seconds(request, "") is not None:
            raise Ratelimited
        INVITATION.record(request, "")
        raise Http404("Invitation inconnue")
    if not invitation.is_usable:
        return render(
            request,
            "accounts/invitation_expired.html",
            {"title": "Invitation expirée"},
            status=410,
        )
    # SetPasswordForm needs a user for its similarity check; an unsaved one will do.
    candidate = User(username=invitation.email, email=invitation.email)
    options = sign_in_options()
    if request.method == "POST" and not options["local_passwords"]:
        messages.error(request, PASSWORDS_OFF)
        return redirect(request.get_full_path())
    form = InvitationAcceptForm(candidate, request.POST or None)
    if request.method == "POST":
        try:
            INVITATION.check(request, invitation.email)
        except ValidationError as error:
            form.is_valid()
            form.add_error(None, error)
        else:
            INVITATION.record(request, invitation.email)
            if form.is_valid():
                user = invitation_accept(
                    invitation=invitation, password=form.cleaned_data["new_password1"]
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, "Votre compte est prêt. Bienvenue !")
                return redirect("moderation:queue")
    response = render(
        request,
        "accounts/invitation.html",
        {
            "title": "Créer votre compte"
            if options["proconnect_enabled"]
            else "Créer votre mot de passe",
            "form": form,
            "invitation": invitation,
            # Accepted with ProConnect: the callback grants this invitation to the identity
            # ProConnect returns (services.proconnect_sign_in).
            "proconnect_href": proconnect_href(invitation=invitation.token),
            **options,
        },
    )
    return _throttled(response, form)
