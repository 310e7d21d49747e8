"""Published cycles with rater groups, for the outputs' tests (API, CSV, XLSX, respondent file, PDF).

``seed_partner_cycle`` (2031), the small partner group: Q44 has 5 clinical leads beside 2 GP member practices
(too few: hidden, and its leads with them, since everyone but self minus the leads would give the practices
away); Q46 has 6 managerial leads beside 6 practices (hidden too, so that Y54's practices minus Q46's cannot
give Q44's away). Each assessed itself. Worked out by hand:

- ONE: every lead strongly agrees (10), Q44's practices too, Q46's say neither (5). England: all leads 11,
  score 10; practices (2 × 10 + 6 × 5) / 8 = 6.25, 25% positive, base 8; everyone but self
  (11 × 10 + 2 × 10 + 6 × 5) / 19 = 160 / 19, base 19, the self-assessments left out.
- TWO: Q44's leads and practices strongly agree (10); Q46's leads tend to disagree (2.5), its practices
  say neither (5).
- Each self-assessment strongly disagrees with ONE (0) and strongly agrees with TWO (10); both area teams'
  leads are hidden, so no gap is claimed.

``seed_self_cycle`` (2032), self beside leads that are shown (nothing small, nothing hidden): Q53 has 6
financial leads (ONE strongly agree, 10; TWO tend to disagree, 2.5) and a self-assessment (ONE 0: 10 below,
a hidden strength; TWO 10: 7.5 above, a blind spot; the behaviour 5.0 against (10 + 2.5) / 2 = 6.25,
neither); Q46 has 6 managerial leads and no self-assessment.
"""

from scorecards.tests.factories import Q, import_responses, make_cycle, recompute_and_publish
from surveys.models import CycleState

YEAR, SELF_YEAR = 2031, 2032
Q44_CCGS, Q46_CCGS = ("01C", "01R", "02D", "02E", "02F"), ("00T", "00V", "00W", "00Y", "01D", "01G")
Q53_CCGS = ("05A", "05F")  # in Y55
QUESTIONS = [Q("ONE", "NHS England listens.", behaviour="T-B"), Q("TWO", "NHS England explains.", behaviour="T-B")]


def _people(ccgs, group: str, n: int, answers: dict) -> list[tuple]:
    return [(ccgs[i % len(ccgs)], group, dict(answers)) for i in range(n)]


def _published(year: int, rows: list[tuple]):
    from surveys.services import cycle_set_state

    cycle = make_cycle(year, CycleState.OPEN, QUESTIONS)
    import_responses(cycle, rows)
    recompute_and_publish(cycle)
    return cycle_set_state(cycle=cycle, state=CycleState.PUBLISHED)


def seed_partner_cycle():
    """Return the published 2031 cycle described above."""
    return _published(
        YEAR,
        [
            *_people(Q44_CCGS, "clinical", 5, {"ONE": 5, "TWO": 5}),
            *_people(Q44_CCGS, "practice", 2, {"ONE": 5, "TWO": 5}),
            *_people(Q44_CCGS, "self", 1, {"ONE": 1, "TWO": 5}),
            *_people(Q46_CCGS, "managerial", 6, {"ONE": 5, "TWO": 2}),
            *_people(Q46_CCGS, "practice", 6, {"ONE": 3, "TWO": 3}),
            *_people(Q46_CCGS, "self", 1, {"ONE": 1, "TWO": 5}),
        ],
    )


def seed_self_cycle():
    """Return the published 2032 cycle described above."""
    return _published(
        SELF_YEAR,
        [
            *_people(Q53_CCGS, "financial", 6, {"ONE": 5, "TWO": 2}),
            *_people(Q53_CCGS, "self", 1, {"ONE": 1, "TWO": 5}),
            *_people(Q46_CCGS, "managerial", 6, {"ONE": 5, "TWO": 5}),
        ],
    )
