from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import get_object_or_404, redirect, render

from .forms import InvitationAcceptForm
from .models import Invitation, User
from .services import invitation_accept


def accept_invitation(request, token):
    invitation = get_object_or_404(Invitation, token=token)
    if not invitation.is_usable:
        return render(
            request,
            "accounts/invitation_expired.html",
            {"title": "Invitation expirée"},
            status=410,
        )
    # SetPasswordForm needs a user for its similarity check; an unsaved one will do.
    candidate = User(username=invitation.email, email=invitation.email)
    form = InvitationAcceptForm(candidate, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = invitation_accept(invitation=invitation, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Votre compte est prêt. Bienvenue !")
        return redirect("moderation:queue")
    return render(
        request,
        "accounts/invitation.html",
        {"title": "Créer votre mot de passe", "form": form, "invitation": invitation},
    )
