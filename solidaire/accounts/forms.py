import logging

from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from dsfr.forms import DsfrBaseForm

from solidaire.typography import french_message

logger = logging.getLogger(__name__)


class DsfrAuthenticationForm(DsfrBaseForm, AuthenticationForm):
    pass


class DsfrPasswordResetForm(DsfrBaseForm, PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Django's, with French typography (as every e-mail of the platform)."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            html = render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        try:
            french_message(message).send()
        except Exception:
            # As Django does: the page does not tell whether the address has an account.
            logger.exception("Failed to send password reset email to %s", context["user"].pk)


class DsfrSetPasswordForm(DsfrBaseForm, SetPasswordForm):
    pass


class InvitationAcceptForm(DsfrSetPasswordForm):
    """Choose a password (Django's validators, French messages)."""
