"""The agreed "Ways of Working" framework: behaviours, NHS England's roles and the appraisal statements.

This is the content ``framework_seed`` writes. Codes are stable for ever: results are tracked across
years by code, so change a statement's wording by adding a new code, not by editing the text here.
"""

from typing import NamedTuple


class BehaviourSpec(NamedTuple):
    code: str
    name: str
    description: str


class RoleSpec(NamedTuple):
    code: str
    name: str
    description: str


class StatementSpec(NamedTuple):
    code: str
    text: str
    behaviour: str | None
    role: str | None
    positively_worded: bool = True


COMMON_PURPOSE = "COMMON-PURPOSE"
LOCAL_LEADERSHIP = "LOCAL-LEADERSHIP"
HONESTY = "HONESTY"

AREA_TEAM = "AREA-TEAM"
PRIMARY_CARE = "PRIMARY-CARE"
SPECIALISED = "SPECIALISED"
SUPPORT_DEVELOPMENT = "SUPPORT-DEVELOPMENT"
ASSURANCE = "ASSURANCE"
CO_COMMISSIONING = "CO-COMMISSIONING"
NATIONAL_LEVEL = "NATIONAL-LEVEL"

BEHAVIOURS = (
    BehaviourSpec(
        COMMON_PURPOSE,
        "Common purpose",
        "NHS England and CCGs work towards the same goals for patients and the public.",
    ),
    BehaviourSpec(
        LOCAL_LEADERSHIP,
        "Local leadership and accountability",
        "CCGs lead commissioning for their local populations and are accountable to them.",
    ),
    BehaviourSpec(
        HONESTY,
        "Honesty and transparency",
        "NHS England and CCGs are open with each other about decisions, information and risks.",
    ),
)

ROLES = (
    RoleSpec(AREA_TEAM, "The area team's work with the CCG", "How the local area team works with the CCG."),
    RoleSpec(PRIMARY_CARE, "Direct commissioning of primary care", "NHS England as commissioner of primary care."),
    RoleSpec(
        SPECIALISED,
        "Direct commissioning of specialised services",
        "NHS England as commissioner of specialised services.",
    ),
    RoleSpec(SUPPORT_DEVELOPMENT, "Support and development of CCGs", "The support NHS England offers CCGs."),
    RoleSpec(ASSURANCE, "Assurance", "How NHS England assures CCGs."),
    RoleSpec(CO_COMMISSIONING, "Co-commissioning", "Services NHS England and CCGs commission together."),
    RoleSpec(NATIONAL_LEVEL, "NHS England at national level", "NHS England's national work with CCGs."),
)

STATEMENTS = (
    # Common purpose
    StatementSpec(
        "CP-SHARED-GOALS",
        "NHS England and my CCG are working towards the same goals for patients.",
        COMMON_PURPOSE,
        None,
    ),
    StatementSpec(
        "CP-PRIORITIES", "NHS England takes account of my CCG's priorities when it sets its own.", COMMON_PURPOSE, None
    ),
    StatementSpec(
        "CP-INTEGRATION",
        "NHS England helps my CCG to join up care across health and social care.",
        COMMON_PURPOSE,
        None,
    ),
    StatementSpec(
        "CP-PATIENTS",
        "NHS England puts the interests of patients first in its dealings with my CCG.",
        COMMON_PURPOSE,
        None,
    ),
    StatementSpec(
        "CP-CONFLICTING",
        "NHS England's demands often pull my CCG away from its local priorities.",
        COMMON_PURPOSE,
        None,
        False,
    ),
    # Local leadership and accountability
    StatementSpec(
        "LL-RESPECT",
        "NHS England respects my CCG's right to make decisions for its local population.",
        LOCAL_LEADERSHIP,
        None,
    ),
    StatementSpec("LL-CLINICAL", "NHS England values the clinical leadership of my CCG.", LOCAL_LEADERSHIP, None),
    StatementSpec(
        "LL-AUTONOMY",
        "NHS England gives my CCG the freedom to commission in the way that suits local people.",
        LOCAL_LEADERSHIP,
        None,
    ),
    StatementSpec(
        "LL-CONSULT",
        "NHS England involves my CCG before it makes decisions that affect our local area.",
        LOCAL_LEADERSHIP,
        None,
    ),
    StatementSpec(
        "LL-MICROMANAGE",
        "NHS England tries to manage my CCG's business in too much detail.",
        LOCAL_LEADERSHIP,
        None,
        False,
    ),
    # Honesty and transparency
    StatementSpec("HT-OPEN", "NHS England is open and honest with my CCG.", HONESTY, None),
    StatementSpec("HT-INFORMATION", "NHS England shares the information my CCG needs in good time.", HONESTY, None),
    StatementSpec("HT-DECISIONS", "NHS England explains the reasons for its decisions to my CCG.", HONESTY, None),
    StatementSpec("HT-LISTEN", "NHS England listens to my CCG's concerns and acts on them.", HONESTY, None),
    StatementSpec(
        "HT-SURPRISES",
        "My CCG hears of NHS England decisions that affect it too late to respond.",
        HONESTY,
        None,
        False,
    ),
    # The area team and assurance
    StatementSpec("AT-EFFECTIVE", "My local area team works effectively with my CCG.", None, AREA_TEAM),
    StatementSpec(
        "AT-UNDERSTANDS", "My local area team understands my CCG's local health economy.", COMMON_PURPOSE, AREA_TEAM
    ),
    StatementSpec(
        "AT-ACCESSIBLE",
        "I know whom to contact in my local area team and can reach them when I need to.",
        None,
        AREA_TEAM,
    ),
    StatementSpec(
        "AT-CONSISTENT", "My local area team gives my CCG clear and consistent messages.", HONESTY, AREA_TEAM
    ),
    StatementSpec(
        "AT-CAPACITY",
        "My local area team does not have the capacity to work with my CCG as it should.",
        None,
        AREA_TEAM,
        False,
    ),
    StatementSpec(
        "AS-PROPORTIONATE", "NHS England's assurance of my CCG is proportionate.", LOCAL_LEADERSHIP, ASSURANCE
    ),
    StatementSpec(
        "AS-CLEAR", "My CCG understands how NHS England will assure it and what is expected of us.", HONESTY, ASSURANCE
    ),
    StatementSpec("AS-IMPROVE", "NHS England's assurance of my CCG helps us to improve.", None, ASSURANCE),
    StatementSpec(
        "AS-BURDEN", "Assurance by NHS England places an unnecessary burden on my CCG.", None, ASSURANCE, False
    ),
    # Direct commissioning and co-commissioning
    StatementSpec(
        "PC-EFFECTIVE", "NHS England works effectively with my CCG as commissioner of primary care.", None, PRIMARY_CARE
    ),
    StatementSpec("PC-VISION", "NHS England shares my CCG's vision for primary care.", COMMON_PURPOSE, PRIMARY_CARE),
    StatementSpec(
        "PC-POWERS",
        "NHS England understands its decision-making powers in primary care commissioning.",
        LOCAL_LEADERSHIP,
        PRIMARY_CARE,
    ),
    StatementSpec(
        "PC-QUALITY",
        "NHS England is improving the quality of primary care for my CCG's population.",
        None,
        PRIMARY_CARE,
    ),
    StatementSpec(
        "SS-EFFECTIVE",
        "NHS England works effectively with my CCG as commissioner of specialised services.",
        None,
        SPECIALISED,
    ),
    StatementSpec(
        "SS-PATHWAYS",
        "NHS England works with my CCG so that specialised services join up with local care.",
        COMMON_PURPOSE,
        SPECIALISED,
    ),
    StatementSpec(
        "SS-RISKS",
        "NHS England does not share openly the financial risks that specialised services pose to my CCG.",
        HONESTY,
        SPECIALISED,
        False,
    ),
    StatementSpec(
        "CC-EFFECTIVE",
        "NHS England and my CCG work well together where we commission services jointly.",
        None,
        CO_COMMISSIONING,
    ),
    StatementSpec(
        "CC-CLEAR",
        "It is clear which decisions my CCG and NHS England each take when we co-commission.",
        HONESTY,
        CO_COMMISSIONING,
    ),
    # Support, development and national level
    StatementSpec("SUPPORT", "NHS England offers the support and development my CCG needs.", None, SUPPORT_DEVELOPMENT),
    StatementSpec(
        "SD-TIMELY", "The support my CCG gets from NHS England arrives when we need it.", None, SUPPORT_DEVELOPMENT
    ),
    StatementSpec(
        "SD-LEARNING", "NHS England helps my CCG to learn from other CCGs.", COMMON_PURPOSE, SUPPORT_DEVELOPMENT
    ),
    StatementSpec("NATIONAL", "NHS England works effectively with CCGs at national level.", None, NATIONAL_LEVEL),
    StatementSpec(
        "NL-VOICE", "NHS England gives CCGs a real voice in national policy.", LOCAL_LEADERSHIP, NATIONAL_LEVEL
    ),
    StatementSpec(
        "NL-BARRIERS",
        "NHS England is tackling the national barriers to integrated care, such as pricing, "
        "information sharing and procurement.",
        None,
        NATIONAL_LEVEL,
    ),
    StatementSpec(
        "NL-GUIDANCE",
        "National guidance from NHS England arrives too late, or changes too often, for my CCG to plan.",
        None,
        NATIONAL_LEVEL,
        False,
    ),
)
