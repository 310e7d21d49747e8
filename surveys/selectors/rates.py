"""Fieldwork: response rates and who is yet to respond (invitations only, never answers)."""

from django.db.models import Count, Q

from accounts.models import LeadRole
from organisations.models import CCG, ENGLAND_CODE, AreaTeam, Region
from surveys.groups import ALL_GROUPS, GROUP_LABELS, cycle_rater_groups
from surveys.models import (
    LEAD_GROUPS,
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
    """Return invited, responded and rate, and CCGs in scope and with a response, by level, lead role and rater group.

    Computed by GROUP BY over the cycle's invitations (hundreds of rows), grouped by the area team each
    invitation appraises (``invitation.area_team``: partners and self have no CCG). Totals count everyone
    invited, in every group; CCG coverage counts the CCGs of the CCG leads' invitations, as in 2013.
    ``lead_roles`` lists the three lead roles; ``rater_groups`` every group the cycle asks (and any other
    group that has invitations), with ``ccg_leads`` their pool.
    """
    submitted = Q(submitted_at__isnull=False)
    per_ccg = (
        Invitation.objects.filter(cycle=cycle)
        .values("ccg_id", "area_team__ods_code", "area_team__region__ods_code", "rater_group")
        .annotate(invited=Count("pk"), responded=Count("pk", filter=submitted))
        .order_by()
    )
    totals: dict = {}

    def add(key, row):
        entry = totals.setdefault(key, {"invited": 0, "responded": 0, "ccgs": set(), "ccgs_responding": set()})
        entry["invited"] += row["invited"]
        entry["responded"] += row["responded"]
        if row["ccg_id"] is not None and row["rater_group"] in LEAD_GROUPS:
            entry["ccgs"].add(row["ccg_id"])
            if row["responded"]:
                entry["ccgs_responding"].add(row["ccg_id"])

    groups_invited = set()
    for row in per_ccg:
        groups_invited.add(row["rater_group"])
        add(("england", ENGLAND_CODE), row)
        add(("region", row["area_team__region__ods_code"]), row)
        add(("area_team", row["area_team__ods_code"]), row)
        add(("rater_group", row["rater_group"]), row)
        if row["rater_group"] in LEAD_GROUPS:
            add(("pool", "ccg_leads"), row)

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

    asked = set(cycle_rater_groups(cycle)) | groups_invited
    return {
        "england": entry(("england", ENGLAND_CODE), "England"),
        "regions": [entry(("region", r.ods_code), r.name) for r in Region.objects.order_by("ods_code")],
        "area_teams": [
            entry(("area_team", at.ods_code), at.name, region=at.region.ods_code)
            for at in AreaTeam.objects.select_related("region").order_by("ods_code")
        ],
        "lead_roles": [entry(("rater_group", value), label) for value, label in LeadRole.choices],
        "ccg_leads": entry(("pool", "ccg_leads"), "CCG leads"),
        "rater_groups": [entry(("rater_group", group), GROUP_LABELS[group]) for group in ALL_GROUPS if group in asked],
    }


def fieldwork_dashboard(*, cycle: Cycle) -> dict:
    """Return response rates by level, lead role and rater group, the CCGs whose leads have not responded yet,
    and reminders due.

    Names of CCGs only: never which lead did or did not answer what. A CCG counts as responding by its
    leads alone (its GP member practices are a rater group of their own).
    """
    rates = response_rates(cycle=cycle)
    leads = Q(invitations__cycle=cycle, invitations__rater_group__in=LEAD_GROUPS)
    silent = (
        CCG.objects.filter(leads)
        .annotate(submitted=Count("invitations", filter=leads & Q(invitations__submitted_at__isnull=False)))
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
