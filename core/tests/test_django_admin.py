"""The Django admin for NHSCC admins (staff, not superusers): every model page readable, nothing changeable."""

import pytest

from surveys.tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db

READABLE = [
    "/admin/accounts/user/",
    "/admin/organisations/ccg/",
    "/admin/organisations/areateam/",
    "/admin/organisations/region/",
    "/admin/surveys/cycle/",
    "/admin/surveys/question/",
    "/admin/surveys/section/",
    "/admin/surveys/invitation/",
    "/admin/ways_of_working/statement/",
    "/admin/core/auditevent/",
]


def test_the_admin_index_lists_what_an_admin_can_read(client, admin_user):
    assert not admin_user.is_superuser
    client.force_login(admin_user)

    page = client.get("/admin/").content.decode()

    assert "You don’t have permission to view or edit anything" not in page
    for path in READABLE:
        assert f'href="{path}"' in page


@pytest.mark.parametrize("path", READABLE)
def test_every_model_page_an_admin_is_offered_answers(client, admin_user, path):
    client.force_login(admin_user)

    response = client.get(path)

    assert response.status_code == 200
    assert "addlink" not in response.content.decode()


def test_nothing_can_be_changed_or_deleted_there(client, admin_user, lead):
    client.force_login(admin_user)

    change = client.post(f"/admin/accounts/user/{lead.pk}/change/", {"email": "x@y.nhs.uk", "role": "admin"})
    delete = client.post(f"/admin/accounts/user/{lead.pk}/delete/", {"post": "yes"})
    add = client.get("/admin/organisations/ccg/add/")

    assert (change.status_code, delete.status_code, add.status_code) == (403, 403, 403)
    lead.refresh_from_db()
    assert (lead.email, lead.role) == (lead.email, "ccg_lead")


def test_an_invitation_page_never_shows_the_token_hash_nor_any_answer(client, admin_user, organisations, lead):
    from surveys.tests.factories import CycleFactory

    invitation = InvitationFactory(cycle=CycleFactory(year=2014), user=lead, token_hash="f" * 64)
    client.force_login(admin_user)

    page = client.get(f"/admin/surveys/invitation/{invitation.pk}/change/").content.decode()

    assert "f" * 64 not in page
    assert client.get("/admin/surveys/response/").status_code == 404
    assert client.get("/admin/surveys/answer/").status_code == 404


def test_an_analyst_is_not_offered_the_django_admin(client, analyst):
    client.force_login(analyst)

    assert client.get("/admin/accounts/user/").status_code == 302
