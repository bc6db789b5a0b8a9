"""How long to wait before the next poll of a provider.

Short at first (a run can fail fast, and a user watches the first minute), then growing
geometrically toward a cap tied to the expected duration: polling every ~1/10 of the expected
run keeps the number of polls per run roughly constant whatever its length. Everything is
clamped to [minimum, maximum] from the template parameters, and never past the deadline.
"""

from __future__ import annotations

import math
from datetime import datetime

GROWTH = 1.5
"""Each wait is this much longer than the previous one."""
FRACTION_OF_EXPECTED = 0.1
"""The wait grows up to this share of the expected duration."""


def next_wait(
    poll_count: int,
    expected_seconds: float | None,
    *,
    minimum: int,
    maximum: int,
    now: datetime | None = None,
    deadline: datetime | None = None,
) -> int:
    """Seconds to wait after poll number `poll_count` (0 = before the first poll)."""
    if minimum < 1 or maximum < minimum:
        raise ValueError(f"need 1 <= minimum <= maximum, got {minimum}..{maximum}")
    grown = minimum * GROWTH ** max(poll_count, 0)
    cap = float(maximum)
    if expected_seconds is not None and expected_seconds > 0:
        cap = min(cap, max(float(minimum), expected_seconds * FRACTION_OF_EXPECTED))
    wait = min(grown, cap)
    if now is not None and deadline is not None:
        # Wake up just after the deadline rather than long past it.
        wait = min(wait, max(1.0, (deadline - now).total_seconds() + 1))
    return max(minimum, min(maximum, math.ceil(wait)))
