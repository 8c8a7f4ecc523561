from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone

from .forms import ThrottledAdminAuthenticationForm
from .models import Invitation, Membership, User
from .services import INVITATION_VALIDITY, invitation_send

# /admin/login/ counts failed logins with the staff login (accounts.throttle.LOGIN).
admin.site.login_form = ThrottledAdminAuthenticationForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "memberships__role", "memberships__department"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("ProConnect", {"fields": ["proconnect_sub"]}),
    ]
    readonly_fields = ["proconnect_sub"]
    actions = ["proconnect_unlink"]

    @admin.action(description="Délier de ProConnect (relié de nouveau par son e-mail)")
    def proconnect_unlink(self, request, queryset):
        # A person who changed identity provider gets a new sub: unlinked, the account is
        # linked again by its e-mail at the next ProConnect sign-in.
        count = queryset.exclude(proconnect_sub=None).update(proconnect_sub=None)
        self.message_user(request, f"{count} compte(s) délié(s) de ProConnect.", messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "department"]
    list_filter = ["role", "department"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__email"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Saving a new invitation e-mails its link; the roles are granted on acceptance."""

    list_display = ["email", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    filter_horizontal = ["departments"]
    fields = ["email", "first_name", "last_name", "role", "departments", "expires_at"]
    actions = ["resend"]

    def get_changeform_initial_data(self, request):
        return {"expires_at": timezone.now() + INVITATION_VALIDITY}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.invited_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            invitation_send(invitation=form.instance)
            messages.info(request, f"Invitation envoyée à {form.instance.email}.")

    @admin.action(description="Renvoyer l'invitation")
    def resend(self, request, queryset):
        for invitation in queryset:
            invitation_send(invitation=invitation)
