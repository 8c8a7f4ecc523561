from django.urls import path

from . import views, views_commune

app_name = "alerts"

urlpatterns = [
    path("alertes/", views.alert_new, name="new"),
    path("alertes/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("alertes/supprimer/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alertes/gerer/<str:token>/", views.manage, name="manage"),
    path("alertes/gerer/<str:token>/tout-supprimer/", views.manage_delete_all, name="delete_all"),
]

# A commune's sheet and embeddable block (the embed routes may be framed by any site).
urlpatterns += [
    path("communes/<code:insee>/fiche.pdf", views_commune.commune_sheet, name="commune_sheet"),
    path("communes/<code:insee>/encart/", views_commune.commune_embed, name="commune_embed"),
    path(
        "communes/<code:insee>/encart.html",
        views_commune.commune_embed_html,
        name="commune_embed_html",
    ),
    path(
        "communes/<code:insee>/encart.json",
        views_commune.commune_embed_json,
        name="commune_embed_json",
    ),
]
