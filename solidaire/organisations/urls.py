from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.home, name="home"),
    path("demande/", views.propose_details, name="propose_details"),
    path("initiatives/nouvelle/", views.propose, name="propose"),
    path("initiatives/<int:pk>/modifier/", views.edit, name="edit"),
    path("initiatives/<int:pk>/<slug:answer>/", views.confirm, name="confirm"),
    path("membres/inviter/", views.invite, name="invite"),
    path("membres/<int:pk>/accepter/", views.accept, name="accept"),
]
