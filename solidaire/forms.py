"""The form base of every form of the platform: control characters refused at the boundary.

A NUL byte reaching PostgreSQL is an error (500), other control characters are invisible
garbage: each field carrying one gets a French error and is not cleaned further, so no
field's lookup ever sees them. Text areas may hold TAB, LF and CR.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from dsfr.forms import DsfrBaseForm as _DsfrBaseForm
from dsfr.forms import DsfrDjangoTemplates

from solidaire.lib.untrusted import describe_controls, forbidden_controls


def _refused(value, *, multiline: bool) -> list[str]:
    values = value if isinstance(value, list | tuple) else [value]
    found: list[str] = []
    for item in values:
        if isinstance(item, str):
            found += [c for c in forbidden_controls(item, multiline=multiline) if c not in found]
    return found


INTEGER_MAX = 2**63 - 1


def _out_of_range(value) -> str | None:
    """A typed key no 64-bit integer column holds ("99999999999999999999"), if any."""
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        text = item.strip() if isinstance(item, str) else ""
        if text.lstrip("-").isdigit() and abs(int(text)) > INTEGER_MAX:
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
                huge = _out_of_range(bf.data) if isinstance(field, forms.ModelChoiceField) else None
                if huge:
                    # No row has such a key; SQLite cannot even bind it (OverflowError).
                    self.add_error(name, field.error_messages["invalid_choice"] % {"value": huge})
                    continue
            try:
                self.cleaned_data[name] = field._clean_bound_field(bf)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as e:
                self.add_error(name, e)


# One renderer for every form. django-dsfr's base form names the renderer's class, so each
# form built its own renderer, hence its own template engine: every field template was read
# from disk and parsed again on every page (a third of the filter form's page). The shared
# instance keeps its engine, whose cached loader parses each template once per process.
DSFR_RENDERER = DsfrDjangoTemplates()


class DsfrBaseForm(ControlCharactersMixin, _DsfrBaseForm):
    """django-dsfr's base form, with the control characters refused."""

    @property
    def default_renderer(self):
        # django-dsfr's own choice (its templates unless FORM_RENDERER is set), shared.
        renderer = super().default_renderer
        return DSFR_RENDERER if renderer is DsfrDjangoTemplates else renderer


def _attrs_html(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html renders, without a template."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}")
        if value is not True:
            out.append(f'="{conditional_escape(_as_text(value))}"')
    return "".join(out)


def _as_text(value) -> str:
    # The template's |stringformat:'s', which keeps a safe string safe.
    text = "%s" % value  # noqa: UP031 (the filter's own formatting)
    return mark_safe(text) if isinstance(value, SafeData) else text


class FastSelect(forms.Select):
    """A select rendered in Python, byte for byte as Django's select.html and
    select_option.html render it: a template per option made the public filter form (about
    130 options) a third of its pages' rendering time."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != "django/forms/widgets/select.html" or (
            self.option_template_name != "django/forms/widgets/select_option.html"
        ):  # a subclass with its own templates renders them
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        out = [
            f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>'
        ]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                out.append(
                    f'\n  <option value="{conditional_escape(_as_text(option["value"]))}"'
                    f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}"
                    "</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")  # the renderer strips what a template ends with
        return mark_safe("".join(out))
