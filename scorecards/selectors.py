"""Reads of published scorecards, scoped to what the caller may see."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.errors import NotFound, PermissionDenied
from organisations.models import AreaTeam, Region
from organisations.selectors import MSG_NO_SUCH_ORG
from scorecards.models import ALL_LEADS, ENGLAND_CODE, SELF, ItemKind, Level, Scorecard, ScorecardSet, ScorecardState
from surveys.models import Cycle
from surveys.selectors import cycle_check_readable

MSG_OTHER_AREA_TEAM = "You can see England, your region and your own area team only."


# A cycle's current scorecard set, with the cycle's id, year and state, by year (one row, or none). The
# league table runs it on every request (a warm page is this query and its kept page): written out, since
# compiling the three-table select cost the ORM twice what running it costs the database.
_SET_FIELDS = [field.attname for field in ScorecardSet._meta.concrete_fields]
_CYCLE_AND_SET_SQL = f"""
SELECT {", ".join(f"s.{name}" for name in _SET_FIELDS)}, c.id, c.year, c.state
FROM surveys_cycle c
LEFT JOIN reports_scorecardstate st ON st.cycle_id = c.id
LEFT JOIN reports_scorecardset s ON s.id = st.current_set_id
WHERE c.year = %s
"""  # noqa: S608 - column names from the model; the year is a parameter


def results_cycle_and_set_for_user(*, user, year: int) -> tuple[Cycle, ScorecardSet | None]:
    """Return the cycle as ``surveys.selectors.cycle_readable_by`` does, with its current scorecard set, in one query.

    The cycle comes with its id, year and state; any other field is read from the database if asked for.
    """
    with connection.cursor() as cursor:
        cursor.execute(_CYCLE_AND_SET_SQL, [year])
        row = cursor.fetchone()
    if row is None:
        return cycle_check_readable(user=user, year=year, cycle=None), None
    set_values, cycle_values = row[: len(_SET_FIELDS)], row[len(_SET_FIELDS) :]
    cycle = cycle_check_readable(
        user=user, year=year, cycle=Cycle.from_db(connection.alias, ["id", "year", "state"], cycle_values)
    )
    if set_values[0] is None:
        return cycle, None
    return cycle, ScorecardSet.from_db(connection.alias, _SET_FIELDS, _from_db_values(set_values))


def _from_db_values(set_values) -> list:
    # What the ORM would do to the set's columns. PostgreSQL hands back integers and datetimes as they
    # are, so the look-up of converters is skipped on the league table's every request; SQLite's
    # datetimes come back as text.
    values = list(set_values)
    if connection.vendor == "postgresql":
        return values
    for index, field in enumerate(ScorecardSet._meta.concrete_fields):
        column = field.get_col(ScorecardSet._meta.db_table)
        for converter in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
            values[index] = converter(values[index], column, connection)
    return values


def current_set(*, cycle: Cycle) -> ScorecardSet | None:
    """Return the cycle's current published scorecard set (None before the first build)."""
    state = ScorecardState.objects.select_related("current_set").filter(cycle=cycle).first()
    return state.current_set if state else None


def org_allowed_for_user(*, user, level: str, code: str) -> None:
    """Raise unless ``user`` may read ``level``/``code``: area team members see England, their region and team."""
    if not user.is_area_team_member:
        return
    own = user.area_team
    allowed = {(Level.ENGLAND, ENGLAND_CODE), (Level.REGION, own.region.ods_code), (Level.AREA_TEAM, own.ods_code)}
    if (level, code) not in allowed:
        raise PermissionDenied(MSG_OTHER_AREA_TEAM)


def resolve_org(*, level: str, code: str | None) -> str:
    """Return the organisation code for ``level`` (England's own code for England), checking it exists."""
    if level == Level.ENGLAND:
        return ENGLAND_CODE
    code = (code or "").upper()
    model = Region if level == Level.REGION else AreaTeam
    if not model.objects.filter(ods_code=code).exists():
        raise NotFound(MSG_NO_SUCH_ORG.format(level=Level(level).label.lower(), code=code))
    return code


def scorecard_rows_for_user(
    *, user, cycle: Cycle, level: str, code: str | None, rater_groups: Iterable[str] | None = None
) -> QuerySet[Scorecard]:
    """Return one organisation's published rows (every item; every view, or those of ``rater_groups``) in
    report order."""
    org = resolve_org(level=level, code=code)
    org_allowed_for_user(user=user, level=level, code=org)
    scorecard_set = current_set(cycle=cycle)
    if scorecard_set is None:
        return Scorecard.objects.none()
    rows = Scorecard.objects.filter(scorecard_set=scorecard_set, level=level, org_code=org)
    if rater_groups is not None:
        rows = rows.filter(rater_group__in=list(rater_groups))
    return rows.order_by("order", "rater_group")


def cycles_publish_behind() -> list[int]:
    """Return the cycles whose published figures are behind their aggregates, with no publish about to run.

    A publish queued more than ``SCORECARD_PUBLISH_OVERDUE_SECONDS`` ago that has not run is taken as lost
    with its worker (the refresh's own delay is seconds).
    """
    overdue = timezone.now() - dt.timedelta(seconds=settings.SCORECARD_PUBLISH_OVERDUE_SECONDS)
    return list(
        ScorecardState.objects.filter(published_version__lt=F("aggregates_version"))
        .filter(Q(publish_queued_at__isnull=True) | Q(publish_queued_at__lt=overdue))
        .values_list("cycle_id", flat=True)
    )


def area_team_codes_readable_by(*, user) -> set[str] | None:
    """Return the area teams whose scorecards ``user`` may open by code; None for every one.

    An area team's members open their own only (``org_allowed_for_user``); everyone else who may read a
    cycle's results opens them all.
    """
    if user.is_area_team_member:
        return {user.area_team.ods_code}
    return None


def self_and_leads_rows(*, scorecard_set: ScorecardSet) -> QuerySet[Scorecard]:
    """Return every area team's headline rows (overall, behaviours, roles) for the self-assessment and the CCG
    leads, in report order: what the national count of blind spots and hidden strengths is made of.

    The counts are England-wide and shown to everyone who may read the cycle; which area teams they are is for
    the caller to scope (``area_team_codes_readable_by``).
    """
    return (
        Scorecard.objects.filter(
            scorecard_set_id=scorecard_set.pk,
            level=Level.AREA_TEAM,
            kind__in=(ItemKind.OVERALL, ItemKind.BEHAVIOUR, ItemKind.ROLE),
            rater_group__in=(ALL_LEADS, SELF),
        )
        .only("org_code", "org_name", "kind", "code", "label", "order", "rater_group", "suppressed", "score")
        .order_by("order", "org_name", "rater_group")
    )
