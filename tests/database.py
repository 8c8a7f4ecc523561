"""The test database: what transactional tests keep, and data shared by a module's tests."""

from contextlib import contextmanager

from django.core.management import call_command
from django.db import connections


class KeepReferenceRouter:
    """Test-only router: Django's flush leaves the reference geography alone.

    Transactional tests (live_server, concurrency) end with a flush of every table whose
    model may be migrated; the 34,875 communes are loaded once per session and reloading
    them costs seconds. Content types and permissions are kept too, so that the flush's
    post_migrate has nothing to re-create.
    """

    KEPT_MODELS = {("contenttypes", "contenttype"), ("auth", "permission")}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == "territory" or (app_label, model_name) in self.KEPT_MODELS:
            return False
        return None


def flush_all_but_reference() -> None:
    """Empty every table but the reference geography's, as a transactional test ends."""
    for alias in connections:
        call_command("flush", verbosity=0, interactive=False, database=alias, reset_sequences=False)


@contextmanager
def module_data(django_db_blocker, build):
    """Rows built once and committed for a module (``setUpTestData``), then deleted.

    Each test still runs in its own transaction, rolled back above these rows; Python
    objects are shared, so tests must not change them in place.
    """
    try:
        with django_db_blocker.unblock():
            data = build()
        yield data
    finally:
        with django_db_blocker.unblock():
            flush_all_but_reference()
