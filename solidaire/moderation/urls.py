from django.urls import path

from . import views, views_volunteers

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("initiatives/nouvelle/", views.create, name="create"),
    path("initiatives/publier/", views.bulk_publish, name="bulk_publish"),
    path("a-verifier/", views.to_verify, name="to_verify"),
    path("a-verifier/<int:pk>/<slug:outcome>/", views.record_call, name="record_call"),
    path("initiatives/<int:pk>/", views.review, name="review"),
    path("initiatives/<int:pk>/effacer-donnees/", views.erase, name="erase"),
    path(
        "initiatives/<int:pk>/benevolat/nouveau/",
        views_volunteers.call_add,
        name="volunteer_call_add",
    ),
    path(
        "initiatives/<int:pk>/benevolat/<int:call_pk>/",
        views_volunteers.call_edit,
        name="volunteer_call_edit",
    ),
    path(
        "initiatives/<int:pk>/benevolat/<int:call_pk>/supprimer/",
        views_volunteers.call_delete,
        name="volunteer_call_delete",
    ),
    path("initiatives/<int:pk>/<slug:action>/", views.act, name="act"),
    path("donnees-personnelles/", views.erase_person, name="erase_person"),
    path("signalements/<int:pk>/traite/", views.resolve_report, name="resolve_report"),
]
