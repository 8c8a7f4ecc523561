import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from solidaire.initiatives.models import Initiative, Status
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db


def test_archive_ended_command_archives_and_reports():
    ended = make_initiative(end_date=timezone.localdate() - datetime.timedelta(days=3))
    out = io.StringIO()
    call_command("archive_ended", stdout=out)
    assert "1 initiative(s) archivée(s)" in out.getvalue()
    ended.refresh_from_db()
    assert ended.status == Status.ARCHIVED


def test_archive_ended_can_go_through_the_task_queue():
    ended = make_initiative(end_date=timezone.localdate() - datetime.timedelta(days=3))
    call_command("archive_ended", "--enqueue", stdout=io.StringIO())
    ended.refresh_from_db()
    assert ended.status == Status.ARCHIVED  # the test settings run tasks immediately


def test_purge_personal_data_command():
    initiative = make_initiative(submitter_email="x@exemple.test", submitter_name="X")
    out = io.StringIO()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    call_command("purge_personal_data", "--before", tomorrow.isoformat(), stdout=out)
    assert "1 initiative(s)" in out.getvalue()
    initiative.refresh_from_db()
    assert (initiative.submitter_email, initiative.submitter_name) == ("", "")
    assert Initiative.objects.filter(pk=initiative.pk, status=Status.PUBLISHED).exists()


def test_purge_personal_data_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("purge_personal_data", "--before", "24/04/2020")
