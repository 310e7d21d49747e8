"""The ``nhsuk`` crispy-forms pack renders NHS.UK frontend markup with matching ids and ARIA links."""

from html.parser import HTMLParser

import pytest
from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Button, Layout, Submit
from django import forms
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

VOID_ELEMENTS = {"input", "br", "hr", "img", "meta", "link"}


class Element(dict):
    """One parsed element: its tag, attributes and the text inside it."""

    @property
    def classes(self) -> list[str]:
        return self["attrs"].get("class", "").split()

    @property
    def text(self) -> str:
        return " ".join(self["text"].split())


class Page(HTMLParser):
    """A flat list of the elements of an HTML fragment, with lookups by id, tag and class."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag=tag, attrs={name: value or "" for name, value in attrs}, text="")
        self.elements.append(element)
        if tag not in VOID_ELEMENTS:
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def by_id(self, element_id: str) -> Element:
        matches = [element for element in self.elements if element["attrs"].get("id") == element_id]
        assert len(matches) == 1, f"expected one element with id {element_id!r}, found {len(matches)}"
        return matches[0]

    def find(self, tag: str | None = None, css_class: str | None = None, **attrs) -> list[Element]:
        return [
            element
            for element in self.elements
            if (tag is None or element["tag"] == tag)
            and (css_class is None or css_class in element.classes)
            and all(element["attrs"].get(name.replace("_", "-")) == value for name, value in attrs.items())
        ]

    def label_for(self, control_id: str) -> Element:
        labels = self.find("label", **{"for": control_id})
        assert len(labels) == 1, f"expected one label for {control_id!r}"
        return labels[0]


class EveryWidgetForm(forms.Form):
    full_name = forms.CharField(label="Full name", help_text="As it appears on your NHS record")
    email = forms.EmailField(label="Email address")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    comments = forms.CharField(label="Comments", widget=forms.Textarea, required=False, help_text="Be specific")
    region = forms.ChoiceField(label="Region", choices=[("", "Choose a region"), ("Y54", "North"), ("Y55", "Midlands")])
    rater_group = forms.ChoiceField(
        label="Your role",
        choices=[("clinical", "Clinical lead"), ("managerial", "Managerial lead")],
        widget=forms.RadioSelect,
        help_text="Choose one",
    )
    topics = forms.MultipleChoiceField(
        label="Topics",
        choices=[("primary", "Primary care"), ("specialised", "Specialised services")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose all that apply",
    )
    agree = forms.BooleanField(label="I agree to the terms", help_text="You must agree to continue")
    cycle = forms.CharField(widget=forms.HiddenInput, required=False)


VALID = {
    "full_name": "Ada Lovelace",
    "email": "ada@example.nhs.uk",
    "password": "a-long-secret-password",
    "comments": "",
    "region": "Y55",
    "rater_group": "managerial",
    "topics": ["specialised"],
    "agree": "on",
    "cycle": "2013",
}


def render_filter(form) -> Page:
    return Page(Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form})))


def render_tag(form) -> Page:
    context = RequestContext(RequestFactory().get("/"), {"form": form})
    return Page(Template("{% load crispy_forms_tags %}{% crispy form %}").render(context))


def test_unbound_text_input_has_label_hint_and_describedby():
    page = render_filter(EveryWidgetForm())

    control = page.by_id("id_full_name")
    assert control["tag"] == "input"
    assert control["attrs"]["type"] == "text"
    assert control.classes == ["nhsuk-input"]
    assert page.label_for("id_full_name").classes == ["nhsuk-label"]
    assert page.label_for("id_full_name").text == "Full name"
    hint = page.by_id("id_full_name-hint")
    assert hint.classes == ["nhsuk-hint"]
    assert hint.text == "As it appears on your NHS record"
    assert control["attrs"]["aria-describedby"] == "id_full_name-hint"
    assert page.find(css_class="nhsuk-form-group--error") == []
    assert page.find(css_class="nhsuk-error-summary") == []
    assert page.find(css_class="nhsuk-error-message") == []


def test_field_without_hint_or_error_has_no_describedby():
    page = render_filter(EveryWidgetForm())

    assert "aria-describedby" not in page.by_id("id_email")["attrs"]


def test_email_and_password_inputs_keep_their_types_and_never_echo_the_password():
    page = render_filter(EveryWidgetForm(data={**VALID, "full_name": ""}))

    assert page.by_id("id_email")["attrs"]["type"] == "email"
    assert page.by_id("id_email")["attrs"]["value"] == "ada@example.nhs.uk"
    password = page.by_id("id_password")
    assert password["attrs"]["type"] == "password"
    assert "value" not in password["attrs"]
    assert password.classes == ["nhsuk-input"]


def test_textarea_and_select_use_nhsuk_classes_and_keep_values():
    page = render_filter(EveryWidgetForm(data={**VALID, "comments": "Too slow", "full_name": ""}))

    textarea = page.by_id("id_comments")
    assert textarea["tag"] == "textarea"
    assert textarea.classes == ["nhsuk-textarea"]
    assert textarea.text == "Too slow"
    assert page.label_for("id_comments").text == "Comments (optional)"
    select = page.by_id("id_region")
    assert select["tag"] == "select"
    assert select.classes == ["nhsuk-select"]
    selected = [option for option in page.find("option") if "selected" in option["attrs"]]
    assert [(option["attrs"]["value"], option.text) for option in selected] == [("Y55", "Midlands")]


def test_radios_are_a_fieldset_with_legend_hint_and_labelled_options():
    page = render_filter(EveryWidgetForm(data={**VALID, "full_name": ""}))

    group = page.find("div", css_class="nhsuk-radios")
    assert len(group) == 1
    assert group[0]["attrs"]["data-module"] == "nhsuk-radios"
    fieldset = page.find("fieldset", css_class="nhsuk-fieldset", aria_describedby="id_rater_group-hint")
    assert len(fieldset) == 1
    assert page.find("legend", css_class="nhsuk-fieldset__legend")[0].text == "Your role"
    assert page.by_id("id_rater_group-hint").text == "Choose one"
    radios = page.find("input", type="radio")
    assert [radio["attrs"]["id"] for radio in radios] == ["id_rater_group_0", "id_rater_group_1"]
    for radio in radios:
        assert radio.classes == ["nhsuk-radios__input"]
        assert radio["attrs"]["name"] == "rater_group"
        assert "aria-describedby" not in radio["attrs"]
        assert page.label_for(radio["attrs"]["id"]).classes == ["nhsuk-label", "nhsuk-radios__label"]
    assert [radio["attrs"]["value"] for radio in radios if "checked" in radio["attrs"]] == ["managerial"]
    assert page.find(css_class="nhsuk-radios--inline") == []


def test_inline_radios_layout_adds_the_inline_modifier():
    form = EveryWidgetForm()
    form.helper = FormHelper()
    form.helper.layout = Layout(InlineRadios("rater_group"))

    page = render_tag(form)

    assert len(page.find("div", css_class="nhsuk-radios--inline")) == 1


def test_checkboxes_group_and_single_checkbox():
    page = render_filter(EveryWidgetForm(data={**VALID, "full_name": ""}))

    assert len(page.find("fieldset", aria_describedby="id_topics-hint")) == 1
    topics = page.find("input", type="checkbox", name="topics")
    assert [box["attrs"]["id"] for box in topics] == ["id_topics_0", "id_topics_1"]
    assert all(box.classes == ["nhsuk-checkboxes__input"] for box in topics)
    assert [box["attrs"]["value"] for box in topics if "checked" in box["attrs"]] == ["specialised"]
    assert page.label_for("id_topics_1").text == "Specialised services"

    agree = page.by_id("id_agree")
    assert agree["attrs"]["type"] == "checkbox"
    assert "checked" in agree["attrs"]
    assert agree["attrs"]["aria-describedby"] == "id_agree-hint"
    assert page.label_for("id_agree").classes == ["nhsuk-label", "nhsuk-checkboxes__label"]
    assert page.by_id("id_agree-hint").classes == ["nhsuk-hint", "nhsuk-checkboxes__hint"]


def test_hidden_field_is_a_bare_hidden_input():
    page = render_filter(EveryWidgetForm(initial={"cycle": "2013"}))

    hidden = page.by_id("id_cycle")
    assert hidden["attrs"]["type"] == "hidden"
    assert hidden["attrs"]["value"] == "2013"
    assert page.find("label", **{"for": "id_cycle"}) == []


@pytest.mark.parametrize("render", [render_filter, render_tag], ids=["filter", "tag"])
def test_errors_mark_the_group_the_control_and_link_from_the_summary(render):
    form = EveryWidgetForm(data={"email": "not-an-email"})
    form.fields["comments"].required = True

    page = render(form)

    summary = page.find("div", css_class="nhsuk-error-summary")
    assert len(summary) == 1
    assert summary[0]["attrs"]["data-module"] == "nhsuk-error-summary"
    assert len(page.find("div", role="alert")) == 1
    assert page.find("h2", css_class="nhsuk-error-summary__heading")[0].text == "There is a problem"
    hrefs = [link["attrs"]["href"] for link in page.find("a") if link["attrs"].get("href", "").startswith("#")]
    assert hrefs == [
        "#id_full_name",
        "#id_email",
        "#id_password",
        "#id_comments",
        "#id_region",
        "#id_rater_group_0",
        "#id_topics_0",
        "#id_agree",
    ]
    for href in hrefs:
        page.by_id(href[1:])  # every link lands on a real control

    for control_id, error_class in [
        ("id_full_name", "nhsuk-input--error"),
        ("id_email", "nhsuk-input--error"),
        ("id_comments", "nhsuk-textarea--error"),
        ("id_region", "nhsuk-select--error"),
    ]:
        control = page.by_id(control_id)
        assert error_class in control.classes
        assert control["attrs"]["aria-invalid"] == "true"
        described_by = control["attrs"]["aria-describedby"].split()
        assert f"{control_id}-error" in described_by
        for target in described_by:
            page.by_id(target)  # every id it names exists
        group = page.by_id(f"div_{control_id}")
        assert group.classes[:2] == ["nhsuk-form-group", "nhsuk-form-group--error"]
        message = page.by_id(f"{control_id}-error")
        assert message["tag"] == "span"
        assert message.classes == ["nhsuk-error-message"]
        assert message.text.startswith("Error: ")
    assert page.by_id("id_full_name")["attrs"]["aria-describedby"] == "id_full_name-hint id_full_name-error"
    assert page.by_id("id_email-error").text == "Error: Enter a valid email address."
    assert page.find("span", css_class="nhsuk-u-visually-hidden")[0].text == "Error:"

    # Groups put the hint and error on the fieldset, which the error summary's link leads into.
    radios_fieldset = page.find("fieldset", aria_describedby="id_rater_group-hint id_rater_group-error")
    assert len(radios_fieldset) == 1
    assert "nhsuk-form-group--error" in page.by_id("div_id_rater_group").classes
    assert page.by_id("id_agree")["attrs"]["aria-describedby"] == "id_agree-hint id_agree-error"


def test_non_field_and_hidden_field_errors_are_in_the_summary_linked_to_the_first_field():
    class CheckedForm(EveryWidgetForm):
        def clean(self):
            self.add_error("cycle", "The cycle has closed")
            raise forms.ValidationError("These details do not match our records")

    page = render_filter(CheckedForm(data=VALID))

    items = page.find("ul", css_class="nhsuk-error-summary__list")[0]
    assert "These details do not match our records" in items.text
    assert "The cycle has closed" in items.text
    links = [link for link in page.find("a") if link["attrs"].get("href", "").startswith("#")]
    assert [link["attrs"]["href"] for link in links] == ["#id_full_name", "#id_full_name"]


def test_valid_form_has_no_error_markup():
    form = EveryWidgetForm(data=VALID)
    assert form.is_valid()

    page = render_filter(form)

    assert page.find(css_class="nhsuk-error-summary") == []
    assert page.find(css_class="nhsuk-form-group--error") == []
    assert [element for element in page.elements if "aria-invalid" in element["attrs"]] == []


def test_values_are_escaped():
    page = render_filter(EveryWidgetForm(data={**VALID, "full_name": '"><script>alert(1)</script>', "email": ""}))

    assert page.find("script") == []
    assert page.by_id("id_full_name")["attrs"]["value"] == '"><script>alert(1)</script>'


def test_crispy_tag_renders_form_csrf_and_nhsuk_buttons():
    form = EveryWidgetForm()
    form.helper = FormHelper()
    form.helper.form_id = "details"
    form.helper.add_input(Submit("save", "Save and continue"))
    form.helper.add_input(Submit("draft", "Save as draft", css_class="nhsuk-button--secondary"))
    form.helper.add_input(Button("cancel", "Cancel"))

    page = render_tag(form)

    form_element = page.by_id("details")
    assert form_element["tag"] == "form"
    assert form_element["attrs"]["method"] == "post"
    assert len(page.find("input", type="hidden", name="csrfmiddlewaretoken")) == 1
    buttons = page.find("button")
    assert [(button.text, button["attrs"]["type"], button.classes) for button in buttons] == [
        ("Save and continue", "submit", ["nhsuk-button"]),
        ("Save as draft", "submit", ["nhsuk-button", "nhsuk-button--secondary"]),
        ("Cancel", "button", ["nhsuk-button", "nhsuk-button--secondary"]),
    ]
    assert all(button["attrs"]["data-module"] == "nhsuk-button" for button in buttons)
    assert page.find("div", css_class="nhsuk-button-group")


def test_helper_can_hide_the_summary_for_a_page_that_shows_it_above_its_heading():
    form = EveryWidgetForm(data={})
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.error_summary = False

    page = render_tag(form)
    summary_alone = Page(
        Template("{% load crispy_forms_tags %}{{ form|as_crispy_errors }}").render(Context({"form": form}))
    )

    assert page.find(css_class="nhsuk-error-summary") == []
    assert page.find("form") == []
    assert page.find("input", name="csrfmiddlewaretoken") == []
    assert page.by_id("id_email-error")  # inline errors still shown
    assert len(summary_alone.find("div", css_class="nhsuk-error-summary")) == 1
