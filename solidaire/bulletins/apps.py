from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "solidaire.bulletins"
    label = "bulletins"
