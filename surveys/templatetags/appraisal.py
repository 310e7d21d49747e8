"""Template tags of the surveys app for pages of other apps (the home page), which must not import surveys."""

from django import template

from surveys import selectors

register = template.Library()


@register.simple_tag
def lead_current_appraisal(user):
    """Return ``user``'s appraisal in the cycle open now (a ``LeadAppraisal``), or ``None``."""
    return selectors.lead_appraisal_current(user=user)
