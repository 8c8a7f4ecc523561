from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "solidaire.moderation"
    label = "moderation"
    verbose_name = "Modération"
