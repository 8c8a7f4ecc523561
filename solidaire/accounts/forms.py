from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from solidaire.forms import DsfrBaseForm


class DsfrAuthenticationForm(DsfrBaseForm, AuthenticationForm):
    pass


class DsfrPasswordResetForm(DsfrBaseForm, PasswordResetForm):
    pass


class DsfrSetPasswordForm(DsfrBaseForm, SetPasswordForm):
    pass


class InvitationAcceptForm(DsfrSetPasswordForm):
    """Choose a password (Django's validators, French messages)."""
