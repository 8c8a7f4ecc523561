"""A frozen clock for tests of scheduled work: ``timezone.now()`` (and so ``auto_now``
fields) and the signatures' timestamps read it; ``advance`` moves it."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core import signing
from django.utils import timezone


class Clock:
    def __init__(self, start: datetime):
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta) -> datetime:
        self.current += timedelta(**delta)
        return self.current


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    monkeypatch.setattr(timezone, "now", frozen.now)
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: frozen.current.timestamp()))
    return frozen
