"""Forms of the core pages: the audit log's filters."""

from django import forms

_DATE = {"type": "date", "class": "nhsuk-input nhsuk-input--width-10"}
MSG_DATES_ORDER = "The 'to' date must be the same as or after the 'from' date"


class AuditFilterForm(forms.Form):
    """Filter the audit log by action, actor (part of an email address) and dates (inclusive, UK time)."""

    action = forms.ChoiceField(label="Action", required=False, widget=forms.Select(attrs={"class": "nhsuk-select"}))
    actor = forms.CharField(
        label="Who (email address contains)",
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-20"}),
    )
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs=_DATE))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs=_DATE))

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action"), *((a, a.replace("_", " ")) for a in actions)]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", MSG_DATES_ORDER)
        return data
