"""The national page of blind spots and hidden strengths: for each behaviour and role (and all statements), how
many area teams' self-assessments sit more than a third of the scale above or below their CCG leads.

Two queries whatever the number of area teams (the cycle with its set, then the area teams' self and leads
rows); the gap is ``scorecards.presentation.self_gap``, as on each area team's scorecard.
"""

from dataclasses import dataclass, field

from scorecards import presentation, selectors
from scorecards.models import ALL_LEADS, SELF, ItemKind, ScorecardSet
from surveys.models import Cycle


@dataclass
class TeamGap:
    code: str
    name: str
    linked: bool  # whether the caller may open this area team's scorecard (and so read its name here)


@dataclass
class GapCount:
    """One behaviour, role or all statements: the area teams flagged either way, and how many could be compared."""

    kind: str
    code: str
    label: str
    blind_spots: list = field(default_factory=list)  # of TeamGap
    hidden_strengths: list = field(default_factory=list)
    compared: int = 0  # area teams with both a self-assessment and a shown CCG leads' figure

    @property
    def blind_spots_named(self) -> list:
        return [team for team in self.blind_spots if team.linked]

    @property
    def hidden_strengths_named(self) -> list:
        return [team for team in self.hidden_strengths if team.linked]

    @property
    def neither(self) -> int:
        return self.compared - len(self.blind_spots) - len(self.hidden_strengths)


@dataclass
class NationalGaps:
    cycle: Cycle
    scorecard_set: ScorecardSet | None
    overall: list = field(default_factory=list)  # of GapCount (one: all statements)
    behaviours: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    area_teams: int = 0  # area teams with a published row
    with_self: int = 0  # of them, those that gave a self-assessment

    @property
    def hints(self) -> list:
        return [(presentation.GAP_LABELS[gap], hint) for gap, hint in presentation.GAP_HINTS.items()]

    @property
    def sections(self) -> list:
        """Return (id, heading, counts) for the page's tables, in the page's order."""
        return [
            ("overall", "All statements", self.overall),
            ("behaviours", "By behaviour", self.behaviours),
            ("roles", "By role", self.roles),
        ]


def national_gaps(*, user, cycle: Cycle, scorecard_set: ScorecardSet | None) -> NationalGaps:
    """Return the count of blind spots and hidden strengths across area teams, naming only those ``user`` may open."""
    page = NationalGaps(cycle=cycle, scorecard_set=scorecard_set)
    if scorecard_set is None:
        return page
    readable = selectors.area_team_codes_readable_by(user=user)
    by_item: dict = {}
    names: dict = {}
    for row in selectors.self_and_leads_rows(scorecard_set=scorecard_set):
        names[row.org_code] = row.org_name
        item = by_item.setdefault((row.kind, row.code), {"label": row.label, "teams": {}})
        item["teams"].setdefault(row.org_code, {})[row.rater_group] = row
    teams_with_self = set()
    lists = {ItemKind.OVERALL: page.overall, ItemKind.BEHAVIOUR: page.behaviours, ItemKind.ROLE: page.roles}
    for (kind, code), item in by_item.items():
        count = GapCount(kind=kind, code=code, label=item["label"])
        for org_code, cells in sorted(item["teams"].items(), key=lambda pair: names[pair[0]]):
            own, leads = cells.get(SELF), cells.get(ALL_LEADS)
            self_score = own.score if own is not None and not own.suppressed else None
            leads_score = leads.score if leads is not None and not leads.suppressed else None
            if self_score is not None:
                teams_with_self.add(org_code)
            if self_score is None or leads_score is None:
                continue
            count.compared += 1
            gap = presentation.self_gap(self_score, leads_score)
            team = TeamGap(code=org_code, name=names[org_code], linked=readable is None or org_code in readable)
            if gap == presentation.BLIND_SPOT:
                count.blind_spots.append(team)
            elif gap == presentation.HIDDEN_STRENGTH:
                count.hidden_strengths.append(team)
        lists[kind].append(count)
    page.area_teams = len(names)
    page.with_self = len(teams_with_self)
    return page
