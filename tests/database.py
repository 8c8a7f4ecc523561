"""The test database: what transactional tests keep, and data shared by a module's tests."""

import copy
from contextlib import contextmanager

import pytest
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


def module_fixtures(build, doc: str):
    """The fixtures ``demo_rows``, the rows of ``build`` made once for the module
    (``module_data``), and ``demo``, a deep copy of them for each test (which may change
    its copy). A module or conftest binds them under those names:

        demo_rows, demo = module_fixtures(make_demo_set, "The demo set.")
    """

    @pytest.fixture(scope="module", name="demo_rows")
    def rows(django_db_setup, django_db_blocker):
        with module_data(django_db_blocker, build) as data:
            yield data

    # The rows are asked for first: they are committed before the test's transaction opens.
    @pytest.fixture(name="demo")
    def copied(demo_rows, db):
        return copy.deepcopy(demo_rows)

    rows.__doc__ = doc
    copied.__doc__ = f"{doc} A copy per test."
    return rows, copied
