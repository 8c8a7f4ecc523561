from django.contrib import admin

from .models import Organisation, OrganisationInitiative, OrganisationInvitation, OrganisationMember


class MemberInline(admin.TabularInline):
    model = OrganisationMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "siret", "kind", "commune", "status", "trusted")
    list_filter = ("status", "kind", "trusted")
    search_fields = ("name", "siret")
    raw_id_fields = ("commune",)
    readonly_fields = ("siret", "decided_at", "decided_by", "trusted_at", "trusted_by")
    inlines = [MemberInline]


@admin.register(OrganisationInvitation)
class OrganisationInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "created_at", "accepted_at")
    search_fields = ("email",)
    raw_id_fields = ("organisation",)


@admin.register(OrganisationInitiative)
class OrganisationInitiativeAdmin(admin.ModelAdmin):
    list_display = ("initiative", "organisation", "linked_at")
    raw_id_fields = ("initiative", "organisation")
