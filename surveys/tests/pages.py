"""A lead's appraisal pages as tests read them: their paths, their text, and the draft behind them."""

import re
from html import unescape

from surveys.models import Response

YEAR = 2014
START = f"/appraisal/{YEAR}/"
FIRST = f"/appraisal/{YEAR}/section/COMMON-PURPOSE/"
SECOND = f"/appraisal/{YEAR}/section/LEADERSHIP/"
CHECK = f"/appraisal/{YEAR}/check/"
SUBMITTED = f"/appraisal/{YEAR}/submitted/"
NEW_PASSWORD = "a-long-and-unusual-passphrase-77"


def text(response) -> str:
    """Return the page's text with tags removed and whitespace squeezed, for readable assertions."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def title(response) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split())


def submit(client):
    """Submit from the check page as its button does: confirming the blank statements it warns about."""
    page = client.get(CHECK).content.decode()
    blank = re.search(r'name="blank_ok" value="(\d+)"', page)
    return client.post(CHECK, {"blank_ok": blank.group(1)} if blank else {})


def checked(response, code: str) -> str | None:
    """Return the value of the checked radio for question ``code``, if any."""
    match = re.search(
        rf'<input[^>]*name="{re.escape(code)}"[^>]*value="([^"]*)"[^>]*checked', response.content.decode()
    )
    return match.group(1) if match else None


def draft_of(invitation) -> dict:
    response = Response.objects.filter(invitation=invitation).first()
    return response.draft if response else {}
