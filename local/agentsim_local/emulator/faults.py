"""Fault injection: throttling, server errors, slow, malformed and HTML answers on demand.

A fault is checked before the handler runs, so a faulted call changes no state. The one
exception is `slow`: the handler runs first and the answer is held back for `delay` seconds,
so a client that times out has still really started what it asked for (the case the
duplicate-avoidance logic of the workflow must handle).

Matching: `provider` (None = any), `method`, `path_contains` filter the calls. Every matching
call is counted; with `nth`, calls before the Nth are let through. `times` caps how often the
fault fires (default: unlimited, or once when `nth` is given). `rate` makes each candidate fire
with that probability, drawn from a random source seeded by the settings' `seed`.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from agentsim_local.emulator.errors import Throttled, Unavailable, error_response
from agentsim_local.emulator.settings import Provider

FaultKind = Literal["429", "429-retry-after", "5xx", "slow", "malformed", "html"]

HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)


class FaultSpec(BaseModel):
    """One fault rule, as posted to `POST /_emulator/faults`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: Provider | None = None
    kind: FaultKind
    rate: float | None = Field(default=None, ge=0, le=1)
    nth: int | None = Field(default=None, ge=1)
    times: int | None = Field(default=None, ge=1)
    path_contains: str | None = None
    method: str | None = None
    retry_after: float = Field(default=1, ge=0)
    delay: float = Field(default=2.0, ge=0)
    status: int = Field(default=503, ge=500, le=599)

    def applies_to(self, provider: Provider, method: str, path: str) -> bool:
        return (
            (self.provider is None or self.provider == provider)
            and (self.method is None or self.method.upper() == method.upper())
            and (self.path_contains is None or self.path_contains in path)
        )

    @property
    def limit(self) -> int | None:
        if self.times is not None:
            return self.times
        return 1 if self.nth is not None else None


@dataclass
class _Active:
    id: int
    spec: FaultSpec
    seen: int = 0
    fired: int = 0


class FaultRegistry:
    """The active faults. Thread-safe; `match` is called once per provider call."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._faults: list[_Active] = []
        self._next_id = 1
        self._random = random.Random(seed)  # noqa: S311 (test tooling, not crypto)

    def add(self, spec: FaultSpec | None = None, **fields: Any) -> int:
        """Add a fault from a spec or from its fields (`add(kind="429", provider="bluejay")`)."""
        rule = spec if spec is not None else FaultSpec.model_validate(fields)
        with self._lock:
            fault_id = self._next_id
            self._next_id += 1
            self._faults.append(_Active(fault_id, rule))
            return fault_id

    def clear(self, seed: int | None = None) -> None:
        with self._lock:
            self._faults.clear()
            if seed is not None:
                self._random.seed(seed)

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [
                {"id": f.id, **f.spec.model_dump(), "seen": f.seen, "fired": f.fired}
                for f in self._faults
            ]

    def match(self, provider: Provider, method: str, path: str) -> FaultSpec | None:
        """The fault that fires for this call, if any (counting the call for every rule)."""
        chosen: FaultSpec | None = None
        with self._lock:
            for fault in self._faults:
                spec = fault.spec
                if not spec.applies_to(provider, method, path):
                    continue
                fault.seen += 1
                if chosen is not None or (spec.nth is not None and fault.seen < spec.nth):
                    continue
                if spec.limit is not None and fault.fired >= spec.limit:
                    continue
                if spec.rate is not None and self._random.random() >= spec.rate:
                    continue
                fault.fired += 1
                chosen = spec
        return chosen


def fault_response(spec: FaultSpec, provider: Provider) -> Response | None:
    """The canned answer of a fault; None for `slow` (which delays the real answer)."""
    if spec.kind in ("429", "429-retry-after"):
        retry_after = spec.retry_after if spec.kind == "429-retry-after" else None
        return error_response(provider, Throttled("Too Many Requests", retry_after=retry_after))
    if spec.kind == "5xx":
        failure = Unavailable("Internal Server Error (emulated)", status=spec.status)
        return error_response(provider, failure)
    if spec.kind == "malformed":
        return Response(
            '{"success": true, "simulation": {"id": ', 200, media_type="application/json"
        )
    if spec.kind == "html":
        return Response(HTML_PAGE, 502, media_type="text/html")
    return None
