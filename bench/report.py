"""Write one benchmark's section of bench/results.md, leaving the other benchmarks' sections as they are
(and the quantiles its tables report).

Each section sits between ``<!-- bench:NAME:start -->`` and ``<!-- bench:NAME:end -->``; writing it again
replaces only what is between its markers, and a section not there yet is appended.
"""

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"
TITLE = "# Benchmarks\n"


def percentile(values: list[float], q: float) -> float:
    """Return the ``q`` quantile (0 to 1) of ``values``: the nearest of them by rank."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def write_section(name: str, markdown: str, path: Path = RESULTS) -> None:
    """Put ``markdown`` between the markers of section ``name`` in ``path`` (created if missing)."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    text = path.read_text() if path.exists() else TITLE
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)
