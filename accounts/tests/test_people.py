"""People: admins invite NHSCC staff and area team members, change roles, deactivate; every act audited."""

import re

import pytest
from django.core import mail

from accounts.models import User, UserRole
from accounts.services import (
    MSG_AREA_TEAM_NEEDED,
    MSG_EMAIL_TAKEN,
    MSG_LAST_ADMIN,
    MSG_LEAD_ROLE_FIXED,
    MSG_NOT_YOURSELF,
    MSG_ROLE_NOT_STAFF,
    user_change_role,
    user_deactivate,
    user_invite,
    user_reactivate,
)
from appraisal_portal.celery import app as celery_app
from core.errors import DomainError
from core.models import AuditEvent
from organisations.models import AreaTeam

pytestmark = pytest.mark.django_db

WELCOME_LINK = re.compile(r"https?://[^/\s]+(/welcome/[^/\s]+/[^/\s]+/)")
PASSWORD = "a-long-and-unusual-passphrase-77"


@pytest.fixture(autouse=True)
def celery_eager():
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def people_state():
    return (
        list(User.objects.order_by("pk").values_list("email", "role", "area_team", "is_active", "is_staff")),
        AuditEvent.objects.count(),
        len(mail.outbox),
    )


def refused(call, message):
    before = people_state()
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.message == message
    assert people_state() == before


def test_inviting_an_area_team_member_emails_a_set_password_link_after_commit(
    admin_user, django_capture_on_commit_callbacks
):
    area_team = AreaTeam.objects.get(ods_code="Q44")

    with django_capture_on_commit_callbacks(execute=True):
        user = user_invite(
            actor=admin_user,
            email=" New.Member@England.NHS.uk ",
            full_name="Nia Member",
            role="area_team_member",
            area_team=area_team,
        )

    assert (user.email, user.role, user.area_team, user.has_usable_password(), user.is_staff) == (
        "new.member@england.nhs.uk",
        UserRole.AREA_TEAM_MEMBER,
        area_team,
        False,
        False,
    )
    (message,) = mail.outbox
    assert message.to == ["new.member@england.nhs.uk"]
    assert "as an Area team member for" in message.body
    assert WELCOME_LINK.search(message.body)
    event = AuditEvent.objects.get(action="user_invited")
    assert (event.actor, event.detail) == (admin_user, {"email": user.email, "role": "area_team_member"})


def test_an_invited_admin_is_staff(admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_invite(actor=admin_user, email="boss@nhscc.org", full_name="A Boss", role="admin")

    assert user.is_staff and not user.is_superuser


@pytest.mark.parametrize(
    ("email", "role", "area_team", "message"),
    [
        ("dup", "analyst", None, None),
        ("x@nhscc.org", "ccg_lead", None, MSG_ROLE_NOT_STAFF),
        ("x@nhscc.org", "superuser", None, MSG_ROLE_NOT_STAFF),
        ("x@nhscc.org", "area_team_member", None, MSG_AREA_TEAM_NEEDED),
    ],
    ids=["email taken", "a lead", "unknown role", "no area team"],
)
def test_an_invitation_is_refused_with_a_clear_message(admin_user, analyst, email, role, area_team, message):
    if email == "dup":
        email, message = analyst.email.upper(), MSG_EMAIL_TAKEN.format(email=analyst.email)

    refused(lambda: user_invite(actor=admin_user, email=email, full_name="X", role=role, area_team=area_team), message)


def test_changing_a_role_keeps_is_staff_in_step_and_is_audited(admin_user, analyst):
    user = user_change_role(actor=admin_user, user=analyst, role="admin")
    assert (user.role, user.is_staff) == ("admin", True)

    user = user_change_role(
        actor=admin_user, user=analyst, role="area_team_member", area_team=AreaTeam.objects.get(ods_code="Q44")
    )

    assert (user.role, user.is_staff, user.area_team.ods_code) == ("area_team_member", False, "Q44")
    details = [e.detail for e in AuditEvent.objects.filter(action="user_role_changed").order_by("pk")]
    assert details[1] == {
        "before": {"role": "admin", "area_team": None},
        "after": {"role": "area_team_member", "area_team": "Q44"},
    }


def test_role_changes_that_are_refused(admin_user, lead, analyst):
    refused(
        lambda: user_change_role(actor=admin_user, user=admin_user, role="analyst"),
        MSG_NOT_YOURSELF.format(action="change the role of"),
    )
    refused(lambda: user_change_role(actor=admin_user, user=lead, role="analyst"), MSG_LEAD_ROLE_FIXED)
    refused(lambda: user_change_role(actor=admin_user, user=analyst, role="ccg_lead"), MSG_ROLE_NOT_STAFF)
    # The services do not ask who the actor is (the pages do): here another account tries to remove the last admin.
    refused(
        lambda: user_change_role(actor=analyst, user=admin_user, role="analyst"),
        MSG_LAST_ADMIN.format(email=admin_user.email),
    )
    refused(lambda: user_deactivate(actor=analyst, user=admin_user), MSG_LAST_ADMIN.format(email=admin_user.email))


def test_deactivating_stops_sign_in_and_the_api_token_and_is_audited(client, admin_user, analyst):
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=analyst)
    client.force_login(analyst)

    user_deactivate(actor=admin_user, user=analyst)

    assert not User.objects.get(pk=analyst.pk).is_active
    assert not Token.objects.filter(user=analyst).exists()
    assert client.get("/account/").status_code == 302  # the open session no longer counts
    refused(lambda: user_deactivate(actor=admin_user, user=admin_user), MSG_NOT_YOURSELF.format(action="deactivate"))
    user_reactivate(actor=admin_user, user=analyst)
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "user_deactivated",
        "user_reactivated",
    ]


# The pages ------------------------------------------------------------------------------------------


def test_an_admin_invites_from_the_people_page_and_the_person_sets_a_password_and_lands_home(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    assert "Invite someone" in client.get("/manage/people/").content.decode()
    area_team = AreaTeam.objects.get(ods_code="Q44")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/manage/people/invite/",
            {
                "full_name": "Nia Member",
                "email": "nia@england.nhs.uk",
                "role": "area_team_member",
                "area_team": area_team.pk,
            },
            follow=True,
        )

    assert "nia@england.nhs.uk has been invited" in response.content.decode()
    client.logout()
    path = WELCOME_LINK.search(mail.outbox[0].body).group(1)
    form = client.get(path, follow=True)
    assert "Create a password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True)

    assert done.redirect_chain[-1][0] == "/"
    assert "Your password has been set and you are signed in." in done.content.decode()
    assert done.context["user"].email == "nia@england.nhs.uk"
    # The link works once.
    again = client.get(path, follow=True)
    assert "This link is not valid" in again.content.decode()
    assert 'data-testid="contact"' in again.content.decode()


def test_the_invite_form_shows_the_services_refusal_on_its_field(client, admin_user, analyst):
    client.force_login(admin_user)

    response = client.post("/manage/people/invite/", {"full_name": "X", "email": analyst.email, "role": "analyst"})

    assert response.status_code == 400
    assert MSG_EMAIL_TAKEN.format(email=analyst.email) in response.content.decode()
    response = client.post(
        "/manage/people/invite/", {"full_name": "X", "email": "x@nhscc.org", "role": "area_team_member"}
    )
    assert MSG_AREA_TEAM_NEEDED in response.content.decode()
    assert not User.objects.filter(email="x@nhscc.org").exists()


def test_an_admin_changes_a_role_and_deactivates_from_the_person_page(client, admin_user, analyst):
    client.force_login(admin_user)
    url = f"/manage/people/{analyst.pk}/"

    changed = client.post(url, {"action": "role", "role": "admin"}, follow=True)
    assert f"{analyst.email} is now NHSCC admin." in changed.content.decode()
    deactivated = client.post(url, {"action": "deactivate"}, follow=True)
    assert "can no longer sign in" in deactivated.content.decode()
    own = client.post(f"/manage/people/{admin_user.pk}/", {"action": "deactivate"})
    assert own.status_code == 400
    assert "You cannot deactivate your own account" in own.content.decode()
    assert User.objects.get(pk=admin_user.pk).is_active


def test_an_invited_person_can_be_sent_a_new_link_but_not_once_they_have_a_password(
    client, admin_user, analyst, django_capture_on_commit_callbacks
):
    from accounts.services import MSG_HAS_PASSWORD, user_welcome_resend

    with django_capture_on_commit_callbacks(execute=True):
        invited = user_invite(actor=admin_user, email="new@nhscc.org", full_name="New", role="analyst")
    client.force_login(admin_user)
    assert "Email a new link" in client.get(f"/manage/people/{invited.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/manage/people/{invited.pk}/", {"action": "resend"}, follow=True)

    assert "A new link to choose a password has been emailed to new@nhscc.org." in done.content.decode()
    assert [m.to for m in mail.outbox] == [["new@nhscc.org"], ["new@nhscc.org"]]
    assert AuditEvent.objects.filter(action="user_welcome_resent").count() == 1
    refused(lambda: user_welcome_resend(actor=admin_user, user=analyst), MSG_HAS_PASSWORD.format(email=analyst.email))
