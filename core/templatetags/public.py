"""Template tags for the public pages' parts shown elsewhere (the contact details on "link not valid" pages)."""

from django import template

from core.public import contact_details as _contact_details

register = template.Library()


@register.simple_tag
def contact_details() -> dict:
    """Return the service team's contact details (``core.public.contact_details``)."""
    return _contact_details()
