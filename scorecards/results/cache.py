"""The cache of the results pages: keys that name the scorecard set they were built from, so that a new
set is a cache miss by construction and nothing has to be invalidated."""

from collections.abc import Callable

from django.core.cache import cache

from scorecards.models import ScorecardSet

CACHE_TIMEOUT = 60 * 60 * 24
# Part of every cache key: change it when a cached template or what it is given changes, so that a
# deployment does not serve pages rendered by the previous code.
CACHE_VERSION = 4


def user_scope(user) -> str:
    """Return what part of the results ``user`` may follow links to (a cache-key part; no query).

    An area team member's scope names the area team by id: keys also name the scorecard set, whose
    build time keeps them apart from another database's that shares the cache.
    """
    if user.is_nhscc:
        return "nhscc"
    if user.is_area_team_member:
        return f"area-team-{user.area_team_id}"
    return "all"


def cached_fragment(key: str | None, render: Callable[[], str]) -> str:
    """Return the HTML cached under ``key``, rendering and storing it first if missing (None: never cached).

    Keys name the scorecard set they were built from, so a newly published set is a cache miss
    by construction and nothing has to be invalidated. Never cache what depends on who is signed in.
    """
    if key is None:
        return render()
    html = cached_page(key)
    if html is None:
        html = render()
        cache.set(key, html, CACHE_TIMEOUT)
    return html


def key_for(*parts) -> str:
    """Return the cache key made of ``parts`` (versioned, no spaces)."""
    return f"reports:v{CACHE_VERSION}:" + ":".join(str(p).replace(" ", "_") for p in parts)


def set_stamp(scorecard_set: ScorecardSet) -> str:
    """Return the cache-key part naming ``scorecard_set``: a new set is a new key."""
    return stamp(scorecard_set.pk, scorecard_set.built_at)


def stamp(set_id: int, built_at) -> str:
    # Set ids restart when a database is rebuilt (tests, restores); with the build time a key cannot
    # name a set of another database that shares the cache.
    return f"{set_id}.{int(built_at.timestamp() * 1_000_000)}"


def cached_page(key: str | None) -> str | None:
    """Return the HTML cached under ``key``, or None if there is none (or no key)."""
    if not key:
        return None
    return cache.get(key)
