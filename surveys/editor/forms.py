"""Forms of the questionnaire editor: they check the shape of input; the editor services check the rules."""

from django import forms

from accounts.forms import PageFormMixin
from surveys.models import NOT_APPLICABLE_LABEL
from ways_of_working.models import Behaviour, Role, Statement

MSG_STATEMENT_REQUIRED = "Choose a statement from the library"
MSG_TEXT_REQUIRED = "Enter the wording of the statement"
MSG_TITLE_REQUIRED = "Enter the title of the section"


class SectionEditForm(PageFormMixin, forms.Form):
    title = forms.CharField(label="Section title", max_length=200, error_messages={"required": MSG_TITLE_REQUIRED})
    intro = forms.CharField(
        label="Introduction (optional)",
        required=False,
        help_text="One or two sentences shown under the title.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LibraryStatementForm(PageFormMixin, forms.Form):
    statement = forms.ModelChoiceField(
        label="Statement from the framework library",
        queryset=Statement.objects.none(),
        empty_label="Choose a statement",
        error_messages={"required": MSG_STATEMENT_REQUIRED, "invalid_choice": MSG_STATEMENT_REQUIRED},
        help_text="Statements this questionnaire does not ask yet. Each keeps its code, so it can be compared "
        "with earlier years.",
    )

    def __init__(self, *args, statements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"].queryset = statements
        self.fields["statement"].label_from_instance = lambda s: f"{s.code}: {s.text}"


class _TagsMixin(forms.Form):
    behaviour = forms.ModelChoiceField(
        label="Behaviour", queryset=Behaviour.objects.all(), required=False, empty_label="None"
    )
    role = forms.ModelChoiceField(
        label="NHS England role", queryset=Role.objects.all(), required=False, empty_label="None"
    )
    negatively_worded = forms.BooleanField(
        label="Negatively worded",
        required=False,
        help_text='Agreeing is unfavourable (for example, "NHS England\'s guidance is confusing"). Scores are '
        "reversed.",
    )
    offers_not_applicable = forms.BooleanField(
        label=f'Offer "{NOT_APPLICABLE_LABEL}"',
        required=False,
        help_text='Like "Don\'t know", it is kept out of the base of every figure.',
    )


class NewStatementForm(PageFormMixin, _TagsMixin):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="Capital letters, digits and hyphens, like PC-ACCESS. Results are compared across years by code.",
        error_messages={"required": "Enter a code for the statement"},
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-20", "spellcheck": "false"}),
    )
    text = forms.CharField(
        label="Wording", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": MSG_TEXT_REQUIRED}
    )
    field_order = ["code", "text", "behaviour", "role", "negatively_worded", "offers_not_applicable"]


class QuestionEditForm(PageFormMixin, _TagsMixin):
    text = forms.CharField(
        label="Wording", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": MSG_TEXT_REQUIRED}
    )
    new_code = forms.CharField(
        label="Code for the new wording",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-20", "spellcheck": "false"}),
    )
    self_wording = forms.CharField(
        label="Wording for the area team's self-assessment (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The same statement in the first person, as the area team answers it about itself (for example, "
        '"We work towards the same goals as our CCGs for patients"). Its results stay under the same code. Leave '
        "blank and the self-assessment reads the wording above.",
    )
    field_order = [
        "text",
        "new_code",
        "self_wording",
        "behaviour",
        "role",
        "negatively_worded",
        "offers_not_applicable",
    ]

    def __init__(self, *args, comment_box: bool = False, asked_in: int | None = None, suggested_code: str = "", **kw):
        super().__init__(*args, **kw)
        if asked_in is None:
            del self.fields["new_code"]
        else:
            self.fields["new_code"].help_text = (
                f"This statement was asked in {asked_in}. If you change its wording, it gets a new code "
                f"(we suggest {suggested_code}), so that it is not compared with the {asked_in} figures as if "
                "it were the same question."
            )
            self.fields["new_code"].widget.attrs["placeholder"] = suggested_code
        if comment_box:
            for name in ("behaviour", "role", "negatively_worded", "offers_not_applicable", "self_wording"):
                del self.fields[name]
            self.fields["text"].label = "Comment box question"
