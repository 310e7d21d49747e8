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
