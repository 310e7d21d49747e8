import pytest

from surveys.models import Answer, CycleState, Response
from surveys.services import cycle_create, cycle_set_state, response_get_or_create_draft, response_save_draft
from surveys.tests.factories import InvitationFactory

MY = "/api/v1/cycles/2014/my-response/"
SUBMIT = "/api/v1/cycles/2014/my-response/submit/"
QUESTIONNAIRE = "/api/v1/cycles/2014/questionnaire/"


def _as(client, user):
    client.force_login(user)
    return client


def _put(client, url, body):
    return client.put(url, body, content_type="application/json")


@pytest.fixture
def cycles(open_cycle):
    """2014 open, 2015 draft; 2013 published (created bare, as a published year would be)."""
    from surveys.tests.factories import CycleFactory

    return {
        "open": open_cycle,
        "draft": cycle_create(year=2015),
        "published": CycleFactory(year=2013, state="published"),
    }


@pytest.mark.django_db
def test_anonymous_gets_json_401_or_403(client, cycles):
    for url in ["/api/v1/cycles/", QUESTIONNAIRE, MY]:
        response = client.get(url)
        assert response.status_code in (401, 403), url
        assert response.json()["error"]["code"] == "not_authenticated"
    assert client.post(SUBMIT).status_code in (401, 403)


@pytest.mark.django_db
def test_cycle_list_is_scoped_by_role(client, cycles, analyst, area_team_member, lead, make_lead):
    InvitationFactory(cycle=cycles["open"], user=lead)
    InvitationFactory(cycle=cycles["draft"], user=lead)

    def years(user):
        body = _as(client, user).get("/api/v1/cycles/").json()
        return [(c["year"], c["state"]) for c in body["results"]]

    assert years(analyst) == [(2015, "draft"), (2014, "open"), (2013, "published")]
    assert years(lead) == [(2014, "open")]  # invited to the 2015 draft too, but drafts are not shown to leads
    assert years(make_lead()) == []
    assert years(area_team_member) == [(2013, "published")]
    row = _as(client, analyst).get("/api/v1/cycles/").json()["results"][1]
    assert row == {
        "year": 2014,
        "state": "open",
        "opens_on": "2014-05-01",
        "closes_on": "2014-06-30",
        "published_at": None,
    }


@pytest.mark.django_db
def test_questionnaire_shape(client, analyst, open_cycle):
    body = _as(client, analyst).get(QUESTIONNAIRE).json()

    assert (body["year"], body["state"], body["version"]) == (2014, "open", 1)
    assert body["frozen_at"] is not None
    assert [o["value"] for o in body["agreement_scale"]] == [5, 4, 3, 2, 1, 0]
    assert body["agreement_scale"][-1]["label"] == "Don't know"
    assert len(body["sections"]) == 6
    questions = {q["code"]: q for s in body["sections"] for q in s["questions"]}
    assert questions["PC-VISION"] == {
        "code": "PC-VISION",
        "text": "NHS England shares my CCG's vision for primary care.",
        "type": "agreement",
        "order": 2,
        "behaviour": {"code": "COMMON-PURPOSE", "name": "Common purpose"},
        "role": {"code": "PRIMARY-CARE", "name": "Direct commissioning of primary care"},
        "positively_worded": True,
        "offers_not_applicable": False,
        "wording": "positive",
        "wordings": {"self": "We share our CCGs' vision for primary care."},
        "options": body["agreement_scale"],
    }
    assert questions["NL-GUIDANCE"]["wording"] == "negative"
    assert questions["COMMENT-HONESTY"]["type"] == "free_text"
    assert questions["COMMENT-HONESTY"]["options"] == []
    assert questions["AT-EFFECTIVE"]["behaviour"] is None


@pytest.mark.django_db
def test_questionnaire_query_count_is_bounded(client, analyst, open_cycle, django_assert_max_num_queries):
    client = _as(client, analyst)
    client.get(QUESTIONNAIRE)  # warm the session

    with django_assert_max_num_queries(7):
        response = client.get(QUESTIONNAIRE)

    assert response.status_code == 200


@pytest.mark.django_db
def test_questionnaire_visibility(client, cycles, lead, make_lead, area_team_member, admin_user):
    InvitationFactory(cycle=cycles["open"], user=lead)
    InvitationFactory(cycle=cycles["draft"], user=lead)

    assert _as(client, lead).get(QUESTIONNAIRE).status_code == 200
    assert _as(client, lead).get("/api/v1/cycles/2015/questionnaire/").status_code == 404
    assert _as(client, make_lead()).get(QUESTIONNAIRE).status_code == 404
    assert _as(client, area_team_member).get(QUESTIONNAIRE).status_code == 404
    assert _as(client, admin_user).get("/api/v1/cycles/2015/questionnaire/").status_code == 200
    assert _as(client, admin_user).get("/api/v1/cycles/2099/questionnaire/").status_code == 404


@pytest.mark.django_db
def test_lead_saves_reads_and_submits_their_response(client, invitation, lead, django_capture_on_commit_callbacks):
    client = _as(client, lead)

    assert client.get(MY).json() == {
        "year": 2014,
        "rater_group": "clinical",
        "status": "not_started",
        "answers": {},
        "submitted_at": None,
        "updated_at": None,
    }
    saved = _put(client, MY, {"answers": {"SUPPORT": 4, "PC-VISION": "DK", "COMMENT-HONESTY": "Good"}})
    assert saved.status_code == 200
    assert saved.json()["answers"] == {"SUPPORT": 4, "PC-VISION": 0, "COMMENT-HONESTY": "Good"}
    assert client.get(MY).json()["status"] == "draft"

    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(SUBMIT)
    again = client.post(SUBMIT)

    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert again.status_code == 200
    assert again.json() == submitted.json()
    assert Answer.objects.count() == 3
    late = _put(client, MY, {"answers": {"SUPPORT": 1}})
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "already_submitted"


@pytest.mark.django_db
def test_invalid_answers_are_a_400_naming_each_question(client, invitation, lead):
    response = _put(_as(client, lead), MY, {"answers": {"SUPPORT": 9, "NOPE": 1}})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_answers"
    assert {d["question"] for d in error["details"]} == {"SUPPORT", "NOPE"}
    assert _put(_as(client, lead), MY, {"not_answers": {}}).status_code == 400


@pytest.mark.django_db
def test_closed_cycle_refuses_answers_with_a_clear_message(client, invitation, lead, open_cycle):
    _put(_as(client, lead), MY, {"answers": {"SUPPORT": 4}})
    cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)

    response = _put(_as(client, lead), MY, {"answers": {"SUPPORT": 1}})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "cycle_closed"
    assert client.get(MY).json()["answers"] == {"SUPPORT": 4}


@pytest.mark.django_db
def test_a_lead_never_reaches_another_leads_response(client, invitation, make_lead, open_cycle):
    theirs = response_get_or_create_draft(invitation=invitation)
    response_save_draft(response=theirs, answers={"SUPPORT": 1})
    uninvited = make_lead(ccg_code="01C", lead_role="managerial")
    colleague = make_lead(ccg_code="01C", lead_role="financial")
    InvitationFactory(cycle=open_cycle, user=colleague)

    client = _as(client, uninvited)
    assert client.get(MY).status_code == 404
    assert _put(client, MY, {"answers": {"SUPPORT": 5}}).status_code == 404
    assert client.post(SUBMIT).status_code == 404
    assert client.get(MY).json()["error"]["code"] == "not_found"

    client = _as(client, colleague)
    assert client.get(MY).json()["answers"] == {}
    _put(client, MY, {"answers": {"SUPPORT": 5}})

    theirs.refresh_from_db()
    assert theirs.draft == {"SUPPORT": 1}
    assert Response.objects.count() == 2


@pytest.mark.django_db
def test_nhscc_staff_get_403_on_my_response(client, open_cycle, analyst, admin_user):
    for user in (analyst, admin_user):
        client = _as(client, user)
        assert client.get(MY).status_code == 403
        assert _put(client, MY, {"answers": {}}).status_code == 403
        assert client.post(SUBMIT).status_code == 403


@pytest.mark.django_db
def test_an_area_team_member_without_a_self_assessment_gets_404_on_my_response(client, open_cycle, area_team_member):
    client = _as(client, area_team_member)

    assert client.get(MY).status_code == 404
    assert _put(client, MY, {"answers": {}}).status_code == 404
    assert client.post(SUBMIT).status_code == 404


@pytest.mark.django_db
def test_submitting_nothing_is_a_400(client, invitation, lead):
    response = _as(client, lead).post(SUBMIT)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "nothing_to_submit"


@pytest.mark.django_db
def test_openapi_schema_lists_the_survey_endpoints(client, analyst):
    schema = _as(client, analyst).get("/api/schema/", HTTP_ACCEPT="application/json").json()

    for path in [
        "/api/v1/cycles/",
        "/api/v1/cycles/{year}/questionnaire/",
        "/api/v1/cycles/{year}/my-response/",
        "/api/v1/cycles/{year}/my-response/submit/",
    ]:
        assert path in schema["paths"]


@pytest.mark.django_db
def test_a_question_offering_not_applicable_lists_it_in_its_options(client, analyst, open_cycle):
    from surveys.models import Question

    Question.objects.filter(questionnaire__cycle=open_cycle, code="PC-VISION").update(offers_not_applicable=True)

    body = _as(client, analyst).get(QUESTIONNAIRE).json()

    questions = {q["code"]: q for s in body["sections"] for q in s["questions"]}
    assert questions["PC-VISION"]["offers_not_applicable"] is True
    assert questions["PC-VISION"]["options"][-1] == {"value": 6, "label": "Not applicable"}
    assert [o["value"] for o in questions["PC-VISION"]["options"]] == [5, 4, 3, 2, 1, 0, 6]
