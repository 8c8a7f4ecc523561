from django.urls import path

from . import views_staff

app_name = "organisations_staff"

urlpatterns = [
    path("", views_staff.organisation_list, name="list"),
    path("<int:pk>/", views_staff.organisation_detail, name="detail"),
    path("<int:pk>/valider/", views_staff.organisation_approve_view, name="approve"),
    path("<int:pk>/refuser/", views_staff.organisation_refuse_view, name="refuse"),
    path("<int:pk>/confiance/", views_staff.organisation_trust, name="trust"),
    path("<int:pk>/rattacher/", views_staff.organisation_attach, name="attach"),
]
