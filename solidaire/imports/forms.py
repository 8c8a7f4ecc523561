from django import forms

from solidaire.bulletins.models import BulletinSeries
from solidaire.forms import ControlCharactersMixin
from solidaire.initiatives.models import Campaign
from solidaire.territory.forms import CommunesField
from solidaire.territory.models import Department

MAX_PASTE = 200_000


class UploadForm(ControlCharactersMixin, forms.Form):
    file = forms.FileField(
        label="Fichier (.txt, .md, .html, .pdf, .docx, .odt ou .eml)",
        required=False,
        help_text=(
            "Bulletin, communiqué, document Word ou OpenDocument, ou courriel enregistré "
            "(.eml : son message et chacune de ses pièces jointes)."
        ),
    )
    text = forms.CharField(
        label="Ou collez le texte",
        required=False,
        max_length=MAX_PASTE,
        widget=forms.Textarea(attrs={"rows": 8, "class": "fr-input"}),
        error_messages={
            "max_length": "Le texte est trop long (%(limit_value)d caractères au plus)."
        },
    )
    department = forms.ModelChoiceField(
        label="Département",
        queryset=Department.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choisissez un de vos départements."},
    )
    campaign = forms.ModelChoiceField(
        label="Campagne",
        queryset=Campaign.objects.filter(is_active=True),
        empty_label=None,
        error_messages={"required": "Choisissez la campagne des initiatives."},
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Department.objects.all()
        if departments is not None:
            queryset = queryset.filter(code__in=departments)
        self.fields["department"].queryset = queryset
        self.fields["text"].widget.attrs["maxlength"] = MAX_PASTE

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError("Déposez un fichier ou collez un texte.")
        if data.get("file") and (data.get("text") or "").strip():
            raise forms.ValidationError("Déposez un fichier ou collez un texte, pas les deux.")
        return data


class InitiativeChoiceForm(ControlCharactersMixin, forms.Form):
    """One initiative found: keep it or not, and its communes as corrected."""

    include = forms.BooleanField(label="Créer cette initiative", required=False, initial=True)
    title = forms.CharField(
        label="Titre",
        max_length=200,
        required=False,
        help_text="Ce qui est fait, où. Vide : le titre proposé.",
        error_messages={"max_length": "Le titre fait au plus 200 caractères."},
    )
    actor = forms.CharField(
        label="Porteur",
        max_length=200,
        required=False,
        error_messages={"max_length": "Le porteur fait au plus 200 caractères."},
    )
    keep_names = forms.BooleanField(
        label="Garder les noms des personnes citées dans la description",
        required=False,
    )
    communes = CommunesField(label="Communes", required=False, max_communes=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "actor"):
            self.fields[name].widget.attrs["class"] = "fr-input"


class ImportOptionsForm(ControlCharactersMixin, forms.Form):
    """The document as a whole: its series (as ``import_bulletin --series``), and whether to
    import it despite the duplicates found."""

    series = forms.ModelChoiceField(
        label="Série de bulletins",
        queryset=BulletinSeries.objects.none(),
        required=False,
        empty_label="Aucune (ne pas enregistrer ce numéro)",
        help_text=(
            "Avec un numéro lu dans l'en-tête, le document est aussi enregistré comme ce "
            "numéro passé de la série, et ses initiatives comptent comme déjà relayées."
        ),
        error_messages={"invalid_choice": "Choisissez une série de la liste."},
    )
    force = forms.BooleanField(
        label="Créer quand même les initiatives (ce ne sont pas des doublons)",
        required=False,
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = BulletinSeries.objects.order_by("title")
        if departments is not None:
            queryset = queryset.filter(department_id__in=departments)
        self.fields["series"].queryset = queryset
        self.fields["series"].widget.attrs["class"] = "fr-select"
