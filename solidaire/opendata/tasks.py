"""Background work of the open data area (django-tasks)."""

from django_tasks import task

from .full_exports import exports_build_summary


@task()
def exports_build_task() -> str:
    """Regenerate the full export files (after a publication batch; also scheduled)."""
    return exports_build_summary()
