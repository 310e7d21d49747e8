"""Template filters for words: a heading or label placed in the middle of a sentence."""

from django import template

register = template.Library()


@register.filter
def mid_sentence(text) -> str:
    """Return ``text`` as it reads mid-sentence: its first letter lower case, unless its first word is an acronym.

    "Common purpose" becomes "common purpose"; "NHS England's work with the CCG" and "CCG leads" stay as they
    are. Only the first letter changes, so names and acronyms later in the text keep their capitals (never
    "the ccg", as ``|lower`` would write).
    """
    text = str(text or "")
    first = text.split(" ", 1)[0]
    if not first or (len(first) > 1 and first[:2].isupper()):
        return text
    return text[0].lower() + text[1:]
