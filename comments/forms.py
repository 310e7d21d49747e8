"""Forms of comment moderation: the queue's filters and moderating one comment."""

from django import forms

from accounts.forms import PageFormMixin
from comments.models import CommentStatus

ALL_STATUSES = "all"


class CommentFilterForm(forms.Form):
    """The moderation queue's GET filters; anything missing or invalid falls back to its default."""

    status = forms.ChoiceField(required=False, choices=[*CommentStatus.choices, (ALL_STATUSES, "Any status")])
    area_team = forms.ChoiceField(required=False)
    section = forms.ChoiceField(required=False)

    def __init__(self, *args, area_teams=(), sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_team"].choices = [("", "All area teams"), *area_teams]
        self.fields["section"].choices = [("", "All sections"), *sections]

    def params(self) -> dict:
        """Return the valid filters: status (None for any), area team and section codes (None for all)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        status = data.get("status") or CommentStatus.PENDING
        return {
            "status": None if status == ALL_STATUSES else status,
            "area_team": data.get("area_team") or None,
            "section": data.get("section") or None,
        }

    def query(self) -> dict:
        """Return the filters as query parameters, to keep them across a moderation."""
        params = self.params()
        return {
            "status": params["status"] or ALL_STATUSES,
            **{name: params[name] for name in ("area_team", "section") if params[name]},
        }


class CommentModerationForm(PageFormMixin, forms.Form):
    """A moderator's decision on one comment: the text to publish (redacted where needed) and its status."""

    text = forms.CharField(
        label="Comment as it will be published",
        help_text=(
            "Replace people's names, and anything else that could identify someone, with [name removed] or "
            "[details removed]. The comment as given is kept, and only admins can read it."
        ),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the comment as it should be published."},
    )
    status = forms.ChoiceField(
        label="What should happen to this comment?",
        choices=[
            (CommentStatus.APPROVED, "Approve it: show it on the area team's published scorecard"),
            (CommentStatus.HIDDEN, "Hide it: never show it"),
            (CommentStatus.PENDING, "Leave it waiting for moderation"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to approve or hide the comment.",
            "invalid_choice": "Choose whether to approve or hide the comment.",
        },
    )
