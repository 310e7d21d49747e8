"""Forms of the lead's journey and the cycle pages: they check the shape of input; services check the rules."""

import json

from django import forms

from accounts.forms import ChooseNewPasswordForm, PageFormMixin
from surveys.answers import FREE_TEXT_MAX_LENGTH
from surveys.dates import NHSDateField
from surveys.models import (
    NOT_APPLICABLE,
    NOT_APPLICABLE_LABEL,
    PARTNER_GROUPS,
    Agreement,
    Question,
    QuestionType,
    RaterGroup,
    Section,
)

# Agreement options in reading order, "Don't know" last (after an "or" divider on the page).
AGREEMENT_CHOICES = [(str(choice.value), choice.label) for choice in Agreement if choice != Agreement.DONT_KNOW] + [
    (str(Agreement.DONT_KNOW.value), Agreement.DONT_KNOW.label)
]
YES_NO_CHOICES = [("yes", "Yes"), ("no", "No")]
DONT_KNOW_VALUE = str(Agreement.DONT_KNOW.value)
NOT_APPLICABLE_CHOICE = (str(NOT_APPLICABLE), NOT_APPLICABLE_LABEL)

MSG_CHOICE_INVALID = 'Choose one of the answers to "{text}", or leave it blank'
MSG_COMMENT_TOO_LONG = f"Your comment must be {FREE_TEXT_MAX_LENGTH} characters or fewer"
MSG_CSV_REQUIRED = "Choose a CSV file of invitations to upload"
MSG_CSV_TOO_BIG = "The file must be smaller than 5 MB"
MSG_YEAR_REQUIRED = "Enter the year of the new cycle, like 2015"

CSV_MAX_BYTES = 5 * 1024 * 1024
# A contractor's file of 27,000 responses with comments is larger than an invitations file.
RESPONSES_CSV_MAX_BYTES = 50 * 1024 * 1024
MSG_RESPONSES_CSV_REQUIRED = "Choose a CSV file of responses to upload"
MSG_RESPONSES_CSV_TOO_BIG = "The file must be smaller than 50 MB"
SHOWN_FIELD = "shown"


def _draft_to_field(question: Question, value) -> str:
    """Return how a draft value (int, bool or text) reads in its form field."""
    if value is None:
        return ""
    if question.type == QuestionType.YES_NO:
        return "yes" if value else "no"
    return str(value)


class SectionForm(forms.Form):
    """One section's questions: a radio group per statement and a comment box, every answer optional.

    Field names are the question codes, so ``answers()`` is exactly what ``response_save_draft`` takes
    and its ``AnswersInvalid.errors`` land on the right field. Each statement reads as ``rater_group``
    reads it (``Question.text_for``), under the same code.
    """

    def __init__(self, *args, section: Section, draft: dict, rater_group: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = {question.code: question for question in section.questions.all()}
        self.texts = {code: question.text_for(rater_group) for code, question in self.questions.items()}
        for number, question in enumerate(self.questions.values(), start=1):
            self.fields[question.code] = self._field(question, self.texts[question.code])
            self.fields[question.code].number = number
            self.initial[question.code] = _draft_to_field(question, draft.get(question.code))
        # The answers as the page showed them, sent back with the form: only what the user changed is
        # saved, so a page loaded before another window saved does not wipe that window's answers.
        self.fields[SHOWN_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.initial[SHOWN_FIELD] = json.dumps({code: self.initial[code] for code in self.questions})

    @staticmethod
    def _field(question: Question, text: str) -> forms.Field:
        if question.type == QuestionType.FREE_TEXT:
            return forms.CharField(
                label=text,
                required=False,
                max_length=FREE_TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text="Do not name yourself or other people. Comments are published without your name.",
                error_messages={"max_length": MSG_COMMENT_TOO_LONG},
            )
        agreement = question.type == QuestionType.AGREEMENT
        choices = AGREEMENT_CHOICES if agreement else YES_NO_CHOICES
        if agreement and question.offers_not_applicable:
            choices = [*choices, NOT_APPLICABLE_CHOICE]
        field = forms.ChoiceField(
            label=text,
            required=False,
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": MSG_CHOICE_INVALID.format(text=text.rstrip("."))},
        )
        # "Don't know" (and "Not applicable") are set apart from the scale by an "or" divider.
        field.divider_before = len(AGREEMENT_CHOICES) if agreement else 0
        return field

    def shown(self) -> dict[str, str] | None:
        """Return the answers the page showed, by question code, or None if the page did not say."""
        try:
            shown = json.loads(self.cleaned_data.get(SHOWN_FIELD) or "null")
        except ValueError:
            return None
        if not isinstance(shown, dict) or not all(isinstance(v, str) for v in shown.values()):
            return None
        return {code: value for code, value in shown.items() if code in self.questions}

    def answers(self) -> dict[str, str]:
        """Return the answers the user changed on the page, by question code (all of them if the page did
        not say what it showed); a blank answer ("") clears a saved one."""
        answers = {code: self.cleaned_data.get(code, "") for code in self.questions}
        shown = self.shown()
        if shown is None:
            return answers
        return {code: value for code, value in answers.items() if value != shown.get(code, "")}

    def add_service_errors(self, errors: dict[str, str]) -> None:
        """Show the service's refusals (``AnswersInvalid.errors``) on their questions."""
        for code, message in errors.items():
            self.add_error(code if code in self.fields else None, message)


class InvitationPasswordForm(ChooseNewPasswordForm):
    """Choose a password on first following an invitation link: Django's ``SetPasswordForm`` and our validators."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Create a password"
        self.fields["new_password2"].label = "Confirm your password"


class CycleCreateForm(PageFormMixin, forms.Form):
    year = forms.IntegerField(
        label="Year",
        help_text="The questionnaire is copied from the latest earlier cycle, so question codes are kept.",
        error_messages={"required": MSG_YEAR_REQUIRED, "invalid": MSG_YEAR_REQUIRED},
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}),
    )
    opens_on = NHSDateField(label="Opening date", required=False)
    closes_on = NHSDateField(label="Closing date", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The hints give dates of the cycle's own year: the year typed in, or the year proposed.
        year = self.data.get("year") if self.is_bound else self.initial.get("year")
        year = int(year) if str(year or "").isdigit() else 2027
        for name, example in (("opens_on", f"1 5 {year}"), ("closes_on", f"30 6 {year}")):
            self.fields[name].help_text = f"For example, {example}. Leave blank to decide later."
            self.fields[name].example = example.replace(" ", "/")


class CycleDatesForm(PageFormMixin, forms.Form):
    """A cycle's planned opening and closing dates, with hints in the cycle's own year."""

    opens_on = NHSDateField(label="Opening date", required=False)
    closes_on = NHSDateField(label="Closing date", required=False)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        for name, example in (("opens_on", f"1 5 {year}"), ("closes_on", f"30 6 {year}")):
            self.fields[name].help_text = f"For example, {example}."
            self.fields[name].example = example.replace(" ", "/")


class CycleRaterGroupsForm(forms.Form):
    """The partner groups and the self-assessment switched on for a cycle (the CCG leads are always in)."""

    partner_groups = forms.MultipleChoiceField(
        choices=[(group, RaterGroup(group).label) for group in PARTNER_GROUPS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    self_assessment = forms.BooleanField(required=False)


class InvitationImportForm(PageFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV file of invitations",
        help_text=(
            "Columns: email, name, ccg_code, lead_role, and (for partners and the self-assessment) rater_group and "
            "area_team_code. A file without rater_group invites CCG leads."
        ),
        error_messages={"required": MSG_CSV_REQUIRED, "empty": MSG_CSV_REQUIRED},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    send = forms.BooleanField(
        label="Send the invitations now",
        required=False,
        help_text=(
            "Emails each person in the file who has not been sent an invitation. Only possible once the cycle is open."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError(MSG_CSV_TOO_BIG)
        return upload


class ResponsesImportForm(PageFormMixin, forms.Form):
    """A contractor's file of submitted responses for one cycle (checked whole by the import in the background)."""

    file = forms.FileField(
        label="CSV file of responses",
        help_text="Columns: email, optional submitted_at, then one column per question code of this year.",
        error_messages={"required": MSG_RESPONSES_CSV_REQUIRED, "empty": MSG_RESPONSES_CSV_REQUIRED},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    replace_drafts = forms.BooleanField(
        label="Replace the answers leads saved on the web but did not submit",
        required=False,
        help_text="Without this, the file check lists every lead who has a web draft and nothing is imported. "
        "Check with those leads first.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > RESPONSES_CSV_MAX_BYTES:
            raise forms.ValidationError(MSG_RESPONSES_CSV_TOO_BIG)
        return upload
