"""The Django admin names every app and model of the project, and the tasks app, in French."""

import pytest
from django.apps import apps

ENGLISH = [
    "Task Result",
    "Tasks Database Backend",
    "Accounts",
    "Territory",
    "Moderation",
    "Opendata",
    "Imported",
    "Authentication and Authorization",
]
FRENCH = ["Tâches de fond", "Résultats de tâches", "Comptes et habilitations", "Territoire"]


@pytest.mark.django_db
def test_the_admin_index_shows_no_english_app_or_model_name(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/").content.decode()
    assert [word for word in ENGLISH if word in page] == []
    assert [word for word in FRENCH if word not in page] == []


def test_every_project_app_and_model_has_a_french_name():
    unnamed = []
    for config in apps.get_app_configs():
        if not config.name.startswith("solidaire"):
            continue
        if "verbose_name" not in type(config).__dict__:
            unnamed.append(config.label)
        for model in config.get_models():
            attrs = model._meta.original_attrs
            if "verbose_name" not in attrs:
                unnamed.append(model.__name__)
            elif not attrs["verbose_name"].endswith(("s", "x")) and (
                model._meta.verbose_name_plural == f"{model._meta.verbose_name}s"
                and " " in str(model._meta.verbose_name)
            ):
                # "contact public" + "s" is not French: compound names need their plural.
                unnamed.append(f"{model.__name__} (plural)")
    assert unnamed == []
