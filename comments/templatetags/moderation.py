"""Template helpers of comment moderation."""

from django import template

from comments.redaction import highlighted

register = template.Library()


@register.filter
def likely_names_marked(text: str):
    """Return the comment as HTML with likely names, emails and phone numbers marked for redaction."""
    return highlighted(text or "")
