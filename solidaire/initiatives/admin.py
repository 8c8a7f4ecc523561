from django.contrib import admin

from .models import Campaign, Contact, Initiative, Place, Quantity, Report, Theme, Transition
from .place_counts import place_codes_fill
from .search import initiative_reindex
from .visibility import initiatives_visibility_change


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 1
    fields = ["name", "slug", "parent", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "start_date", "end_date", "is_active"]
    list_filter = ["is_active"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["departments"]
    inlines = [ThemeInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "parent", "position"]
    list_filter = ["campaign"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # Two levels only: a sub-theme's parent is a top-level theme.
            kwargs["queryset"] = Theme.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0
    raw_id_fields = ["commune", "epci", "arrondissement", "department"]


class QuantityInline(admin.TabularInline):
    model = Quantity
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "by", "message", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    """Read-mostly: moderation happens at /gestion/, where the workflow is enforced."""

    list_display = ["title", "status", "owner_department", "source", "created_at", "published_at"]
    list_filter = ["status", "source", "campaign", "owner_department"]
    search_fields = ["title", "actor_name"]
    readonly_fields = ["status", "published_at", "archived_at", "submitter_token", "source"]
    exclude = ["search_document"]
    filter_horizontal = ["themes"]
    inlines = [PlaceInline, QuantityInline, ContactInline, TransitionInline]

    # The admin writes without the services, through the same hook: its cached pages are
    # replaced and its counts follow, as after a service's write.
    def save_model(self, request, obj, form, change):
        # Its pages as they were (campaign, places) before the row changes.
        with initiatives_visibility_change(ids=[obj.pk] if change else []):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The row, its themes and its places are saved: index once, after all of them.
        with initiatives_visibility_change(ids=[form.instance.pk]):
            super().save_related(request, form, formsets, change)
            place_codes_fill(places=form.instance.places.all())
        initiative_reindex(initiative=form.instance)

    def delete_model(self, request, obj):
        with initiatives_visibility_change(ids=[obj.pk]):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with initiatives_visibility_change(ids=list(queryset.values_list("pk", flat=True))):
            super().delete_queryset(request, queryset)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["initiative", "created_at", "resolved_at"]
    raw_id_fields = ["initiative"]
    readonly_fields = ["resolved_by"]
