"""Shared in-memory state: one lock, one clock, id counters, emulated durations, the backend base.

Each provider's backend keeps its own records and derives every status from timestamps when it
is read (no background threads): a run stores when it started and the durations in force at
that moment, and `Timeline` turns "now" into a phase.
"""

from __future__ import annotations

import inspect
import itertools
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from agentsim_local.emulator.directives import Outcome, outcome
from agentsim_local.emulator.errors import NotFound
from agentsim_local.emulator.settings import EmulatorSettings


@dataclass(frozen=True)
class Durations:
    """Emulated durations snapshotted when a run starts."""

    queue: float
    call: float
    summary: float

    @classmethod
    def of(cls, settings: EmulatorSettings) -> Durations:
        return cls(settings.queue_seconds, settings.call_seconds, settings.summary_seconds)


@dataclass
class Timeline:
    """One call's life: queued, talking, evaluated. `ended_at` cuts the talk short."""

    started_at: float
    durations: Durations
    offset: float = 0.0
    ended_at: float | None = None

    @property
    def call_start(self) -> float:
        return self.started_at + self.durations.queue + self.offset

    @property
    def call_end(self) -> float:
        natural = self.call_start + self.durations.call
        if self.ended_at is None:
            return natural
        return max(self.call_start, min(natural, self.ended_at))

    @property
    def evaluated_at(self) -> float:
        return self.call_end + self.durations.summary

    def phase(self, now: float) -> str:
        """`queued`, `talking`, `evaluating` or `done`."""
        if now < self.call_start:
            return "queued"
        if now < self.call_end:
            return "talking"
        if now < self.evaluated_at:
            return "evaluating"
        return "done"


class Store:
    """What every provider shares: the lock, the clock, the settings and the id counters."""

    def __init__(self, settings: EmulatorSettings, clock: Callable[[], float] = time.time) -> None:
        self.lock = threading.RLock()
        self.settings = settings
        self._clock = clock
        self._counters: dict[str, Iterator[int]] = {}
        self._resets: list[Callable[[], None]] = []
        self.failing: frozenset[str] = frozenset()
        """Case names (lower-case) that fail from now on, whatever their text says."""
        self.failing_attempts: frozenset[int] = frozenset()
        """The attempts of a case in one run (1 = its first call) that `failing` fails; empty:
        every attempt."""

    def now(self) -> float:
        return self._clock()

    def outcome(self, *texts: str | None, attempt: int = 1) -> Outcome:
        """How this attempt of a case with these texts ends, by its markers and the failing
        cases the control plane set."""
        return outcome(
            *texts, failing=self.failing, attempt=attempt, failing_attempts=self.failing_attempts
        )

    def durations(self) -> Durations:
        return Durations.of(self.settings)

    def next_id(self, name: str, start: int = 1) -> int:
        with self.lock:
            counter = self._counters.setdefault(name, itertools.count(start))
            return next(counter)

    def on_reset(self, hook: Callable[[], None]) -> None:
        """Register a provider's reset (which also re-seeds its fixtures) and run it once."""
        self._resets.append(hook)
        with self.lock:
            hook()

    def reset(self) -> None:
        with self.lock:
            self._counters.clear()
            self.failing = frozenset()
            self.failing_attempts = frozenset()
            for hook in self._resets:
                hook()


class Identified(Protocol):
    """A record: kept in its table under its id."""

    @property
    def id(self) -> Hashable: ...


class Backend:
    """A provider's records on the shared store.

    Each attribute a subclass annotates is a table (a dict of records by id): created here,
    emptied on every reset, after which `seed` puts back what a fresh provider has.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._tables: list[dict[Any, Any]] = []
        for cls in type(self).__mro__[: type(self).__mro__.index(Backend)]:
            for name in inspect.get_annotations(cls):
                table: dict[Any, Any] = {}
                setattr(self, name, table)
                self._tables.append(table)
        store.on_reset(self.reset)

    def reset(self) -> None:
        for table in self._tables:
            table.clear()
        self.seed()

    def seed(self) -> None:
        """The records every reset starts from."""

    def add[R: Identified](self, table: dict[Any, R], record: R) -> R:
        """Keep a new `record` in one of the tables, under its id; the record."""
        table[record.id] = record
        return record


def find[K, V](table: Mapping[K, V], key: K | None, message: str) -> V:
    """`table[key]`, or `NotFound(message)` (also for no key at all)."""
    if key is None or key not in table:
        raise NotFound(message)
    return table[key]


def int_id(text: str) -> int | None:
    """The integer id a path or body spells, or None when it spells none (`"12"` -> 12)."""
    return int(text) if text.isdecimal() else None


def iso(ts: float) -> str:
    """ISO 8601 in UTC, the format Bluejay and Synthflow use."""
    return datetime.fromtimestamp(ts, UTC).isoformat()
