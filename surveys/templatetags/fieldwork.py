"""Template helpers of the fieldwork workspace."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """Return ``mapping[key]`` (blank when missing): a status's label or count by its code."""
    return mapping.get(key, "")
