"""The default questionnaire's layout: one section per behaviour, then sections per group of roles.

Statements tagged with a role go in their role's section; statements with only a behaviour go in their
behaviour's section. Every section ends with an optional comment box coded ``COMMENT-<SECTION>``.
"""

from typing import NamedTuple

from ways_of_working import framework as fw


class SectionSpec(NamedTuple):
    code: str
    title: str
    intro: str
    behaviour: str | None = None
    roles: tuple[str, ...] = ()


COMMENT_PREFIX = "COMMENT-"

DEFAULT_SECTIONS = (
    SectionSpec(
        "COMMON-PURPOSE",
        "Common purpose",
        "How far NHS England and your CCG are working towards the same goals for patients.",
        behaviour=fw.COMMON_PURPOSE,
    ),
    SectionSpec(
        "LEADERSHIP",
        "Local leadership and accountability",
        "How far NHS England respects your CCG's leadership of commissioning for its local population.",
        behaviour=fw.LOCAL_LEADERSHIP,
    ),
    SectionSpec(
        "HONESTY",
        "Honesty and transparency",
        "How open NHS England is with your CCG about its decisions, information and risks.",
        behaviour=fw.HONESTY,
    ),
    SectionSpec(
        "AREA-TEAM",
        "Your area team and assurance",
        "How your local area team works with your CCG, and how NHS England assures your CCG.",
        roles=(fw.AREA_TEAM, fw.ASSURANCE),
    ),
    SectionSpec(
        "COMMISSIONING",
        "Direct commissioning",
        "NHS England as commissioner of primary care and specialised services, and as co-commissioner.",
        roles=(fw.PRIMARY_CARE, fw.SPECIALISED, fw.CO_COMMISSIONING),
    ),
    SectionSpec(
        "SUPPORT-NATIONAL",
        "Support, development and national leadership",
        "The support NHS England offers your CCG, and how it works with CCGs at national level.",
        roles=(fw.SUPPORT_DEVELOPMENT, fw.NATIONAL_LEVEL),
    ),
)


def comment_code(section_code: str) -> str:
    """Return the code of a section's free-text comment question."""
    return f"{COMMENT_PREFIX}{section_code}"


def comment_text(section_title: str) -> str:
    return f"Is there anything else you would like to tell us about {section_title[0].lower()}{section_title[1:]}?"


# The standard statements as the area team's self-assessment words them: the same statement, under the same
# code, in the first person ("we" are NHS England and its area team; "our CCGs" those it works with), so that
# self sits beside others statement by statement. Written by hand: turning "NHS England … my CCG" round
# mechanically does not read right. A statement missing here reads as the others read it.
SELF_WORDINGS = {
    "CP-SHARED-GOALS": "We work towards the same goals as our CCGs for patients.",
    "CP-PRIORITIES": "We take account of our CCGs' priorities when we set our own.",
    "CP-INTEGRATION": "We help our CCGs to join up care across health and social care.",
    "CP-PATIENTS": "We put the interests of patients first in our dealings with our CCGs.",
    "CP-CONFLICTING": "Our demands often pull our CCGs away from their local priorities.",
    "LL-RESPECT": "We respect our CCGs' right to make decisions for their local populations.",
    "LL-CLINICAL": "We value the clinical leadership of our CCGs.",
    "LL-AUTONOMY": "We give our CCGs the freedom to commission in the way that suits local people.",
    "LL-CONSULT": "We involve our CCGs before we make decisions that affect their local areas.",
    "LL-MICROMANAGE": "We try to manage our CCGs' business in too much detail.",
    "HT-OPEN": "We are open and honest with our CCGs.",
    "HT-INFORMATION": "We share the information our CCGs need in good time.",
    "HT-DECISIONS": "We explain the reasons for our decisions to our CCGs.",
    "HT-LISTEN": "We listen to our CCGs' concerns and act on them.",
    "HT-SURPRISES": "Our CCGs hear of our decisions that affect them too late to respond.",
    "AT-EFFECTIVE": "We work effectively with our CCGs.",
    "AT-UNDERSTANDS": "We understand each of our CCGs' local health economies.",
    "AT-ACCESSIBLE": "Our CCGs know whom to contact in our area team and can reach them when they need to.",
    "AT-CONSISTENT": "We give our CCGs clear and consistent messages.",
    "AT-CAPACITY": "We do not have the capacity to work with our CCGs as we should.",
    "AS-PROPORTIONATE": "Our assurance of our CCGs is proportionate.",
    "AS-CLEAR": "Our CCGs understand how we will assure them and what is expected of them.",
    "AS-IMPROVE": "Our assurance of our CCGs helps them to improve.",
    "AS-BURDEN": "Our assurance places an unnecessary burden on our CCGs.",
    "PC-EFFECTIVE": "We work effectively with our CCGs as commissioner of primary care.",
    "PC-VISION": "We share our CCGs' vision for primary care.",
    "PC-POWERS": "We understand our decision-making powers in primary care commissioning.",
    "PC-QUALITY": "We are improving the quality of primary care for our CCGs' populations.",
    "SS-EFFECTIVE": "We work effectively with our CCGs as commissioner of specialised services.",
    "SS-PATHWAYS": "We work with our CCGs so that specialised services join up with local care.",
    "SS-RISKS": "We do not share openly the financial risks that specialised services pose to our CCGs.",
    "CC-EFFECTIVE": "We and our CCGs work well together where we commission services jointly.",
    "CC-CLEAR": "It is clear which decisions we and our CCGs each take when we co-commission.",
    "SUPPORT": "We offer the support and development our CCGs need.",
    "SD-TIMELY": "The support our CCGs get from us arrives when they need it.",
    "SD-LEARNING": "We help our CCGs to learn from other CCGs.",
    "NATIONAL": "NHS England works effectively with CCGs at national level.",
    "NL-VOICE": "NHS England gives CCGs a real voice in national policy.",
    "NL-BARRIERS": "NHS England is tackling the national barriers to integrated care, such as pricing, "
    "information sharing and procurement.",
    "NL-GUIDANCE": "Our national guidance arrives too late, or changes too often, for CCGs to plan.",
}


def default_wordings(code: str) -> dict[str, str]:
    """Return the rater groups' own wordings of the standard statement ``code`` ({} for a comment box)."""
    return {"self": SELF_WORDINGS[code]} if code in SELF_WORDINGS else {}
