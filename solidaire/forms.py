"""The form base of every form of the platform: control characters refused at the boundary.

A NUL byte reaching PostgreSQL is an error (500), other control characters are invisible
garbage: each field carrying one gets a French error and is not cleaned further, so no
field's lookup ever sees them. Text areas may hold TAB, LF and CR.
"""

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm as _DsfrBaseForm

from solidaire.lib.untrusted import describe_controls, forbidden_controls


def _refused(value, *, multiline: bool) -> list[str]:
    values = value if isinstance(value, list | tuple) else [value]
    found: list[str] = []
    for item in values:
        if isinstance(item, str):
            found += [c for c in forbidden_controls(item, multiline=multiline) if c not in found]
    return found


# The largest key a database integer holds: a bigger number typed in a choice of rows is
# no row, and SQLite would fail on it (OverflowError) instead of finding none.
MAX_KEY = 2**63 - 1


def _too_large_key(value) -> str | None:
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        text = str(item).strip() if isinstance(item, str | int) else ""
        if text.lstrip("-").isdigit() and abs(int(text)) > MAX_KEY:
            return text
    return None


def control_characters_error(chars: list[str]) -> ValidationError:
    return ValidationError(
        f"Ce champ contient un caractère invisible non autorisé ({describe_controls(chars)})\u00a0: "
        "retirez-le puis envoyez de nouveau le formulaire.",
        code="control_characters",
    )


class ControlCharactersMixin:
    """Refuses control characters before any field is cleaned (see the module)."""

    def _clean_fields(self):
        for name, bf in self._bound_items():
            field = bf.field
            if not field.disabled:
                chars = _refused(bf.data, multiline=isinstance(field.widget, forms.Textarea))
                if chars:
                    self.add_error(name, control_characters_error(chars))
                    continue
                number = (
                    _too_large_key(bf.data) if isinstance(field, forms.ModelChoiceField) else None
                )
                if number is not None:
                    self.add_error(
                        name,
                        ValidationError(
                            field.error_messages["invalid_choice"],
                            code="invalid_choice",
                            params={"value": number},
                        ),
                    )
                    continue
            try:
                self.cleaned_data[name] = field._clean_bound_field(bf)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as e:
                self.add_error(name, e)


class DsfrBaseForm(ControlCharactersMixin, _DsfrBaseForm):
    """django-dsfr's base form, with the control characters refused."""
