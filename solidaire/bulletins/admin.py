from django.contrib import admin

from .models import BulletinSeries, PressContact


@admin.register(BulletinSeries)
class BulletinSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "department", "campaign", "first_number"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(PressContact)
class PressContactAdmin(admin.ModelAdmin):
    """The press and partner addresses that receive every number (subscribers stay private)."""

    list_display = ["name", "organisation", "email", "kind", "series", "is_active"]
    list_filter = ["series", "kind", "is_active"]
    search_fields = ["name", "organisation", "email"]
    exclude = ["unsubscribe_token"]
