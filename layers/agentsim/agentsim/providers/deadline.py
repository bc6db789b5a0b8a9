"""The moment by which a provider call (its retries and backoff included) must be over.

A Lambda function that runs out of time is killed wherever it is: Step Functions then sees
`Sandbox.Timedout` and API Gateway answers 504, instead of the classified `ProviderUnavailable`
that the state machine's Retry/Catch and the API's 503 are built on. So a handler turns the time
its invocation has left into a `Deadline` (`agentsim.invocation`) and hands it to the provider
clients (`Services.within`); `ProviderHttp` caps every attempt's timeouts by it and gives up with
`ProviderUnavailable` rather than start an attempt or a backoff that cannot end in time.

The clock is monotonic (`time.monotonic`): wall-clock steps cannot stretch or shrink a budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Deadline:
    """A point on `clock` (seconds); `remaining()` is what is left of the budget."""

    at: float
    clock: Callable[[], float] = field(default=time.monotonic, compare=False, repr=False)

    @classmethod
    def after(cls, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> Deadline:
        """`seconds` from now (zero or less: already past)."""
        return cls(clock() + seconds, clock)

    def remaining(self) -> float:
        """Seconds left before the deadline; negative once it has passed."""
        return self.at - self.clock()
