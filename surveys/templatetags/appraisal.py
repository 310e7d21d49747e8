"""Template tags of the surveys app for pages of other apps (the home page), which must not import surveys."""

from django import template

from surveys import selectors

register = template.Library()


@register.simple_tag
def current_appraisal(user):
    """Return the appraisal ``user`` answers in the cycle open now (a ``RespondentAppraisal``), or ``None``."""
    return selectors.respondent_appraisal_current(user=user)
