from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alertes/", views.alert_new, name="new"),
    path("alertes/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("alertes/supprimer/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alertes/gerer/<str:token>/", views.manage, name="manage"),
    path("alertes/gerer/<str:token>/tout-supprimer/", views.manage_delete_all, name="delete_all"),
]
