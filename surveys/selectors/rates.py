"""Fieldwork: response rates and who is yet to respond (invitations only, never answers)."""

from django.db.models import Count, Q

from accounts.models import LeadRole
from organisations.models import CCG, ENGLAND_CODE, AreaTeam, Region
from surveys.models import (
    Cycle,
    CycleState,
    Invitation,
)
from surveys.services.invitations import (
    reminders_count_due,
)


def _rate(invited: int, responded: int) -> float | None:
    return round(100 * responded / invited, 1) if invited else None


def response_rates(*, cycle: Cycle) -> dict:
    """Return invited, responded and rate, and CCGs in scope and with a response, by level and lead role.

    Computed by GROUP BY over the cycle's invitations (hundreds of rows), grouped by each CCG's area team.
    """
    submitted = Q(submitted_at__isnull=False)
    per_ccg = (
        Invitation.objects.filter(cycle=cycle)
        .values(
            "ccg_id", "ccg__ods_code", "ccg__area_team__ods_code", "ccg__area_team__region__ods_code", "rater_group"
        )
        .annotate(invited=Count("pk"), responded=Count("pk", filter=submitted))
        .order_by()
    )
    totals: dict = {}

    def add(key, row):
        entry = totals.setdefault(key, {"invited": 0, "responded": 0, "ccgs": set(), "ccgs_responding": set()})
        entry["invited"] += row["invited"]
        entry["responded"] += row["responded"]
        entry["ccgs"].add(row["ccg_id"])
        if row["responded"]:
            entry["ccgs_responding"].add(row["ccg_id"])

    for row in per_ccg:
        add(("england", ENGLAND_CODE), row)
        add(("region", row["ccg__area_team__region__ods_code"]), row)
        add(("area_team", row["ccg__area_team__ods_code"]), row)
        add(("rater_group", row["rater_group"]), row)

    def entry(key, name, **extra):
        e = totals.get(key, {"invited": 0, "responded": 0, "ccgs": set(), "ccgs_responding": set()})
        return {
            "code": key[1],
            "name": name,
            **extra,
            "invited": e["invited"],
            "responded": e["responded"],
            "rate": _rate(e["invited"], e["responded"]),
            "ccgs_in_scope": len(e["ccgs"]),
            "ccgs_responding": len(e["ccgs_responding"]),
        }

    return {
        "england": entry(("england", ENGLAND_CODE), "England"),
        "regions": [entry(("region", r.ods_code), r.name) for r in Region.objects.order_by("ods_code")],
        "area_teams": [
            entry(("area_team", at.ods_code), at.name, region=at.region.ods_code)
            for at in AreaTeam.objects.select_related("region").order_by("ods_code")
        ],
        "lead_roles": [entry(("rater_group", value), label) for value, label in LeadRole.choices],
    }


def fieldwork_dashboard(*, cycle: Cycle) -> dict:
    """Return response rates by level and lead role, the CCGs with no response yet, and reminders due.

    Names of CCGs only: never which lead did or did not answer what.
    """
    rates = response_rates(cycle=cycle)
    silent = (
        CCG.objects.filter(invitations__cycle=cycle)
        .annotate(
            submitted=Count("invitations", filter=Q(invitations__cycle=cycle, invitations__submitted_at__isnull=False))
        )
        .filter(submitted=0)
        .order_by("area_team__name", "name")
        .values("name", "ods_code", "area_team__name", "area_team__ods_code")
    )
    by_area_team: dict = {}
    for ccg in silent:
        by_area_team.setdefault((ccg["area_team__ods_code"], ccg["area_team__name"]), []).append(ccg)
    regions = {r["code"]: r for r in rates["regions"]}
    for region in regions.values():
        region["area_teams"] = []
    for at in rates["area_teams"]:
        regions[at["region"]]["area_teams"].append(at)
    return {
        **rates,
        "regions_with_area_teams": list(regions.values()),
        "non_responding": [{"code": code, "name": name, "ccgs": ccgs} for (code, name), ccgs in by_area_team.items()],
        "non_responding_count": sum(len(ccgs) for ccgs in by_area_team.values()),
        "reminders_due": reminders_count_due() if cycle.state == CycleState.OPEN else 0,
        "is_open": cycle.state == CycleState.OPEN,
    }
