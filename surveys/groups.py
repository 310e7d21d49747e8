"""Which rater groups a cycle asks, and how each is named to the people in it (emails, lists, files).

Pure functions of a cycle and an invitation, shared by the services (imports, emails) and the selectors
(rates), so that a group is switched on, and spoken of, in one way everywhere.
"""

from surveys.models import LEAD_GROUPS, PARTNER_GROUPS, Cycle, RaterGroup

# Groups that appraise their CCG's area team (a CCG on every invitation); the others name the area team only.
CCG_GROUPS = (*LEAD_GROUPS, RaterGroup.PRACTICE.value)
SELF = RaterGroup.SELF.value
# The order groups are listed in everywhere: CCG leads, then partners, then self.
ALL_GROUPS = (*LEAD_GROUPS, *PARTNER_GROUPS, SELF)
GROUP_LABELS = dict(RaterGroup.choices)


def cycle_rater_groups(cycle: Cycle) -> tuple[str, ...]:
    """Return the rater groups ``cycle`` asks, in list order: the CCG leads always, then what is switched on."""
    partners = set(cycle.partner_groups or ())
    return (
        *LEAD_GROUPS,
        *(group for group in PARTNER_GROUPS if group in partners),
        *((SELF,) if cycle.self_assessment else ()),
    )


def rater_group_as(*, rater_group: str, ccg_name: str = "", area_team_name: str = "") -> str:
    """Return the words after "as" (or "you gave as") for a respondent in ``rater_group``.

    "the clinical lead of NHS Leeds North CCG", "a GP member practice of …", "patients' representative for
    <area team>", "local government for <area team>", "a member of <area team>, for your area team's
    self-assessment". Never "lead" for anyone but a CCG lead.
    """
    if rater_group in LEAD_GROUPS:
        return f"the {GROUP_LABELS[rater_group].lower()} of {ccg_name}"
    if rater_group == RaterGroup.PRACTICE:
        return f"a GP member practice of {ccg_name}"
    if rater_group == RaterGroup.PATIENTS:
        return f"patients' representative for {area_team_name}"
    if rater_group == RaterGroup.LOCAL_GOVERNMENT:
        return f"local government for {area_team_name}"
    return f"a member of {area_team_name}, for your area team's self-assessment"


def invitation_intro(*, rater_group: str, year: int, ccg_name: str = "", area_team_name: str = "") -> str:
    """Return the invitation's (and reminder's) first sentence for someone in ``rater_group``."""
    if rater_group == SELF:
        return (
            f"As a member of {area_team_name}, you are invited to fill in your area team's self-assessment in the "
            f"{year} appraisal of NHS England, run by NHS Clinical Commissioners. Every member of the area team can "
            "open and edit the one self-assessment; it is submitted once, for the area team."
        )
    as_whom = rater_group_as(rater_group=rater_group, ccg_name=ccg_name, area_team_name=area_team_name)
    if rater_group in LEAD_GROUPS:
        return (
            f"As {as_whom}, you are invited to take part in the {year} appraisal of NHS England by clinical "
            "commissioning groups, run by NHS Clinical Commissioners."
        )
    return (
        f"As {as_whom}, you are invited to take part in the {year} appraisal of NHS England, run by NHS Clinical "
        f"Commissioners: how its area team, {area_team_name}, works with you."
    )


def confidentiality(*, rater_group: str, min_base: int) -> str:
    """Return what the respondent is told about who will see their answers."""
    if rater_group == SELF:
        return (
            "The self-assessment is your area team's own corporate view: it is published with the results, beside "
            "how others see the area team, and never pooled with anyone else's answers."
        )
    return (
        "Your individual answers are confidential: results are published only for groups of at least "
        f"{min_base} people, so no one can tell which answers are yours."
    )
