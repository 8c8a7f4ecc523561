from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from solidaire.forms import DsfrBaseForm
from solidaire.outbox.sending import delivery_enqueue

from .throttle import LOGIN, PASSWORD_RESET


class ThrottledLoginMixin:
    """Failed logins counted per account and per address (LOGIN_*_RATE_LIMIT); once over
    the limit, the password is not even checked."""

    def clean(self):
        account = self.data.get("username", "")
        if self.request is not None:
            LOGIN.check(self.request, account)
        try:
            return super().clean()
        except ValidationError as error:
            if self.request is not None and getattr(error, "code", None) == "invalid_login":
                LOGIN.record(self.request, account)
            raise


class DsfrAuthenticationForm(ThrottledLoginMixin, DsfrBaseForm, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class DsfrPasswordResetForm(DsfrBaseForm, PasswordResetForm):
    """Reset requests counted per e-mail and per address (PASSWORD_RESET_RATE_LIMIT), so
    that the form neither floods a mailbox nor probes addresses."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email", "")
        if self.request is not None and email:
            PASSWORD_RESET.check(self.request, email)
            PASSWORD_RESET.record(self.request, email)
        return cleaned

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Django's message, written to the outbox ledger like every e-mail of the platform
        (retried through an SMTP outage, French typography)."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        html = ""
        if html_email_template_name is not None:
            html = render_to_string(html_email_template_name, context)
        delivery_enqueue(
            address=to_email,
            kind="password_reset",
            subject=subject,
            body=render_to_string(email_template_name, context),
            html=html,
        )


class DsfrSetPasswordForm(DsfrBaseForm, SetPasswordForm):
    pass


class InvitationAcceptForm(DsfrSetPasswordForm):
    """Choose a password (Django's validators, French messages)."""
