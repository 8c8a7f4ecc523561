from django.contrib import admin

from .models import Arrondissement, Commune, Department, Epci, Region


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["insee_code", "name", "postal_codes", "department", "epci", "population"]
    search_fields = ["insee_code", "name", "postal_codes"]
    list_filter = ["department"]
    list_select_related = ["department", "epci"]


admin.site.register([Region, Department, Arrondissement, Epci])
