from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.cache import never_cache

from . import views, views_proconnect
from .forms import DsfrAuthenticationForm, DsfrPasswordResetForm, DsfrSetPasswordForm

app_name = "accounts"

urlpatterns = [
    path(
        "connexion/",
        views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=DsfrAuthenticationForm,
            extra_context={"title": "Connexion"},
        ),
        name="login",
    ),
    # POST only; ends the ProConnect session too when the user signed in with it.
    path("deconnexion/", views_proconnect.logout, name="logout"),
    # ProConnect: the registered redirect URIs are .../proconnect/retour/ (sign-in) and
    # .../proconnect/deconnecte/ (post-logout); see README, "Connexion ProConnect".
    path(
        "proconnect/connexion/",
        never_cache(views_proconnect.ProConnectLoginView.as_view()),
        name="proconnect_login",
    ),
    path(
        "proconnect/retour/",
        never_cache(views_proconnect.ProConnectCallbackView.as_view()),
        name="proconnect_callback",
    ),
    path(
        "proconnect/deconnecte/",
        never_cache(views_proconnect.logged_out),
        name="proconnect_logged_out",
    ),
    path(
        "mot-de-passe/",
        views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=DsfrPasswordResetForm,
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_context={"title": "Mot de passe oublié"},
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_done.html",
            extra_context={"title": "Message envoyé"},
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=DsfrSetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
            extra_context={"title": "Nouveau mot de passe"},
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html",
            extra_context={"title": "Mot de passe modifié"},
        ),
        name="password_reset_complete",
    ),
    # A token page: never kept by a browser or a proxy.
    path("invitation/<str:token>/", never_cache(views.accept_invitation), name="invitation"),
]
