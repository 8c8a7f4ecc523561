"""django-tasks-db's admin in French: its app and model names ("Task Results") are English.

The model's names are set on ``_meta`` only, not on ``original_attrs``, so the migration
autodetector sees no change in a third-party app.
"""

from django_tasks_db.apps import TasksAppConfig


class TasksDbConfig(TasksAppConfig):
    verbose_name = "Tâches de fond"

    def ready(self) -> None:
        super().ready()
        meta = self.get_model("DBTaskResult")._meta
        meta.verbose_name = "résultat de tâche"
        meta.verbose_name_plural = "résultats de tâches"
