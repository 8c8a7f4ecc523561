"""Tasks the worker tests enqueue in the database backend."""

from django_tasks import task

calls: list = []


@task()
def record(value: str) -> str:
    calls.append(value)
    return value
