"""A Redis server of a test's own, on its own port, that the test can stop (never the shared one on 6379)."""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def own_redis(port: int):
    """Run ``redis-server`` on ``port`` until the block ends; yield a function that stops it early."""
    binary = shutil.which("redis-server")
    if binary is None:
        import pytest

        pytest.skip("redis-server is not installed")
    process = subprocess.Popen(  # noqa: S603 - a fixed local binary and arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not _listening(port):
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"redis-server did not start on port {port}")
        time.sleep(0.05)

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)

    try:
        yield stop
    finally:
        stop()
