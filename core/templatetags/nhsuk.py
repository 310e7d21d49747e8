"""Template tags behind the ``nhsuk`` crispy-forms pack: NHS.UK frontend markup for Django fields.

The pack renders every widget itself from the widget's own context (``Widget.get_context``) rather
than through Django's widget templates, so the markup follows the NHS.UK components exactly: one
id per control, a hint at ``<id>-hint``, an error message at ``<id>-error``, and ``aria-describedby``
naming both.
"""

from datetime import timedelta

from django import forms, template
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.safestring import mark_safe

register = template.Library()

# The base class of each kind of control, and the class added when the field has an error.
_CONTROL_CLASSES = {
    "input": ("nhsuk-input", "nhsuk-input--error"),
    "file": ("nhsuk-file-upload", "nhsuk-file-upload--error"),
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
    "select": ("nhsuk-select", "nhsuk-select--error"),
    "checkbox": ("nhsuk-checkboxes__input", ""),
    "radios": ("nhsuk-radios__input", ""),
    "checkboxes": ("nhsuk-checkboxes__input", ""),
}


def widget_kind(widget: forms.Widget) -> str:
    """Return which NHS.UK component renders ``widget``."""
    if isinstance(widget, forms.MultipleHiddenInput):
        return "other"
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if type(widget) is forms.FileInput:
        return "file"
    if isinstance(widget, Input) and not isinstance(widget, forms.FileInput):
        return "input"
    return "other"


def field_id(bound_field) -> str:
    """Return the id of ``bound_field``'s control (or of its first option): what labels and links point at."""
    return bound_field.field.widget.attrs.get("id") or bound_field.auto_id or bound_field.html_name


def field_anchor(bound_field) -> str:
    """Return the id an error summary links to: the control itself, or the first option of a group."""
    base = field_id(bound_field)
    if widget_kind(bound_field.field.widget) in ("radios", "checkboxes"):
        return bound_field.field.widget.id_for_label(base, "0") or base
    return base


def _classes(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _options(bound_field, widget, attrs: dict) -> list[dict]:
    """Return the options of a radio or checkbox group, flattened out of any option groups."""
    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)
    options = []
    for _group, group_options, _index in context["widget"]["optgroups"]:
        for option in group_options:
            option_attrs = dict(option["attrs"])
            # The group's fieldset carries the hint and error; ARIA has no aria-invalid on a radio.
            option_attrs.pop("aria-describedby", None)
            if widget_kind(widget) == "radios":
                option_attrs.pop("aria-invalid", None)
            options.append(
                {
                    "id": option_attrs.get("id", ""),
                    "label": option["label"],
                    "attrs": mark_safe(  # noqa: S308 - flatatt escapes every value
                        flatatt(
                            {
                                "class": option_attrs.pop("class", None),
                                "id": option_attrs.pop("id", None),
                                "name": option["name"],
                                "type": option["type"],
                                "value": str(option["value"]),
                                **option_attrs,
                            }
                        )
                    ),
                }
            )
    return options


@register.simple_tag(takes_context=True)
def nhsuk_field(context, bound_field) -> dict:
    """Return everything ``nhsuk/field.html`` needs to render ``bound_field`` as an NHS.UK component.

    Reads crispy's ``form_show_errors`` (errors are shown unless it is false) and ``inline_class``
    (set by crispy's ``InlineRadios`` and ``InlineCheckboxes`` layout objects) from the context.
    """
    show_errors = context.get("form_show_errors", True) is not False
    widget = bound_field.field.widget
    if bound_field.field.localize:
        widget.is_localized = True
    kind = widget_kind(widget)
    control_id = field_id(bound_field)
    errors = [str(error) for error in bound_field.errors] if show_errors else []
    hint_id = f"{control_id}-hint" if bound_field.help_text else ""
    error_id = f"{control_id}-error" if errors else ""
    described_by = _classes(widget.attrs.get("aria-describedby", ""), hint_id, error_id)

    base_class, error_class = _CONTROL_CLASSES.get(kind, ("", ""))
    attrs = {"class": _classes(base_class, error_class if errors else "", widget.attrs.get("class", ""))}
    if not attrs["class"]:
        del attrs["class"]
    if bound_field.auto_id or "id" in widget.attrs:
        attrs["id"] = control_id
    if described_by and kind not in ("radios", "checkboxes"):
        attrs["aria-describedby"] = described_by
    attrs = bound_field.build_widget_attrs(attrs, widget)

    result = {
        "kind": kind,
        "id": control_id,
        "label": bound_field.label,
        "optional": not bound_field.field.required and kind not in ("checkbox", "hidden"),
        "hint_id": hint_id,
        "error_id": error_id,
        "errors": errors,
        "described_by": described_by,
        "inline": bool(context.get("inline_class")),
    }
    if kind in ("radios", "checkboxes"):
        result["options"] = _options(bound_field, widget, attrs)
        return result
    if kind == "other":
        result["html"] = bound_field.as_widget(attrs=attrs)
        return result

    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
    element_attrs = {"name": context["name"]}
    if kind in ("input", "file", "checkbox", "hidden"):
        element_attrs["type"] = context.get("type") or ("checkbox" if kind == "checkbox" else "text")
        if context["value"] is not None and kind not in ("file",):
            element_attrs["value"] = str(context["value"])
    element_attrs.update(context["attrs"])
    if kind == "select":
        result["options"] = [
            {"value": str(option["value"]), "label": option["label"], "selected": option["selected"]}
            for _group, group_options, _index in context["optgroups"]
            for option in group_options
        ]
    if kind == "textarea":
        result["value"] = context["value"] or ""
    result["attrs"] = mark_safe(flatatt(element_attrs))  # noqa: S308 - flatatt escapes every value
    return result


@register.simple_tag
def nhsuk_error_list(form) -> list[dict]:
    """Return the items of ``form``'s error summary: each error's text and the id it links to.

    Errors that belong to no visible field link to the form's first visible field, so that every
    item in the summary takes the user somewhere they can fix it.
    """
    if form is None or not form.is_bound or not form.errors:
        return []
    visible = form.visible_fields()
    first_anchor = field_anchor(visible[0]) if visible else ""
    items = [{"text": str(error), "href": first_anchor} for error in form.non_field_errors()]
    for hidden in form.hidden_fields():
        items += [{"text": f"{hidden.label}: {error}", "href": first_anchor} for error in hidden.errors]
    for bound_field in visible:
        items += [{"text": str(error), "href": field_anchor(bound_field)} for error in bound_field.errors]
    return items


@register.filter
def nhsuk_button_classes(button) -> str:
    """Return the NHS.UK classes for a crispy ``Submit``, ``Button`` or ``Reset``.

    Crispy's Bootstrap classes (``btn``, ``btn-*``) are dropped; anything else passed as
    ``css_class`` (``nhsuk-button--secondary``, ``nhsuk-button--warning``) is kept.
    """
    kept = [name for name in button.field_classes.split() if name != "btn" and not name.startswith("btn-")]
    variant = "nhsuk-button--secondary" if button.input_type in ("button", "reset") else ""
    if any(name.startswith("nhsuk-button--") for name in kept):
        variant = ""
    return _classes("nhsuk-button", variant, *kept)


@register.filter
def nhsuk_duration(value) -> str:
    """Return a ``timedelta`` in words, to the minute: "1 hour", "1 hour 30 minutes", "15 minutes"."""
    if not isinstance(value, timedelta):
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
