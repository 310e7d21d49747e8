"""Likely names and contact details in a comment, highlighted for the moderator to redact.

A simple heuristic, meant to catch the eye, not to decide: email addresses, phone numbers, a title
(Dr, Mr, Mrs, Ms, Miss, Prof, Sir, Dame) with the capitalised words after it, and capitalised words not
at the start of a sentence, except acronyms and the words the service's own names use (NHS England,
area team, months, days...). The moderator still reads every comment.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\w)")
TITLE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Prof|Professor|Sir|Dame)\b\.?(?:\s+[A-Z][a-z'’-]+)+")
CAPITALISED = re.compile(r"\b[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)*")
SENTENCE_END = re.compile(r"[.!?:;]\s*$|^\s*$|[\n(\"“]\s*$")
# Capitalised words that are not names in this service's comments.
NOT_NAMES = frozenset(
    """
    I NHS England English Britain British UK London North South East West Midlands Yorkshire Humber
    Area Team Teams Region Regional National Local Clinical Commissioning Group Groups CCG CCGs GP GPs
    Commissioners Commissioner Council Health Care Trust Foundation Hospital Service Services Primary
    Specialised Secretary State Select Committee Department Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday January February March April May June July August September October November
    December Christmas Easter The A An We Our They It This That There These Those He She His Her
    """.split()
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "email", "phone", "name"


def _at_sentence_start(text: str, start: int) -> bool:
    return bool(SENTENCE_END.search(text[:start]))


def likely_names(text: str) -> list[Span]:
    """Return the spans of ``text`` that look like names, email addresses or phone numbers, in order."""
    spans: list[Span] = []
    taken = [False] * len(text)

    def add(start: int, end: int, kind: str) -> None:
        if any(taken[start:end]):
            return
        taken[start:end] = [True] * (end - start)
        spans.append(Span(start, end, kind))

    for match in EMAIL.finditer(text):
        add(match.start(), match.end(), "email")
    for match in PHONE.finditer(text):
        add(match.start(), match.end(), "phone")
    for match in TITLE.finditer(text):
        add(match.start(), match.end(), "name")
    for match in CAPITALISED.finditer(text):
        words = [w for w in match.group(0).split() if w not in NOT_NAMES]
        if not words:
            continue
        start = match.start()
        if _at_sentence_start(text, start):
            # The sentence's first word is capitalised anyway: a name only if more capitalised words follow.
            first_end = start + len(match.group(0).split()[0])
            rest = text[first_end : match.end()].strip()
            if not rest or all(w in NOT_NAMES for w in rest.split()):
                continue
            start = match.start() + match.group(0).index(rest)
        add(start, match.end(), "name")
    return sorted(spans, key=lambda s: s.start)


def highlighted(text: str) -> SafeString:
    """Return ``text`` as HTML (escaped) with each likely name or contact detail in a <mark>."""
    out, at = [], 0
    for span in likely_names(text):
        out.append(escape(text[at : span.start]))
        marked = escape(text[span.start : span.end])
        out.append(f'<mark class="app-likely-name" data-kind="{span.kind}">{marked}</mark>')
        at = span.end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece of the text is escaped above)
