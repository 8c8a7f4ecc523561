from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("", views.status, name="status"),
    path("envois/<int:pk>/renvoyer/", views.resend, name="resend"),
]
