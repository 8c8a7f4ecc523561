from django.contrib import admin

from .models import Delivery, JobRun


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is written by the senders; staff resend from /gestion/travaux/."""

    list_display = ("address", "kind", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("address", "message_id", "batch")
    exclude = ("body", "html")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("name", "last_started", "last_finished", "last_error")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
