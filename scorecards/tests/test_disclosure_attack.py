"""The attacker's view: no hidden figure of a published set comes back from the visible ones.

The set is built on the 2013 population's shape (273 leads from 177 of the 211 CCGs, over the 27 area
teams, answering the real questionnaire), which makes many small cells. The attacker
(``scorecards.tests.attack``, written apart from the suppression code) reads the set as each output
gives it (the API for England, every region and every area team; the data CSV; the workbook; the rows
the pages are drawn from), writes down every sum the output makes true and solves them all at once,
exactly. Nothing hidden may come out. A weaker suppression is also attacked, to show the attacker
finds what there is to find.
"""

import csv
import io
import random
from collections import Counter
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from exports.renderers.xlsx import GROUP, SHEETS
from exports.services import export_render
from organisations.models import CCG, AreaTeam, Region
from scorecards import disclosure
from scorecards.models import EACH_CCG, ENGLAND_CODE, Level, Scorecard
from scorecards.services.publishing import hiding
from scorecards.tests.attack import recover
from scorecards.tests.factories import (
    Q,
    ccg_classes,
    current_rows,
    import_for,
    import_responses,
    invite,
    make_cycle,
    recompute_and_publish,
)
from surveys.models import Cycle, CycleState, Question, QuestionType
from surveys.services import cycle_create

pytestmark = pytest.mark.django_db

LEAD_ROLES = ("clinical", "managerial", "financial")
LEAD_VIEWS = ("", *LEAD_ROLES, EACH_CCG)
YEAR = 2013


def _population(seed: int) -> list[tuple[str, str]]:
    """Return 273 (CCG code, lead role) pairs from 177 CCGs, at most one lead per role in a CCG."""
    rng = random.Random(seed)
    ccgs = sorted(CCG.objects.values_list("ods_code", flat=True))
    responding = rng.sample(ccgs, 177)
    leads = [(ccg, rng.choice(LEAD_ROLES)) for ccg in responding]  # every responding CCG: one lead
    spare = [(ccg, role) for ccg in responding for role in LEAD_ROLES if (ccg, role) not in set(leads)]
    leads += rng.sample(spare, 273 - 177)
    return leads


def _answers(rng: random.Random, codes: list[str]) -> dict:
    # Skewed like the 2013 answers, with some "don't know" and some left blank.
    choices = [5, 4, 4, 3, 2, 2, 1, "DK", ""]
    return {code: rng.choice(choices) for code in codes}


@pytest.fixture
def published_2013(organisations, analyst):
    cycle = cycle_create(year=YEAR)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.OPEN)
    cycle.refresh_from_db()
    codes = list(
        Question.objects.filter(questionnaire__cycle=cycle, type=QuestionType.AGREEMENT).values_list("code", flat=True)
    )
    rng = random.Random(2013)
    invitations = [invite(cycle, ccg, role) for ccg, role in _population(2013)]
    import_for(cycle, [(invitation, _answers(rng, codes)) for invitation in invitations])
    recompute_and_publish(cycle)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.PUBLISHED)
    cycle.refresh_from_db()
    return cycle


def _db_rows(cycle) -> list[dict]:
    """The published rows the pages are drawn from (the scorecard and league table read models read these)."""
    fields = [f.name for f in Scorecard._meta.concrete_fields if f.name not in ("id", "scorecard_set")]
    return list(current_rows(cycle).values(*fields))


def _api_rows(client, user, cycle) -> list[dict]:
    """Every organisation's scorecard as the API gives it, with the hierarchy the organisations API gives."""
    client.force_login(user)
    parents = {r.ods_code: ENGLAND_CODE for r in Region.objects.all()}
    parents.update({at.ods_code: at.region.ods_code for at in AreaTeam.objects.select_related("region")})
    queries = [("england", None)]
    queries += [("region", code) for code in Region.objects.values_list("ods_code", flat=True)]
    queries += [("area_team", code) for code in AreaTeam.objects.values_list("ods_code", flat=True)]
    rows = []
    for level, code in queries:
        params = {"level": level, "rater_group": LEAD_VIEWS, **({"code": code} if code else {})}
        response = client.get(f"/api/v1/cycles/{cycle.year}/scorecards/", params)
        assert response.status_code == 200, response.content
        body = response.json()
        for item in body["items"]:
            rows.append(
                {
                    **item,
                    "level": level,
                    "org_code": body["code"],
                    "parent_code": parents.get(body["code"], ""),
                    "behaviour_code": item["behaviour"],
                    "role_code": item["role"],
                }
            )
    return rows


def _csv_rows(cycle) -> list[dict]:
    out = io.BytesIO()
    export_render(cycle=cycle, format="csv", out=out)
    lines = [line for line in out.getvalue().decode("utf-8").splitlines() if not line.startswith("#")]
    rows = []
    for row in csv.DictReader(lines):
        hidden = row["suppressed"] == "true"
        parsed = {k: row[k] for k in ("level", "org_code", "parent_code", "kind", "code", "rater_group")}
        parsed["suppressed"] = hidden
        for field in (
            "base",
            "n5",
            "n4",
            "n3",
            "n2",
            "n1",
            "dont_know",
            "score",
            "pct_positive",
            "ccgs",
            "effective_base",
        ):
            value = row.get(field, "")
            parsed[field] = None if hidden or value in ("", None) else float(value)
        rows.append(parsed)
    # The file says which statement belongs to which behaviour and role in its questions' rows' codes only
    # through the published questionnaire, which an attacker has: take it from the pages' rows.
    return rows


def _xlsx_rows(cycle, db_rows: list[dict]) -> list[dict]:
    out = io.BytesIO()
    export_render(cycle=cycle, format="xlsx", out=out)
    workbook = load_workbook(io.BytesIO(out.getvalue()), read_only=False)
    kinds = {row["code"]: row["kind"] for row in db_rows}
    headings = {heading: field for field, heading, _ in GROUP}
    rows = []
    for level, title in SHEETS:
        sheet = workbook[title]
        fixed = 2 if level == Level.ENGLAND else 3
        items = {}
        for col in range(fixed + 1, sheet.max_column + 1):
            item = sheet.cell(row=1, column=col).value
            if item:
                current = item.split(":", 1)[0]
            items[col] = (current, headings[sheet.cell(row=2, column=col).value])
        for r in range(3, sheet.max_row + 1):
            org = sheet.cell(row=r, column=1).value
            parent = sheet.cell(row=r, column=3).value if fixed == 3 else ""
            cells: dict = {}
            for col, (code, field) in items.items():
                cells.setdefault(code, {})[field] = sheet.cell(row=r, column=col).value
            for code, values in cells.items():
                hidden = values.get("base") == "[s]"
                rows.append(
                    {
                        "level": level,
                        "org_code": org,
                        "parent_code": parent,
                        "kind": kinds[code],
                        "code": code,
                        "rater_group": "",
                        "suppressed": hidden,
                        **({} if hidden else {k: values.get(k) for k in ("base", "score", "pct_positive")}),
                    }
                )
    return rows


def _with_membership(rows: list[dict], db_rows: list[dict]) -> list[dict]:
    """Add each question's behaviour and role (from the published questionnaire) to rows that lack them."""
    tags = {r["code"]: (r["behaviour_code"], r["role_code"]) for r in db_rows if r["kind"] == "question"}
    for row in rows:
        if row["kind"] == "question":
            row["behaviour_code"], row["role_code"] = tags[row["code"]]
    return rows


def test_the_fixture_has_many_small_cells(published_2013):
    rows = _db_rows(published_2013)
    hidden = Counter(row["suppression_reason"] for row in rows if row["suppressed"])
    assert sum(1 for row in rows if row["level"] == Level.AREA_TEAM and row["suppressed"]) > 1000
    assert hidden["primary"] > 500 and hidden["secondary"] > 50


def test_no_hidden_figure_comes_back_from_any_output(published_2013, client, analyst):
    db_rows = _db_rows(published_2013)
    outputs = {
        "pages": db_rows,
        "api": _api_rows(client, analyst, published_2013),
        "csv": _with_membership(_csv_rows(published_2013), db_rows),
        "xlsx": _with_membership(_xlsx_rows(published_2013, db_rows), db_rows),
    }
    assert len(outputs["api"]) == len(db_rows)
    assert sum(1 for row in db_rows if row["rater_group"] == EACH_CCG and not row["suppressed"]) > 100
    classes = ccg_classes(published_2013)
    for name, rows in outputs.items():
        fields = ("base", "score_total", "positive_total") if name == "xlsx" else None
        assert recover(rows, fields=fields, ccg_classes=classes) == [], name


def test_group_figures_carry_no_answer_counts(published_2013):
    groups = [row for row in _db_rows(published_2013) if row["kind"] != "question" and not row["suppressed"]]
    assert groups
    assert all(row[f] is None for row in groups for f in ("n5", "n4", "n3", "n2", "n1", "dont_know", "answers"))


def _one_relation_at_a_time(*, sizes, primary, relations, protected=(), preferred=(), shown_with=None, unprotected=()):
    """The rule this portal used before: where a relation has exactly one hidden cell, hide the next-smallest
    (its weighted figures hidden with the leads' only, as classes were unknown to it)."""
    reasons = {cell: disclosure.PRIMARY for cell in primary}
    changed = True
    while changed:
        changed = False
        for relation in relations:
            cells = (relation.parent, *relation.children)
            if len([c for c in cells if c in reasons and sizes.get(c, 0) > 0]) != 1:
                continue
            candidates = sorted(
                (sizes[c], repr(c), c) for c in relation.children if c not in reasons and sizes.get(c, 0) > 0
            )
            if not candidates and relation.parent not in reasons and sizes.get(relation.parent, 0) > 0:
                candidates = [(0, "", relation.parent)]
            if candidates:
                reasons[candidates[0][2]] = disclosure.SECONDARY
                changed = True
    return reasons


def test_the_attacker_finds_the_lead_that_a_one_relation_at_a_time_rule_gave_away(organisations, monkeypatch):
    # Given Y54 with Q44: 3 clinical (answering 4) and 3 managerial (all "strongly agree"); Q45: 3 clinical;
    # Q46: 8 clinical, 2 managerial, 5 financial; and Y55's Q53: 5 clinical; one statement.
    cycle = make_cycle(2014, CycleState.OPEN, [Q("T-POS", "NHS England listens.", behaviour="T-B")])
    rows = [
        *[("01C", "clinical", {"T-POS": 4})] * 3,
        *[("01R", "managerial", {"T-POS": 5})] * 3,
        *[("00C", "clinical", {"T-POS": 2})] * 3,
        *[("00T", "clinical", {"T-POS": 4})] * 8,
        *[("00V", "managerial", {"T-POS": 3})] * 2,
        *[("00W", "financial", {"T-POS": 5})] * 5,
        *[("05A", "clinical", {"T-POS": 1})] * 5,
    ]
    import_responses(cycle, rows)

    # When it is published under the old rule, which checks each sum on its own
    monkeypatch.setattr(disclosure, "complementary_suppression", _one_relation_at_a_time)
    recompute_and_publish(cycle)
    found = {(key, field): value for key, field, value in recover(_db_rows(cycle))}

    # Then the attacker, chaining Y54 − Q46 with Q44's and Q45's lead roles, reads Q44's managerial leads:
    # three people, all "strongly agree"
    q44_managerial = ("Q44", "question", "T-POS", "managerial")
    assert found[(q44_managerial, "base")] == 3
    assert found[(q44_managerial, "n5")] == 3
    assert found[(q44_managerial, "score_total")] == 30
    # And with this portal's rule nothing comes out of the same data
    monkeypatch.undo()
    recompute_and_publish(cycle)
    assert recover(_db_rows(cycle)) == []


def _weighted_hidden_with_leads_only(reasons, sizes, orgs, items, views, classes, min_base):
    """A weaker rule: the "each CCG counts once" figure hidden only where the leads' figure is."""
    return {(*cell[:4], EACH_CCG): reason for cell, reason in reasons.items() if cell[4] == ""}


def test_the_attacker_separates_ccgs_when_each_ccg_counting_once_is_hidden_only_with_the_leads(
    organisations, monkeypatch
):
    # Given Q53 (Y55) with 3 clinical leads of one CCG, all answering 2; Q54 (Y55) with 8 of another CCG; and
    # Q46 (Y54) with 10 of a third: Q53 is too small, so Q54 is hidden too and Y55 = Q53 + Q54 gives neither
    cycle = make_cycle(2014, CycleState.OPEN, [Q("T-POS", "NHS England listens.", behaviour="T-B")])
    rows = [
        *[("05A", "clinical", {"T-POS": 2})] * 3,
        *[("04X", "clinical", {"T-POS": 4})] * 8,
        *[("00T", "clinical", {"T-POS": 5})] * 10,
    ]
    import_responses(cycle, rows)

    # When it is published with the weighted figures hidden only where the leads' are
    monkeypatch.setattr(hiding, "_each_ccg_reasons", _weighted_hidden_with_leads_only)
    recompute_and_publish(cycle)
    found = {(key, field): value for key, field, value in recover(_db_rows(cycle), ccg_classes=ccg_classes(cycle))}

    # Then Y55's two figures (Σ x = S3 + S8 and Σ x / m = S3 / 3 + S8 / 8) give Q53's three leads away:
    # three people whose answers of "disagree" score 2.5 each
    q53 = ("Q53", "question", "T-POS", "")
    assert found[(q53, "score_total")] == Fraction(15, 2)
    assert found[(q53, "base")] == 3
    # And with this portal's rule nothing comes out of the same data: Y55's and England's weighted figures
    # are hidden as well
    monkeypatch.undo()
    recompute_and_publish(cycle)
    assert recover(_db_rows(cycle), ccg_classes=ccg_classes(cycle)) == []
    hidden = {(r["org_code"], r["code"]) for r in _db_rows(cycle) if r["rater_group"] == EACH_CCG and r["suppressed"]}
    assert {("Y55", "T-POS"), ("ENG", "T-POS")} <= hidden
    assert ("Q46", "T-POS") not in hidden
