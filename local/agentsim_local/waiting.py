"""Waiting for one run to end, with the progress display; stopping it when the wait is cut short.

A wait ends when the run finishes, when its time is up (`--timeout`), on Ctrl-C (SIGINT) or on
SIGTERM (GitHub Actions sends a cancelled job's processes SIGINT, then SIGTERM). In the last
three cases the run is stopped on the provider (`POST /simulations/{id}/stop`) before the
command returns, the stop bounded by `STOP_SECONDS`, so cancelling a job does not leave paid
calls running and the command is gone within 5 s of the signal. A signal arriving while the
stop is under way is noted, not obeyed: the stop is what the first one asked for.

Every read of the run is bounded by the deadline too (`RunsApi.get(deadline=...)`): a wait
cannot outlast `--timeout` because the API is slow to answer. An API that stops answering
(after the reads' own retries) ends the wait as well: the run's end cannot be known, so it is
stopped (best effort) and the command exits 3, never 0.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import FrameType
from typing import Any

from rich.console import Console

from agentsim_local.errors import CliError, Terminated
from agentsim_local.follow import follow
from agentsim_local.render import progress_for
from agentsim_local.run_view import RunView
from agentsim_local.runs_api import DeadlineReached, NoSuchRun, RunsApi, StopRefused

STOP_SECONDS = 4.0
"""The most a stop may take, all attempts included (the command then exits: under 5 s)."""
UNBORN_POLL = 0.5
"""How often a run whose start was cut short is looked for again, to stop it once it exists."""


class Cut(StrEnum):
    """Why a wait ended before its run did."""

    TIMEOUT = "timeout"
    SIGINT = "SIGINT"
    SIGTERM = "SIGTERM"
    UNREADABLE = "unreadable"
    """The API could not be read (after its retries): the run's end cannot be known."""

    @property
    def exit_status(self) -> int | None:
        """The shell's status for a process ended by this signal (None: not a signal)."""
        return {Cut.SIGINT: 128 + signal.SIGINT, Cut.SIGTERM: 128 + signal.SIGTERM}.get(self)


@dataclass(frozen=True)
class Waited:
    """The run's last record, and what cut the wait short (None: the run finished)."""

    record: dict[str, Any]
    cut: Cut | None = None
    cause: str = ""
    """What cut the wait, in words."""
    after: str = ""
    """What became of the run then: stopped, left running, ..."""

    @property
    def unfinished(self) -> str | None:
        """Why the run may not have finished, in words (for `outcome.judge`)."""
        return None if self.cut is None else f"{self.cause}; {self.after}"


def wait_for_run(
    api: RunsApi,
    run_id: str,
    *,
    label: str,
    timeout: float,
    console: Console,
    known: Mapping[str, Any] | None = None,
    stop: bool = True,
) -> Waited:
    """Follow `run_id` until it ends or `timeout` seconds pass; stop it if the wait is cut.

    `known` is the record the caller already read (shown first). With `stop=False` a cut wait
    leaves the run going.
    """
    deadline = time.monotonic() + timeout
    last: dict[str, Any] = dict(known) if known else {"run_id": run_id, "status": "PENDING"}
    seen = known is not None

    def read(key: str) -> dict[str, Any] | None:
        nonlocal seen
        record = api.get(key, deadline=deadline)
        if record is not None:
            seen = True
            last.clear()
            last.update(record)
        return record

    cut: Cut | None = None
    cause = f"not finished within --timeout {timeout:g}s"
    try:
        with signals_raise():
            follow(
                read,
                {run_id: label},
                progress_for(console),
                timeout=timeout,
                known={run_id: last} if known else None,
            )
    except DeadlineReached:
        cut = Cut.TIMEOUT
    except (KeyboardInterrupt, Terminated) as exc:
        cut = cut_by(exc)
        cause = f"{cut.value} received"
    except CliError as exc:  # the API stopped answering: the run's end cannot be known
        cut, cause = Cut.UNREADABLE, f"the run could not be read: {exc}"
    if cut is None and RunView.of(last).finished:
        return Waited(dict(last))
    cut = cut or Cut.TIMEOUT
    if not stop:
        print(f"agentsim: {cause}; run {run_id} left running", file=sys.stderr)
        return Waited(dict(last), cut, cause, "left running (--keep-running)")
    print(f"agentsim: {cause}: stopping run {run_id}", file=sys.stderr)
    # a run never seen may still be being created (an event's trigger has not run yet)
    final = stop_run(api, run_id, last, maybe_unborn=not seen)
    return Waited(final, cut, cause, _after_stop(final))


def _after_stop(record: Mapping[str, Any]) -> str:
    status = record.get("status")
    if status == "STOPPED":
        refused = isinstance(record.get("stop_error"), Mapping)
        return "stopped here, but the provider did not stop its calls" if refused else "stopped"
    if RunView.of(record).finished:
        return f"it ended {status} meanwhile"
    return "it may still be running: the stop did not go through"


def stop_run(
    api: RunsApi, run_id: str, last: Mapping[str, Any], *, maybe_unborn: bool = False
) -> dict[str, Any]:
    """Stop the run within `STOP_SECONDS`; the record it ended with (else the last one seen).

    `maybe_unborn`: the start that creates the run may still be in flight (a signal cut it),
    so a run not found yet is looked for again until the time is up. What happened is said in
    one line on stderr, a failure to stop included: never silent.
    """
    deadline = time.monotonic() + STOP_SECONDS
    with _signals_deferred():
        while True:
            try:
                stopped = api.stop(run_id, within=max(0.1, deadline - time.monotonic()))
            except StopRefused as exc:
                warning = f"agentsim: warning: run {run_id} may still be running: {exc}"
                print(warning, file=sys.stderr)
                return dict(last)
            except NoSuchRun:
                if maybe_unborn and time.monotonic() + UNBORN_POLL < deadline:
                    time.sleep(UNBORN_POLL)
                    continue
                print(
                    f"agentsim: warning: run {run_id} not found; should it appear, stop it "
                    f"with `agentsim stop {run_id}`",
                    file=sys.stderr,
                )
                return dict(last)
            if stopped is None:  # it had ended: its final record, if it can still be read
                final = _read_quietly(api, run_id, deadline - time.monotonic()) or dict(last)
                status = final.get("status")
                print(f"agentsim: run {run_id} had already ended ({status})", file=sys.stderr)
                return final
            print(f"agentsim: run {run_id} {stopped.get('status', 'STOPPED')}", file=sys.stderr)
            warn_if_still_running(stopped)
            return stopped


def warn_if_still_running(stopped: Mapping[str, Any]) -> None:
    """A provider that cannot stop (Synthflow has no stop endpoint) leaves its calls going even
    though the run is STOPPED here: say so rather than let "STOPPED" mislead."""
    refusal = stopped.get("stop_error")
    if isinstance(refusal, Mapping):
        print(
            f"agentsim: warning: {stopped.get('provider', 'the provider')} did not stop its "
            f"calls: {refusal.get('message') or refusal.get('type')}",
            file=sys.stderr,
        )


def cut_by(interruption: BaseException) -> Cut:
    """The cut a caught KeyboardInterrupt or `Terminated` stands for."""
    return Cut.SIGTERM if isinstance(interruption, Terminated) else Cut.SIGINT


def _read_quietly(api: RunsApi, run_id: str, seconds: float) -> dict[str, Any] | None:
    if seconds <= 0:
        return None
    with contextlib.suppress(DeadlineReached, CliError):
        return api.get(run_id, deadline=time.monotonic() + seconds)
    return None


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _handlers(handlers: Mapping[signal.Signals, Any]) -> Iterator[None]:
    """Install signal handlers for the block (main thread only: elsewhere signals are not ours)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def signals_raise() -> contextlib.AbstractContextManager[None]:
    """SIGINT raises KeyboardInterrupt and SIGTERM `Terminated` while waiting."""
    return _handlers({signal.SIGINT: _raise_interrupt, signal.SIGTERM: _raise_terminated})


def _signals_deferred() -> contextlib.AbstractContextManager[None]:
    """SIGINT and SIGTERM only noted while the stop is under way (it is bounded itself)."""

    def note(signum: int, frame: FrameType | None) -> None:
        print(f"agentsim: {signal.Signals(signum).name}: finishing the stop", file=sys.stderr)

    return _handlers({signal.SIGINT: note, signal.SIGTERM: note})
