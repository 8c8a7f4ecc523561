from django.urls import path

from . import views_freshness, views_submit

urlpatterns = [
    path("initiatives/proposer/", views_submit.propose, name="propose"),
    path("initiatives/proposer/merci/", views_submit.propose_done, name="propose_done"),
    path("initiatives/suivi/<str:token>/", views_submit.follow, name="follow"),
    path("initiatives/suivi/<str:token>/modifier/", views_submit.follow_edit, name="follow_edit"),
    path(
        "initiatives/suivi/<str:token>/retirer/",
        views_submit.follow_withdraw,
        name="follow_withdraw",
    ),
    path(
        "initiatives/suivi/<str:token>/renvoyer/",
        views_submit.follow_resubmit,
        name="follow_resubmit",
    ),
    path(
        "initiatives/verification/<str:token>/",
        views_freshness.freshness_answer,
        name="freshness_answer",
    ),
]
