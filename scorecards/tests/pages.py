"""The results pages as tests read them: a row of a table, the main content, what the cache really holds."""

import re

from django.core.cache import cache


def row_html(html: str, testid: str) -> str:
    match = re.search(rf'<tr[^>]*data-testid="{re.escape(testid)}".*?</tr>', html, re.S)
    assert match, f"no row {testid}"
    return match.group(0)


def main_of(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S).group(0)


# Every key the cache was asked about (the cache's KEY_FUNCTION, a documented setting, records them).
KEYS_SEEN: set[str] = set()


def recording_key(key: str, key_prefix: str, version: int) -> str:
    KEYS_SEEN.add(key)
    return f"{key_prefix}:{version}:{key}"


def cached_pages(kind: str) -> dict[str, str]:
    """Return the HTML the cache really holds for one kind of page ("league", "scorecard"), by key."""
    pages = {}
    for key in list(KEYS_SEEN):
        if key.startswith("reports:") and key.split(":")[2] == kind:  # sessions may be cached here too
            html = cache.get(key)
            if html is not None:
                pages[key] = html
    return pages
