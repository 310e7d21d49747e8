"""A process-local copy of cache entries that never change under their key (still used by reports' pages;
to be removed with them). The shared cache itself is django-redis (settings/database.py)."""

import threading
from collections import OrderedDict

from django.core.signals import setting_changed


class LocalCopies:
    """A bounded copy, in this process, of cache entries that never change under their key.

    For entries whose key names everything they depend on (pages keyed on the scorecard set they were
    built from): a copy can never be stale, so reading it saves the round trip to the shared cache
    (and, for a page, moving tens of kilobytes). The least recently read entries go first once the
    copies hold more than ``max_chars`` characters. A settings change (tests) forgets them all.
    """

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()  # gunicorn's sync workers have one thread; runserver has many
        setting_changed.connect(self._forget)

    def get(self, key: str) -> str | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: str) -> None:
        if len(value) > self.max_chars:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._chars -= len(old)
            self._entries[key] = value
            self._chars += len(value)
            while self._chars > self.max_chars:
                _, dropped = self._entries.popitem(last=False)
                self._chars -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._chars = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _forget(self, **kwargs) -> None:
        self.clear()
