"""The receipt email reads as a sentence: the year, the lead's role and CCG, and 'on <day> at <time>'."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from surveys.services import response_get_or_create_draft, response_save_draft, response_submit

pytestmark = pytest.mark.django_db


def test_the_receipt_says_what_was_received_when_and_as_whom(invitation, django_capture_on_commit_callbacks):
    draft = response_get_or_create_draft(invitation=invitation)
    response_save_draft(response=draft, answers={"CP-SHARED-GOALS": 4})

    with time_machine.travel(dt.datetime(2014, 6, 2, 9, 30, tzinfo=dt.UTC)):
        with django_capture_on_commit_callbacks(execute=True):
            submitted = response_submit(response=draft)

    body = " ".join(mail.outbox[0].body.split())
    assert (
        "Thank you. We received your 2014 appraisal of NHS England, which you gave as the clinical lead of "
        "NHS Eastern Cheshire CCG, on 2 June 2014 at 10:30." in body
    )
    assert f"Your reference number is {submitted.reference}." in body
    assert "results are published only for groups of at least 5 people" in body
    assert " at 2 June" not in body
