"""Scorecards: the figures every page, API and export shows (DESIGN.md §3–4).

Three layers, each small and exact:

- ``ResponseScore``: one submitted response's scores in each behaviour, role and overall (the mean
  of the item scores it gave there), computed once from its answers, which never change.
- ``ScorecardAggregate``: sufficient statistics (integer counts and sums) per cycle × area team ×
  lead role × item. Integers only, so adding one response at a time (incremental) and one GROUP BY
  over everything (full) give identical numbers. Never shown to anyone.
- ``Scorecard``: the published figures per level (England, region, area team) × item × lead role,
  with intervals, suppression and change, built from the aggregates as one versioned
  ``ScorecardSet`` so that readers never see a half-written set. Suppressed rows hold no numbers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from organisations.models import ENGLAND_CODE  # noqa: F401 - re-exported: England's code in published rows
from surveys.models import QUESTIONNAIRE_MAX_GROUPS


class ItemKind(models.TextChoices):
    QUESTION = "question", "Question"
    BEHAVIOUR = "behaviour", "Behaviour"
    ROLE = "role", "Role"
    OVERALL = "overall", "Overall"


class Level(models.TextChoices):
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    AREA_TEAM = "area_team", "Area team"


OVERALL_CODE = "OVERALL"
# The rater views a published row is for (``Scorecard.rater_group``): each rater group of
# ``surveys.models.RaterGroup``, and these pools of them. The area team's self-assessment is in no pool.
ALL_LEADS = ""  # the CCG leads (clinical, managerial and financial): the headline view, comparable with 2013
ALL_PARTNERS = "partners"  # GP member practices, patients' representatives and local government
EVERYONE_BUT_SELF = "others"  # the CCG leads and the partners
SELF = "self"  # the area team's own corporate view
# The CCG leads again, weighted so that each responding CCG counts once (DESIGN.md §4): a CCG's leads in a
# cell share a weight of 1, each 1 / the number of them there. Published beside ``ALL_LEADS``.
EACH_CCG = "ccgs"


class _Counts(models.Model):
    n5 = models.IntegerField(default=0)
    n4 = models.IntegerField(default=0)
    n3 = models.IntegerField(default=0)
    n2 = models.IntegerField(default=0)
    n1 = models.IntegerField(default=0)
    dk = models.IntegerField(default=0)
    # Answers favourable / unfavourable to NHS England (agreeing with a positively worded statement,
    # disagreeing with a negatively worded one, and the reverse).
    favourable = models.IntegerField(default=0)
    unfavourable = models.IntegerField(default=0)

    class Meta:
        abstract = True


class ScorecardState(models.Model):
    """Per cycle: the lock both refresh paths take, and which aggregates are published."""

    cycle = models.OneToOneField("surveys.Cycle", on_delete=models.CASCADE, related_name="scorecard_state")
    aggregates_version = models.PositiveIntegerField(default=0)
    published_version = models.PositiveIntegerField(default=0)
    current_set = models.ForeignKey("ScorecardSet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_full_recompute_at = models.DateTimeField(null=True, blank=True)
    # When a refresh last queued a publish that has not started yet (None: none queued).
    publish_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table it had in the reports app, kept when it moved here (no data was copied).
        db_table = "reports_scorecardstate"

    def __str__(self):
        return f"Scorecards {self.cycle_id}: aggregates v{self.aggregates_version}, published v{self.published_version}"


class AppliedResponse(models.Model):
    """A submitted response whose answers are in the aggregates (so a task run twice adds it once)."""

    response = models.OneToOneField("surveys.Response", on_delete=models.CASCADE, primary_key=True, related_name="+")
    cycle = models.ForeignKey("surveys.Cycle", on_delete=models.CASCADE, related_name="+")

    class Meta:
        # The table it had in the reports app, kept when it moved here (no data was copied).
        db_table = "reports_appliedresponse"

    def __str__(self):
        return f"Applied response {self.response_id}"


# How many behaviour, role and overall groups a cycle's questionnaire may have: one column each keeps
# a response's scores in one row. The questionnaire's limit, checked when it is built and when its
# cycle opens (not at the first submission).
SCORE_SLOTS = QUESTIONNAIRE_MAX_GROUPS


class ResponseScore(models.Model):
    """One submitted response's scores: its mean item score in each behaviour, role and overall, in milli-points.

    Column ``sNN`` holds the score of the cycle's group in slot NN (its groups numbered in order of
    kind and primary key, never code, see ``scorecards.services.aggregation``), ``pNN`` and ``uNN`` its shares of
    favourable and unfavourable answers there (in hundredths of a percent); all empty where the
    response answered none of the group's statements on the scale. One narrow row per response, so that summing every
    response's scores reads a few megabytes, not one row per group.
    """

    response = models.OneToOneField("surveys.Response", on_delete=models.CASCADE, primary_key=True, related_name="+")
    cycle = models.ForeignKey("surveys.Cycle", on_delete=models.CASCADE, related_name="+")
    area_team = models.ForeignKey("organisations.AreaTeam", on_delete=models.PROTECT, related_name="+")
    # The respondent's CCG (CCG leads and practices; empty for the others), for the "each CCG counts once" view.
    ccg = models.ForeignKey(
        "organisations.CCG",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    rater_group = models.CharField(max_length=20)

    class Meta:
        # The table it had in the reports app, kept when it moved here (no data was copied).
        db_table = "reports_responsescore"
        indexes = [models.Index(fields=["cycle", "area_team"], name="response_scores_cycle_at")]

    def __str__(self):
        return f"Scores of response {self.response_id}"


def score_column(slot: int) -> str:
    """Return the name of the ``ResponseScore`` column for a group slot's score (1-based)."""
    return f"s{slot:02d}"


def positive_column(slot: int) -> str:
    """Return the name of the ``ResponseScore`` column for a group slot's share of favourable answers."""
    return f"p{slot:02d}"


def negative_column(slot: int) -> str:
    """Return the name of the ``ResponseScore`` column for a group slot's share of unfavourable answers."""
    return f"u{slot:02d}"


for _slot in range(1, SCORE_SLOTS + 1):
    for _column in (score_column, positive_column, negative_column):
        ResponseScore.add_to_class(_column(_slot), models.IntegerField(null=True, blank=True))


class ScorecardAggregate(_Counts):
    """Sufficient statistics for one cycle × area team × lead role × item (internal; never shown).

    For behaviour, role and overall rows only ``people`` and the sums over respondents are stored (score,
    favourable and unfavourable shares): a group is measured per respondent, and publishes no answer counts.
    """

    cycle = models.ForeignKey("surveys.Cycle", on_delete=models.CASCADE, related_name="+")
    area_team = models.ForeignKey("organisations.AreaTeam", on_delete=models.PROTECT, related_name="+")
    rater_group = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    code = models.CharField(max_length=40)
    # People with a score here: respondents who answered the question (or at least one of the group's).
    people = models.IntegerField(default=0)
    score_sum = models.BigIntegerField(default=0)  # Σ score in milli-points
    score_sumsq = models.BigIntegerField(default=0)  # Σ score² in milli-points²
    answers = models.IntegerField(default=0)  # answers on the scale (not don't know)
    # Groups only: Σ and Σ² of each respondent's share of favourable answers there, and Σ of their share
    # of unfavourable ones, in hundredths of a percent (questions leave these 0: their counts say it).
    positive_sum = models.BigIntegerField(default=0)
    positive_sumsq = models.BigIntegerField(default=0)
    negative_sum = models.BigIntegerField(default=0)

    class Meta:
        # The table it had in the reports app, kept when it moved here (no data was copied).
        db_table = "reports_scorecardaggregate"
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "area_team", "rater_group", "kind", "code"], name="scorecard_aggregate_unique"
            ),
        ]

    def __str__(self):
        return f"{self.cycle_id}/{self.area_team_id}/{self.rater_group or 'all'}/{self.kind}/{self.code}"


class ScorecardCcgAggregate(models.Model):
    """Sufficient statistics of one CCG's leads (all three roles together) for one cycle × item (internal).

    The "each CCG counts once" view weights each lead 1 / the CCG's leads in the cell, so it needs each
    CCG's own sums; integers, like ``ScorecardAggregate``'s, so incremental and full recompute agree. For a
    question, a lead's "share" of favourable answers is 0 or ``SHARE_UNIT`` (one answer), so one set of
    columns serves questions and groups alike.
    """

    cycle = models.ForeignKey("surveys.Cycle", on_delete=models.CASCADE, related_name="+")
    area_team = models.ForeignKey("organisations.AreaTeam", on_delete=models.PROTECT, related_name="+")
    ccg = models.ForeignKey("organisations.CCG", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    code = models.CharField(max_length=40)
    people = models.IntegerField(default=0)  # the CCG's leads with a score here
    score_sum = models.BigIntegerField(default=0)
    score_sumsq = models.BigIntegerField(default=0)
    positive_sum = models.BigIntegerField(default=0)
    positive_sumsq = models.BigIntegerField(default=0)
    negative_sum = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "ccg", "kind", "code"], name="scorecard_ccg_aggregate_unique"),
        ]

    def __str__(self):
        return f"{self.cycle_id}/{self.ccg_id}/{self.kind}/{self.code}"


class ScorecardSet(models.Model):
    """One complete, consistent build of a cycle's published figures."""

    cycle = models.ForeignKey("surveys.Cycle", on_delete=models.CASCADE, related_name="scorecard_sets")
    version = models.PositiveIntegerField()
    built_at = models.DateTimeField()
    responses = models.PositiveIntegerField(default=0)
    min_base = models.PositiveSmallIntegerField()

    class Meta:
        # The table it had in the reports app, kept when it moved here (no data was copied).
        db_table = "reports_scorecardset"
        constraints = [models.UniqueConstraint(fields=["cycle", "version"], name="scorecard_set_unique")]

    def __str__(self):
        return f"Scorecards {self.cycle_id} v{self.version}"


class Scorecard(models.Model):
    """One published figure: level × organisation × item × lead role (``""`` = all leads)."""

    scorecard_set = models.ForeignKey(ScorecardSet, on_delete=models.CASCADE, related_name="rows")
    level = models.CharField(max_length=10, choices=Level.choices)
    org_code = models.CharField(max_length=3)
    org_name = models.CharField(max_length=200)
    parent_code = models.CharField(max_length=3, blank=True)
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    code = models.CharField(max_length=40)
    label = models.TextField()
    behaviour_code = models.CharField(max_length=40, blank=True)
    role_code = models.CharField(max_length=40, blank=True)
    positively_worded = models.BooleanField(default=True)
    rater_group = models.CharField(max_length=20, blank=True)
    order = models.PositiveIntegerField(default=0)

    suppressed = models.BooleanField(default=False)
    suppression_reason = models.CharField(max_length=20, blank=True)

    # Everything below is NULL when the row is suppressed.
    base = models.IntegerField(null=True)
    n5 = models.IntegerField(null=True)
    n4 = models.IntegerField(null=True)
    n3 = models.IntegerField(null=True)
    n2 = models.IntegerField(null=True)
    n1 = models.IntegerField(null=True)
    dont_know = models.IntegerField(null=True)
    answers = models.IntegerField(null=True)
    pct_positive = models.FloatField(null=True)
    pct_positive_low = models.FloatField(null=True)
    pct_positive_high = models.FloatField(null=True)
    pct_negative = models.FloatField(null=True)
    score = models.FloatField(null=True)
    score_low = models.FloatField(null=True)
    score_high = models.FloatField(null=True)
    # The "each CCG counts once" view only: the CCGs behind the figure and Kish's effective base,
    # (Σ weights)² / Σ weights², the number of equally weighted people the figure is as precise as.
    ccgs = models.IntegerField(null=True)
    effective_base = models.FloatField(null=True)
    previous_pct_positive = models.FloatField(null=True)
    change_pct_positive = models.FloatField(null=True)
    change_pct_positive_p = models.FloatField(null=True)
    change_pct_positive_significant = models.BooleanField(null=True)
    previous_score = models.FloatField(null=True)
    change_score = models.FloatField(null=True)
    change_score_p = models.FloatField(null=True)
    change_score_significant = models.BooleanField(null=True)

    class Meta:
        # The table it had in the reports app, kept when it moved here (no data was copied).
        db_table = "reports_scorecard"
        ordering = ["order", "level", "org_code", "rater_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard_set", "level", "org_code", "kind", "code", "rater_group"], name="scorecard_unique"
            ),
            models.CheckConstraint(
                name="scorecard_suppressed_has_no_numbers",
                condition=Q(suppressed=False)
                | Q(base__isnull=True, pct_positive__isnull=True, score__isnull=True, n5__isnull=True),
            ),
        ]
        indexes = [
            models.Index(fields=["scorecard_set", "level", "org_code"], name="scorecard_set_org"),
            models.Index(fields=["scorecard_set", "kind", "code", "rater_group"], name="scorecard_set_item"),
        ]

    def __str__(self):
        return f"{self.level} {self.org_code} {self.kind} {self.code} {self.rater_group or 'all'}"


# The figures of a Scorecard row (the fields above that are NULL when it is suppressed), in the order
# the API and the CSV export give them.
SCORECARD_NUMBER_FIELDS = (
    "base",
    "n5",
    "n4",
    "n3",
    "n2",
    "n1",
    "dont_know",
    "answers",
    "pct_positive",
    "pct_positive_low",
    "pct_positive_high",
    "pct_negative",
    "score",
    "score_low",
    "score_high",
    "ccgs",
    "effective_base",
    "previous_pct_positive",
    "change_pct_positive",
    "change_pct_positive_p",
    "change_pct_positive_significant",
    "previous_score",
    "change_score",
    "change_score_p",
    "change_score_significant",
)


class AreaTeamResponse(models.Model):
    """An area team's published reply to its scorecard: what it heard and what it will do."""

    cycle = models.ForeignKey("surveys.Cycle", on_delete=models.CASCADE, related_name="+")
    area_team = models.ForeignKey("organisations.AreaTeam", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table it had in the reports app, kept when it moved here (no data was copied).
        db_table = "reports_areateamresponse"
        constraints = [models.UniqueConstraint(fields=["cycle", "area_team"], name="area_team_response_unique")]

    def __str__(self):
        return f"Response of {self.area_team_id} to {self.cycle_id}"


class ProvisionalSnapshot(models.Model):
    """An admins-only build of an open cycle's figures during fieldwork: never published, marked PROVISIONAL.

    Its rows are an ordinary ``ScorecardSet`` (so the scorecard pages can show them) that is never the
    cycle's current set. ``cell_counts`` keeps how many responses each cell held when it was built
    (``"level|org|kind|code|rater_group"``: count, non-empty cells only), so that the next snapshot can tell
    how many arrived since in every cell (``scorecards.services.provisional``).
    """

    cycle = models.ForeignKey("surveys.Cycle", on_delete=models.CASCADE, related_name="+")
    scorecard_set = models.OneToOneField(ScorecardSet, on_delete=models.CASCADE, related_name="provisional_snapshot")
    built_at = models.DateTimeField()
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    responses = models.PositiveIntegerField()
    cell_counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["cycle", "built_at", "pk"]
        indexes = [models.Index(fields=["cycle", "built_at"], name="provisional_cycle_built")]

    def __str__(self):
        return f"Provisional snapshot {self.pk} of cycle {self.cycle_id} ({self.built_at:%Y-%m-%d %H:%M})"
