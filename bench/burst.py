"""A burst of sign-ins at once (password hashing) with a light page fetched beside them, for bench/load.py.

BENCH_LOAD_BURST (20): how many sign-ins are sent at once, the demo accounts, each from its own address.
"""

import asyncio
import os
import time

from portal import csrf
from report import percentile

BURST = int(os.environ.get("BENCH_LOAD_BURST", "20"))  # sign-ins sent at once
DEMO_ACCOUNTS = ["lead@example.nhs.uk", "analyst@example.nhs.uk", "admin@example.nhs.uk", "areateam@example.nhs.uk"]


async def burst(port: int) -> dict:
    """Time a light page (``/robots.txt``) alone, then while ``BURST`` sign-ins (password hashing) run at once."""
    import httpx

    from accounts.services import DEMO_PASSWORD

    base = f"http://127.0.0.1:{port}"
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=0)

    async def probe(seconds: float) -> list[float]:
        times = []
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                started = time.monotonic()
                await client.get("/robots.txt")
                times.append(time.monotonic() - started)
                await asyncio.sleep(0.05)
        return times

    async def sign_in(n: int) -> float:
        address = f"10.255.{n // 256}.{n % 256 or 1}"
        async with httpx.AsyncClient(
            base_url=base, timeout=60, limits=limits, headers={"X-Forwarded-For": address}
        ) as client:
            page = await client.get("/sign-in/")
            form = {"csrfmiddlewaretoken": csrf(page.text), "username": DEMO_ACCOUNTS[n % 4], "password": DEMO_PASSWORD}
            started = time.monotonic()
            answer = await client.post("/sign-in/", data=form)
            if answer.status_code != 302:
                raise RuntimeError(f"a sign-in of the burst answered {answer.status_code}")
            return time.monotonic() - started

    alone = await probe(3)
    probing = asyncio.create_task(probe(4))
    await asyncio.sleep(0.5)
    sign_ins = await asyncio.gather(*(sign_in(n) for n in range(BURST)))
    during = await probing
    return {"alone": alone, "during": during, "sign_ins": list(sign_ins)}


def burst_lines(figures: dict) -> list[str]:
    def ms(values, q):
        return f"{1000 * percentile(values, q):.0f} ms"

    return [
        "",
        f"A burst of {BURST} sign-ins at once (the demo accounts, each from its own address) on the same "
        "server before the journeys, with a light page (`/robots.txt`) fetched every 50 ms meanwhile:",
        "",
        "| | requests | p50 | p99 |",
        "|---|---:|---:|---:|",
        f"| light page, alone | {len(figures['alone'])} | {ms(figures['alone'], 0.5)} | {ms(figures['alone'], 0.99)} |",
        f"| light page, during the burst | {len(figures['during'])} | {ms(figures['during'], 0.5)} | "
        f"{ms(figures['during'], 0.99)} |",
        f"| the sign-ins | {len(figures['sign_ins'])} | {ms(figures['sign_ins'], 0.5)} | "
        f"{ms(figures['sign_ins'], 0.99)} |",
    ]
