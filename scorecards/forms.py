"""Forms of the results pages: the league table's filters and an area team's response."""

from django import forms

from scorecards import results
from scorecards.services.responses import RESPONSE_MAX_LENGTH


class LeagueTableFilterForm(forms.Form):
    """The league table's GET filters; choices come from the cycle's scorecard set and regions."""

    measure = forms.ChoiceField(required=False)
    metric = forms.ChoiceField(required=False, choices=list(results.METRICS.items()))
    region = forms.ChoiceField(required=False)
    sort = forms.ChoiceField(required=False, choices=list(results.SORT_KEYS.items()))
    order = forms.ChoiceField(required=False, choices=[("desc", "Descending"), ("asc", "Ascending")])
    weighting = forms.ChoiceField(required=False, choices=list(results.WEIGHTINGS.items()))

    def __init__(self, *args, measures=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [(value, label) for value, label, _ in measures]
        self.fields["region"].choices = [("", "All regions"), *regions]

    def params(self) -> dict:
        """Return the valid filters, falling back to the defaults for anything missing or invalid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: (None if name in self.errors else data.get(name)) or default
            for name, default in results.LEAGUE_FILTERS.items()
        }


class AreaTeamResponseForm(forms.Form):
    text = forms.CharField(
        label="What we heard, and what we will do",
        max_length=RESPONSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter your area team's response."},
    )
