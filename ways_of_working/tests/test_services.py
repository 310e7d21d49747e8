import pytest

from ways_of_working.framework import BEHAVIOURS, ROLES, STATEMENTS
from ways_of_working.models import Behaviour, Role, Statement
from ways_of_working.services import framework_seed
from ways_of_working.tests.factories import REQUIRED


@pytest.mark.django_db
def test_seed_creates_three_behaviours_seven_roles_and_the_statements():
    result = framework_seed()

    assert Behaviour.objects.count() == 3
    assert set(Behaviour.objects.values_list("name", flat=True)) == {
        "Common purpose",
        "Local leadership and accountability",
        "Honesty and transparency",
    }
    assert Role.objects.count() == 7
    assert 30 <= Statement.objects.count() <= 40
    assert result.created == 3 + 7 + len(STATEMENTS)


@pytest.mark.django_db
def test_seed_is_idempotent():
    framework_seed()

    again = framework_seed()

    assert (again.created, again.updated) == (0, 0)
    assert Statement.objects.count() == len(STATEMENTS)


@pytest.mark.django_db
def test_seed_restores_edited_rows():
    framework_seed()
    Statement.objects.filter(code="SUPPORT").update(text="changed")

    result = framework_seed()

    assert result.updated == 1
    assert Statement.objects.get(code="SUPPORT").text == REQUIRED["SUPPORT"]


@pytest.mark.django_db
def test_the_six_reported_statements_have_their_exact_codes_and_text():
    framework_seed()

    assert dict(Statement.objects.filter(code__in=REQUIRED).values_list("code", "text")) == REQUIRED


@pytest.mark.django_db
def test_every_behaviour_and_role_has_statements_and_some_are_negatively_worded():
    framework_seed()

    for behaviour in Behaviour.objects.all():
        assert behaviour.statements.count() >= 3, behaviour
    for role in Role.objects.all():
        assert role.statements.count() >= 2, role
    negatives = Statement.objects.filter(positively_worded=False).count()
    assert 3 <= negatives < Statement.objects.count() // 2


def test_framework_codes_are_unique_and_tags_known():
    codes = [s.code for s in STATEMENTS]
    behaviours = {b.code for b in BEHAVIOURS}
    roles = {r.code for r in ROLES}

    assert len(codes) == len(set(codes))
    for statement in STATEMENTS:
        assert statement.behaviour or statement.role
        assert statement.behaviour is None or statement.behaviour in behaviours
        assert statement.role is None or statement.role in roles


@pytest.mark.django_db
def test_a_statement_needs_a_behaviour_or_a_role():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.create(code="X", text="Untagged")


@pytest.mark.django_db
def test_seed_framework_command_is_idempotent():
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_framework", stdout=StringIO())
    out = StringIO()
    call_command("seed_framework", stdout=out)

    assert "(0 created, 0 updated)" in out.getvalue()
    assert Statement.objects.count() == len(STATEMENTS)
