"""The call for volunteers' invariants, held by the database itself."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from solidaire.initiatives.models import VolunteerCall
from tests.factories import make_initiative, make_volunteer_call

pytestmark = pytest.mark.django_db


def _insert(**fields):
    with transaction.atomic():
        VolunteerCall.objects.create(
            initiative=make_initiative(),
            title="Aide aux devoirs",
            description="Deux soirs par semaine.",
            **fields,
        )


def test_a_call_without_a_way_to_answer_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        _insert(answer_url="", answer_email="")
    _insert(answer_email="benevoles@exemple.fr")
    _insert(answer_url="https://exemple.fr/inscription")
    assert VolunteerCall.objects.count() == 2


def test_an_end_before_the_start_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        _insert(
            answer_url="https://exemple.fr/",
            start_date=date(2020, 5, 10),
            end_date=date(2020, 5, 1),
        )


def test_zero_volunteers_wanted_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        _insert(answer_url="https://exemple.fr/", volunteers_wanted=0)


def test_full_clean_says_each_refusal_in_french():
    call = VolunteerCall(
        initiative=make_initiative(),
        title="Aide aux devoirs",
        description="Deux soirs par semaine.",
        answer_email="pas une adresse",
        answer_url="javascript:alert(1)",
        jeveuxaider_url="https://jeveuxaider.gouv.fr.exemple.org/missions/1",
    )
    with pytest.raises(ValidationError) as error:
        call.full_clean()
    messages = error.value.message_dict
    assert "adresse e-mail valide" in messages["answer_email"][0]
    assert "adresse web complète" in messages["answer_url"][0]
    assert "JeVeuxAider" in messages["jeveuxaider_url"][0]
    call.answer_email = call.answer_url = call.jeveuxaider_url = ""
    with pytest.raises(ValidationError) as error:
        call.full_clean()
    assert "Indiquez comment répondre" in str(error.value)


def test_a_call_links_to_its_place_on_its_initiatives_page():
    call = make_volunteer_call(answer_email="benevoles@exemple.fr")
    assert call.get_absolute_url() == f"/initiatives/{call.initiative_id}/#benevolat-{call.pk}"
    assert call.answer_mailto == "mailto:benevoles@exemple.fr"
