"""A small published cycle for the export tests (2014, with 2013 before it), whose suppression is known.

One statement's wording starts with "=HYPERLINK(", which must stay text in every file; one comment does too.
"""

from scorecards.tests.factories import C, F, M, Q, import_responses, make_cycle, recompute_and_publish
from surveys.models import Cycle, CycleState
from surveys.models import QuestionType as QT

EVIL = '=HYPERLINK("http://x.example","click me")'


QUESTIONS = [
    Q("X-POS", "NHS England listens to my CCG.", behaviour="X-B", role="X-R"),
    Q("X-NEG", "My CCG hears of NHS England decisions too late.", behaviour="X-B", positively_worded=False),
    Q("X-EVIL", f"{EVIL} is a statement", role="X-R"),
    Q("COMMENT-X", "Any comments?", type=QT.FREE_TEXT),
]


def lead_rows(ccg: str, role: str, answers: list[tuple], comment: str = "") -> list[tuple]:
    rows = [(ccg, role, {"X-POS": p, "X-NEG": n, "X-EVIL": e}) for p, n, e in answers]
    if comment:
        rows[0][2]["COMMENT-X"] = comment
    return rows


RESPONSES_2014 = [
    *lead_rows("01C", C, [(4, 2, 4), (4, 2, 3), (3, 1, 4)], comment=EVIL),
    *lead_rows("01R", M, [(5, 1, 5), (2, 4, 2), (4, 2, 4)]),
    *lead_rows("00C", C, [(5, 2, 4), (4, 3, 4), (1, 5, 1)]),
    *lead_rows("00T", C, [(5, 1, 5), (5, 1, 4), (4, 2, 4), (4, 3, 3), (4, 4, 4), (3, 5, 2), (2, "DK", 3), (1, "", 2)]),
    *lead_rows("00V", M, [(5, 2, 5), (4, 1, 4)], comment="Slow to reply, says the secret lead."),
    *lead_rows("00W", F, [(4, 1, 4), (4, 2, 4), (3, 2, 3), (2, 4, 2), (5, 3, 5)]),
    *lead_rows("05A", C, [(5, 1, 5), (5, 2, 4), (4, 2, 4), (3, 2, 3), (3, 4, 3)]),
]


RESPONSES_2013 = [
    *lead_rows("00T", C, [(3, 3, 3), (3, 3, 3), (2, 4, 3), (2, 4, 3), (1, 5, 3), (4, 2, 3)]),
    *lead_rows("05A", C, [(4, 2, 4), (4, 2, 4), (5, 1, 4), (4, 2, 4), (4, 2, 4)]),
]


def seed_small_cycle(settings=None, tmp_path=None):
    """Publish 2013 and 2014 (above), with export files kept under ``tmp_path`` if given; return 2014."""
    if settings is not None:
        settings.MEDIA_ROOT = tmp_path / "media"
    for year, rows in ((2013, RESPONSES_2013), (2014, RESPONSES_2014)):
        cycle = make_cycle(year, CycleState.CLOSED, QUESTIONS)
        import_responses(cycle, rows)
        recompute_and_publish(cycle)
        Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.PUBLISHED)
    cycle.refresh_from_db()
    return cycle
