from django.contrib import admin
from django.utils.html import format_html_join

from .models import DatagouvDataset, ExportFile


@admin.register(ExportFile)
class ExportFileAdmin(admin.ModelAdmin):
    """Read-only: the job writes the files; staff read here what data·inclusion's schema
    refused, by initiative."""

    list_display = ("fmt", "generated_at", "rows", "size", "refused")
    readonly_fields = ("refusals",)
    exclude = ("problems",)

    @admin.display(description="refusés par le schéma")
    def refused(self, obj):
        return len(obj.problems)

    @admin.display(description="enregistrements refusés")
    def refusals(self, obj):
        if not obj.problems:
            return "Aucun"
        return format_html_join(
            "\n",
            "<p>Initiative n° {} « {} » : {}</p>",
            (
                (p["initiative"], p.get("title", ""), " ; ".join(p.get("errors", [])))
                for p in obj.problems
            ),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DatagouvDataset)
class DatagouvDatasetAdmin(admin.ModelAdmin):
    list_display = ("dataset", "api_url", "published_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
