"""The fieldwork list's filters (GET) and the reminder choice (POST)."""

from django import forms

from organisations.models import CCG, AreaTeam, Region
from surveys.fieldwork.selectors import NOT_RESPONDED, STATUSES
from surveys.models import RaterGroup


class FieldworkFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("name"), to_field_name="ods_code", required=False, empty_label="All regions"
    )
    area_team = forms.ModelChoiceField(
        queryset=AreaTeam.objects.order_by("name"),
        to_field_name="ods_code",
        required=False,
        empty_label="All area teams",
        label="Area team",
    )
    ccg = forms.ModelChoiceField(
        queryset=CCG.objects.order_by("name"),
        to_field_name="ods_code",
        required=False,
        empty_label="All CCGs",
        label="CCG",
    )
    rater_group = forms.ChoiceField(
        choices=[("", "All rater groups"), *RaterGroup.choices], required=False, label="Rater group"
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), (NOT_RESPONDED, "Not responded (any but submitted)"), *STATUSES],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "nhsuk-select"

    def filters(self) -> dict:
        """Return the valid filters as the selector's keyword arguments (empty when the form is invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {k: data[k] for k in ("region", "area_team", "ccg")} | {
            "rater_group": data["rater_group"],
            "status": data["status"],
        }
