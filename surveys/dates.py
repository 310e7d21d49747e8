"""The NHS.UK date input (day, month and year boxes) as a Django form field, with NHS.UK error messages."""

import datetime as dt

from django import forms

MSG_DATE_INCOMPLETE = "{label} must include a {missing}"
MSG_DATE_INVALID = "{label} must be a real date, like {example}"


class DateInputWidget(forms.MultiWidget):
    """Three text boxes; the day box takes the field's id, so labels and error links point at it."""

    template_name = "surveys/widgets/date_input.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base = (attrs or {}).get("id", name)
        for subwidget, part in zip(context["widget"]["subwidgets"], ("day", "month", "year"), strict=True):
            subwidget["attrs"]["id"] = base if part == "day" else f"{base}-{part}"
            subwidget["part"] = part
            subwidget["label"] = part.capitalize()
        return context

    def id_for_label(self, id_, index="0"):
        return id_


class NHSDateField(forms.MultiValueField):
    """A date entered as day, month and year; each missing or impossible part gets its own message."""

    widget = DateInputWidget

    def __init__(self, *, label: str, example: str = "", **kwargs):
        self.example = example
        fields = [forms.CharField(required=False) for _ in range(3)]
        super().__init__(fields, label=label, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(part for part in data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [name for name, part in zip(("day", "month", "year"), (day, month, year), strict=True) if not part]
        if missing:
            raise forms.ValidationError(
                MSG_DATE_INCOMPLETE.format(label=self.label, missing=" and a ".join(missing)), code="incomplete"
            )
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                MSG_DATE_INVALID.format(label=self.label, example=self.example), code="invalid"
            ) from None
