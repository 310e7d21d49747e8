import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import LeadRole
from organisations.models import CCG, AreaTeam
from ways_of_working.models import Behaviour, Role, Statement


class CycleState(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    PUBLISHED = "published", "Published"


class QuestionType(models.TextChoices):
    AGREEMENT = "agreement", "Agreement scale"
    FREE_TEXT = "free_text", "Free text"
    YES_NO = "yes_no", "Yes or no"


class Agreement(models.IntegerChoices):
    """The agreement scale (DESIGN.md §4); ``DONT_KNOW`` is kept out of every base."""

    STRONGLY_AGREE = 5, "Strongly agree"
    TEND_TO_AGREE = 4, "Tend to agree"
    NEITHER = 3, "Neither agree nor disagree"
    TEND_TO_DISAGREE = 2, "Tend to disagree"
    STRONGLY_DISAGREE = 1, "Strongly disagree"
    DONT_KNOW = 0, "Don't know"


# "Not applicable", offered only by questions that say so (``Question.offers_not_applicable``). Kept out of
# the agreement scale so that it is never shown unasked; like "Don't know", it is outside every base (the
# aggregation counts choices 1–5 only).
NOT_APPLICABLE = 6
NOT_APPLICABLE_LABEL = "Not applicable"


class YesNo(models.IntegerChoices):
    YES = 1, "Yes"
    NO = 0, "No"


class RaterGroup(models.TextChoices):
    """Who gives an appraisal of an area team (DESIGN.md §3): its CCGs' leads (the values of ``LeadRole``),
    the partners an admin switches on for a cycle, and the area team itself (its self-assessment)."""

    CLINICAL = LeadRole.CLINICAL.value, LeadRole.CLINICAL.label
    MANAGERIAL = LeadRole.MANAGERIAL.value, LeadRole.MANAGERIAL.label
    FINANCIAL = LeadRole.FINANCIAL.value, LeadRole.FINANCIAL.label
    PRACTICE = "practice", "GP member practice"
    PATIENTS = "patients", "Patients' representative"
    LOCAL_GOVERNMENT = "local_government", "Local government"
    SELF = "self", "Area team self-assessment"


LEAD_GROUPS = tuple(LeadRole.values)  # clinical, managerial, financial: "CCG leads"
PARTNER_GROUPS = (RaterGroup.PRACTICE.value, RaterGroup.PATIENTS.value, RaterGroup.LOCAL_GOVERNMENT.value)


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class ResponseSource(models.TextChoices):
    WEB = "web", "Web"
    IMPORT = "import", "Imported"


class Cycle(models.Model):
    """A year's appraisal, moving draft → open → closed → published."""

    year = models.PositiveSmallIntegerField(unique=True)
    state = models.CharField(max_length=10, choices=CycleState.choices, default=CycleState.DRAFT)
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # When fieldwork actually opened and closed (``opens_on``/``closes_on`` are the plan): a cycle closed
    # early tells its leads the day it really closed.
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The rater groups beyond the CCG leads (always in) that an admin switched on for this cycle: partners
    # (values of ``PARTNER_GROUPS``) and the area teams' self-assessment (``services.cycle_set_rater_groups``).
    partner_groups = models.JSONField(default=list, blank=True)
    self_assessment = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            # "The current cycle" must mean one thing: at most one cycle is open at a time.
            models.UniqueConstraint(fields=["state"], condition=Q(state="open"), name="cycle_one_open"),
            models.CheckConstraint(
                name="cycle_opens_before_closes",
                condition=Q(opens_on__isnull=True) | Q(closes_on__isnull=True) | Q(opens_on__lte=models.F("closes_on")),
            ),
        ]

    def __str__(self):
        return f"{self.year} ({self.get_state_display()})"


# How many behaviour, role and overall groups a questionnaire's agreement statements may count in
# (the 2013 framework has 3 behaviours, 7 roles and overall: 11). Scorecards keep one column per group
# for each response's scores (``scorecards.models.SCORE_SLOTS``), so the editor and opening a cycle
# refuse more, before anyone answers.
QUESTIONNAIRE_MAX_GROUPS = 24


class Questionnaire(models.Model):
    """The questions of one cycle; editable while the cycle is a draft, frozen once it opens."""

    cycle = models.OneToOneField(Cycle, on_delete=models.PROTECT, related_name="questionnaire")
    version = models.PositiveIntegerField(default=1)
    frozen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Questionnaire {self.cycle.year} v{self.version}"


class Section(models.Model):
    """A page of the questionnaire."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="section_code_unique_in_questionnaire"),
        ]

    def __str__(self):
        return f"{self.code}: {self.title}"


class Question(models.Model):
    """A statement asked in one cycle; self-contained (tags copied) so later framework edits cannot change it."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    text = models.TextField()
    type = models.CharField(max_length=10, choices=QuestionType.choices, default=QuestionType.AGREEMENT)
    statement = models.ForeignKey(Statement, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions")
    behaviour = models.ForeignKey(Behaviour, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    positively_worded = models.BooleanField(default=True)
    offers_not_applicable = models.BooleanField(default=False)
    # The statement as one rater group reads it, {rater_group: text}, under the same code so that results stay
    # comparable (the self-assessment in the first person); a group without a wording reads ``text``.
    wordings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["section__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_code_unique_in_questionnaire"),
        ]

    def __str__(self):
        return f"{self.code}: {self.text}"

    def text_for(self, rater_group: str) -> str:
        """Return the statement as ``rater_group`` reads it (the question's text where it has no own wording)."""
        return self.wordings.get(rater_group) or self.text


class Invitation(models.Model):
    """One person invited to one cycle in one rater group, about one area team, with a single-use expiring
    token (only its SHA-256 is kept).

    CCG leads and GP member practices appraise their CCG's area team (``ccg`` set); patients'
    representatives, local government and the area team's own self-assessment name the area team only.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations")
    ccg = models.ForeignKey(CCG, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations")
    # The area team appraised (its CCG's, where there is a CCG).
    area_team = models.ForeignKey(AreaTeam, on_delete=models.PROTECT, related_name="invitations")
    rater_group = models.CharField(max_length=20, choices=RaterGroup.choices)
    token_hash = models.CharField(max_length=64, blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    token_used_at = models.DateTimeField(null=True, blank=True)
    # Which email a queued task still has to send ("invitation" or "reminder"); empty once sent.
    # The task clears it under a row lock, so a task run twice sends once.
    pending_email = models.CharField(max_length=20, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The last email to the lead was refused for good (SMTP 5xx, or a bounce report); cleared by the next
    # email that goes through.
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # By the CCG's id, not "ccg": ordering by a nullable relation joins it (LEFT OUTER), and PostgreSQL
        # refuses SELECT … FOR UPDATE on the nullable side of an outer join (the link's redemption locks the row).
        ordering = ["cycle", "ccg_id", "rater_group", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "user"], name="invitation_one_per_lead_per_cycle"),
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="invitation_token_hash_unique"
            ),
            # An area team gives one self-assessment a cycle (its members share the one response).
            models.UniqueConstraint(
                fields=["cycle", "area_team"], condition=Q(rater_group="self"), name="invitation_one_self_per_area_team"
            ),
            models.CheckConstraint(
                name="invitation_ccg_for_leads_and_practices",
                condition=Q(ccg__isnull=False) | ~Q(rater_group__in=[*LEAD_GROUPS, "practice"]),
            ),
        ]

    def __str__(self):
        return f"{self.user} invited to {self.cycle.year}"


# Crockford's base 32: no I, L, O or U, so a reference read out over the phone cannot be misheard.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference_code() -> str:
    """Return 8 random characters (40 bits) for a response's reference."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class Response(models.Model):
    """A response to one invitation: a draft until submitted once, then read-only."""

    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="response")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="responses")
    ccg = models.ForeignKey(CCG, null=True, blank=True, on_delete=models.PROTECT, related_name="responses")
    # The area team the appraisal was given about, captured at creation: structures change between years.
    area_team = models.ForeignKey(AreaTeam, on_delete=models.PROTECT, related_name="responses")
    rater_group = models.CharField(max_length=20, choices=RaterGroup.choices)
    status = models.CharField(max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    # In-progress answers {question_code: value}; after submission, a copy of what was submitted.
    draft = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=10, choices=ResponseSource.choices, default=ResponseSource.WEB)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    reference_code = models.CharField(max_length=8, unique=True, default=new_reference_code, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "pk"]
        indexes = [models.Index(fields=["cycle", "status"], name="response_cycle_status")]
        constraints = [
            models.CheckConstraint(
                name="response_submitted_has_time",
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"Response {self.pk} to {self.cycle.year} ({self.status})"

    @property
    def reference(self) -> str:
        """Return the reference the lead is given: on the confirmation page and in the receipt email.

        Random (``reference_code``), not the row's id, so that it tells nobody how many responses exist.
        """
        return f"{self.cycle.year}-{self.reference_code[:4]}-{self.reference_code[4:]}"


class Answer(models.Model):
    """One submitted answer; written once at submission and never changed.

    ``cycle``, ``area_team``, ``ccg`` and ``rater_group`` are copied from the response so that scorecards
    can group answers without joining, over tens of millions of rows (the CCG for the "each CCG counts
    once" view; no constraint, as it is a copy of the response's, which has one).
    """

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="+")
    area_team = models.ForeignKey(AreaTeam, on_delete=models.PROTECT, related_name="+")
    ccg = models.ForeignKey(
        CCG, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    rater_group = models.CharField(max_length=20, choices=RaterGroup.choices)
    # Agreement: 5 (strongly agree) … 1 (strongly disagree), 0 don't know, 6 not applicable. Yes/no: 1 yes, 0 no.
    choice = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question"),
            models.CheckConstraint(
                name="answer_choice_in_range",
                condition=Q(choice__isnull=True) | Q(choice__gte=0, choice__lte=NOT_APPLICABLE),
            ),
        ]
        indexes = [models.Index(fields=["cycle", "area_team", "question"], name="answer_cycle_at_question")]

    def __str__(self):
        return f"{self.question.code}={self.choice if self.choice is not None else self.text!r}"


class ImportKind(models.TextChoices):
    INVITATIONS = "invitations", "Invitations"
    RESPONSES = "responses", "A contractor's responses"


class ImportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    CHECKING = "checking", "Checking the file"
    APPLYING = "applying", "Importing"
    DONE = "done", "Imported"
    REFUSED = "refused", "Not imported: the file has problems"
    FAILED = "failed", "Failed"


# An import in one of these states holds its cycle and kind: a second upload is told to wait.
IMPORT_ACTIVE_STATES = (ImportState.QUEUED, ImportState.CHECKING, ImportState.APPLYING)


class ImportJob(models.Model):
    """One uploaded file imported in the background: who, into which cycle, how far it got, and what came of it.

    ``done`` of ``total`` counts the file's lines checked so far. ``problems`` keeps the first problems
    of a refused file (line, column, message); ``problems_total`` counts them all.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(max_length=12, choices=ImportKind.choices)
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    file = models.FileField(upload_to="imports/")
    filename = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    # The options chosen with the upload: email the invitations; replace the leads' web drafts.
    send = models.BooleanField(default=False)
    replace_drafts = models.BooleanField(default=False)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # A short, safe line for the page: what it is doing now, or why it failed.
    message = models.CharField(max_length=300, blank=True)
    problems = models.JSONField(default=list, blank=True)
    problems_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind"],
                condition=Q(state__in=["queued", "checking", "applying"]),
                name="import_job_one_active_per_cycle_and_kind",
            ),
        ]

    def __str__(self):
        return f"Import {self.pk}: {self.kind} into {self.cycle_id} ({self.state})"

    @property
    def in_progress(self) -> bool:
        return self.state in IMPORT_ACTIVE_STATES
