"""Password hashing that one burst of sign-ins cannot turn into a stall of every page.

Django's PBKDF2 hasher, unchanged in its algorithm and hashes (same ``algorithm`` name, so every stored
hash still verifies), with at most ``PASSWORD_HASHING_CONCURRENCY`` hashings at once per process.
PBKDF2 holds a core for its whole run and releases the GIL meanwhile: with gunicorn's threads, twenty
sign-ins at once would otherwise be twenty hashings sharing two cores, and every other request in the
process would get a twentieth of them. Bounded, the sign-ins queue for the hasher (each is as slow as
before, the last later) while other requests run beside the one hashing.
"""

import threading

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

_hashing = threading.BoundedSemaphore(getattr(settings, "PASSWORD_HASHING_CONCURRENCY", 1))


class BoundedPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256, at most ``PASSWORD_HASHING_CONCURRENCY`` at once in this process."""

    def encode(self, password, salt, iterations=None):
        with _hashing:
            return super().encode(password, salt, iterations)
