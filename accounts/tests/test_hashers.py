"""accounts.hashers: Django's PBKDF2, its hashes unchanged, at most PASSWORD_HASHING_CONCURRENCY at once."""

import threading
import time

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from accounts import hashers
from accounts.hashers import BoundedPBKDF2PasswordHasher


def test_hashes_are_djangos_pbkdf2_both_ways():
    bounded, plain = BoundedPBKDF2PasswordHasher(), PBKDF2PasswordHasher()
    encoded = bounded.encode("correct horse", bounded.salt(), iterations=1000)

    assert encoded.startswith("pbkdf2_sha256$1000$")
    assert plain.verify("correct horse", encoded) and not plain.verify("wrong", encoded)
    assert bounded.verify("correct horse", plain.encode("correct horse", plain.salt(), iterations=1000))


def test_no_more_hashings_at_once_than_the_setting(monkeypatch):
    at_once, most, lock = 0, 0, threading.Lock()

    def slow_encode(self, password, salt, iterations=None):
        nonlocal at_once, most
        with lock:
            at_once += 1
            most = max(most, at_once)
        time.sleep(0.05)
        with lock:
            at_once -= 1
        return "pbkdf2_sha256$1$x$y"

    monkeypatch.setattr(PBKDF2PasswordHasher, "encode", slow_encode)
    monkeypatch.setattr(hashers, "_hashing", threading.BoundedSemaphore(1))
    threads = [threading.Thread(target=BoundedPBKDF2PasswordHasher().encode, args=("p", "salt")) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert most == 1
