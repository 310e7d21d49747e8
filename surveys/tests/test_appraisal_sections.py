"""The start page and the section pages of a lead's appraisal: progress, saving, errors, the area team named."""

import re
from html import unescape

import pytest
from django.conf import settings

from surveys.models import Question, Response, ResponseStatus
from surveys.services import response_get_or_create_draft, response_save_draft
from surveys.tests.pages import CHECK, FIRST, SECOND, START, SUBMITTED, YEAR, checked, draft_of, text, title

pytestmark = pytest.mark.django_db


def test_start_page_says_what_how_long_and_who_sees_what(signed_in_lead):
    response = signed_in_lead.get(START)

    page = text(response)
    assert title(response).startswith(f"Your {YEAR} appraisal of NHS England")
    assert "10 to 15 minutes" in page
    assert f"groups of at least {settings.SUPPRESSION_MIN_BASE} responses" in page
    assert "No one is shown who gave which answer" in page
    assert "published without your name" in page
    assert "Status: Not started" in page
    assert f'href="{FIRST}" data-testid="start">Start now<' in response.content.decode()


def test_start_page_shows_progress_and_continues_at_the_first_unanswered_section(signed_in_lead, invitation):
    response = response_get_or_create_draft(invitation=invitation)
    response_save_draft(response=response, answers={"CP-SHARED-GOALS": 4})

    page = signed_in_lead.get(START)

    assert "Status: In progress" in text(page)
    assert "You have answered questions in 1 of 6 sections." in text(page)
    assert f'href="{SECOND}" data-testid="start">Continue<' in page.content.decode()


def test_section_page_has_progress_a_fieldset_per_statement_and_a_comment_box(signed_in_lead):
    response = signed_in_lead.get(FIRST)

    html = response.content.decode()
    assert "Section 1 of 6" in text(response)
    assert title(response).startswith("Common purpose – Section 1 of 6")
    # Five agreement statements, each a fieldset whose legend is the statement; 5 points, "or", Don't know.
    assert html.count('<fieldset class="nhsuk-fieldset"') == 5
    statement = Question.objects.get(questionnaire__cycle__year=YEAR, code="CP-SHARED-GOALS").text
    assert re.search(r"<legend[^>]*>\s*<span[^>]*>Statement 1: </span>" + re.escape(statement), html)
    assert html.count('name="CP-SHARED-GOALS"') == 6
    assert html.count('<div class="nhsuk-radios__divider">or</div>') == 5
    assert 'id="id_COMMENT-COMMON-PURPOSE" name="COMMENT-COMMON-PURPOSE"' in html
    assert " maxlength=" not in html


def test_continue_saves_the_section_and_goes_to_the_next(signed_in_lead, invitation):
    # When the lead answers two statements, says "don't know" to one and writes a comment
    response = signed_in_lead.post(
        FIRST,
        {"CP-SHARED-GOALS": "5", "CP-PRIORITIES": "2", "CP-PATIENTS": "0", "COMMENT-COMMON-PURPOSE": " Good. "},
    )

    # Then the draft holds them and the next section follows
    assert response.status_code == 302
    assert response["Location"] == SECOND
    assert draft_of(invitation) == {
        "CP-SHARED-GOALS": 5,
        "CP-PRIORITIES": 2,
        "CP-PATIENTS": 0,
        "COMMENT-COMMON-PURPOSE": "Good.",
    }
    # And the page shows them again (another device would too: it is read from the database)
    again = signed_in_lead.get(FIRST)
    assert (checked(again, "CP-SHARED-GOALS"), checked(again, "CP-PRIORITIES"), checked(again, "CP-PATIENTS")) == (
        "5",
        "2",
        "0",
    )
    assert checked(again, "CP-INTEGRATION") is None
    assert ">\nGood.</textarea>" in again.content.decode()


def test_clearing_an_answer_removes_it_from_the_draft(signed_in_lead, invitation):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5", "COMMENT-COMMON-PURPOSE": "Words"})

    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5", "COMMENT-COMMON-PURPOSE": ""})

    assert draft_of(invitation) == {"CP-SHARED-GOALS": 5}


def test_the_last_section_continues_to_check_your_answers(signed_in_lead):
    response = signed_in_lead.post(f"/appraisal/{YEAR}/section/SUPPORT-NATIONAL/", {"SUPPORT": "3"})

    assert response["Location"] == CHECK


def test_save_and_come_back_later_saves_and_returns_to_the_start_page(signed_in_lead, invitation):
    response = signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "4", "action": "later"}, follow=True)

    assert response.redirect_chain == [(START, 302)]
    assert "Your answers have been saved." in text(response)
    assert draft_of(invitation) == {"CP-SHARED-GOALS": 4}


def test_a_change_from_check_your_answers_returns_there(signed_in_lead):
    page = signed_in_lead.get(f"{SECOND}?return=check")
    assert '<input type="hidden" name="return" value="check">' in page.content.decode()
    assert f'<a class="nhsuk-back-link" href="{CHECK}">' in page.content.decode()

    response = signed_in_lead.post(SECOND, {"LL-RESPECT": "1", "return": "check"})

    assert response["Location"] == CHECK


def test_tampered_values_show_the_error_summary_and_keep_the_other_answers(signed_in_lead, invitation):
    # Given a saved answer
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "4"})

    # When a tampered form arrives: a value off the scale, among good answers and a comment
    response = signed_in_lead.post(
        FIRST,
        {"CP-SHARED-GOALS": "9", "CP-PRIORITIES": "2", "CP-PATIENTS": "0", "COMMENT-COMMON-PURPOSE": "Keep me"},
    )

    # Then the page comes back with the NHS.UK error summary linking to the question, and an inline message
    assert response.status_code == 200
    html = response.content.decode()
    assert title(response).startswith("Error: Common purpose")
    statement = Question.objects.get(questionnaire__cycle__year=YEAR, code="CP-SHARED-GOALS").text
    message = f'Choose one of the answers to "{statement.rstrip(".")}", or leave it blank'
    assert re.search(
        r'<div class="nhsuk-error-summary".*<a href="#id_CP-SHARED-GOALS_0">' + re.escape(message), unescape(html), re.S
    )
    assert 'id="id_CP-SHARED-GOALS-error"' in html
    # And nothing else the lead typed is lost
    assert (checked(response, "CP-PRIORITIES"), checked(response, "CP-PATIENTS")) == ("2", "0")
    assert ">\nKeep me</textarea>" in html
    # And nothing was written: the saved answer is as it was
    assert draft_of(invitation) == {"CP-SHARED-GOALS": 4}


def test_a_comment_over_the_limit_is_refused_with_its_message(signed_in_lead, invitation):
    response = signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "3", "COMMENT-COMMON-PURPOSE": "x" * 5001})

    assert "Your comment must be 5000 characters or fewer" in text(response)
    assert draft_of(invitation) == {}


def test_unknown_fields_in_a_post_are_ignored(signed_in_lead, invitation):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "3", "LL-RESPECT": "5", "NOT-A-QUESTION": "5"})

    assert draft_of(invitation) == {"CP-SHARED-GOALS": 3}


def test_each_section_and_the_start_page_name_the_area_team_being_rated(signed_in_lead):
    for path in (START, FIRST, SECOND):
        assert (
            "You are appraising NHS England and its Cheshire, Warrington and Wirral area team, which works with "
            "NHS Eastern Cheshire CCG." in text(signed_in_lead.get(path))
        )


def test_the_start_page_counts_statements_not_comment_boxes(signed_in_lead, invitation):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5", "COMMENT-COMMON-PURPOSE": "Words"})

    page = text(signed_in_lead.get(START))

    statements = Question.objects.filter(section__code="COMMON-PURPOSE", type="agreement").count()
    assert f"Common purpose (1 of {statements} statements answered)" in page


def test_submitting_with_blank_statements_asks_first_and_submits_nothing_until_confirmed(signed_in_lead, invitation):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5"})
    blank = Question.objects.filter(questionnaire__cycle__year=YEAR, type="agreement").count() - 1

    check = text(signed_in_lead.get(CHECK))
    unconfirmed = signed_in_lead.post(CHECK)
    stale = signed_in_lead.post(CHECK, {"blank_ok": str(blank + 1)})

    assert f"You have not answered {blank} statements. Submit anyway?" in check
    assert "Submit anyway" in check
    assert (unconfirmed.status_code, stale.status_code) == (200, 200)
    assert f"You have not answered {blank} statements." in text(unconfirmed)
    assert not Response.objects.filter(status=ResponseStatus.SUBMITTED).exists()
    assert signed_in_lead.post(CHECK, {"blank_ok": str(blank)})["Location"] == SUBMITTED


def test_comment_boxes_are_nhsuk_character_counts(signed_in_lead, invitation):
    signed_in_lead.post(FIRST, {"COMMENT-COMMON-PURPOSE": "Kept <words>"})

    html = signed_in_lead.get(FIRST).content.decode()

    assert 'data-module="nhsuk-character-count" data-maxlength="5000"' in html
    assert 'class="nhsuk-textarea nhsuk-js-character-count"' in html
    assert 'aria-describedby="id_COMMENT-COMMON-PURPOSE-hint id_COMMENT-COMMON-PURPOSE-info"' in html
    assert "You can enter up to 5000 characters" in html
    assert ">\nKept &lt;words&gt;</textarea>" in html
