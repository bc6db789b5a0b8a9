"""Bluejay records as its API shows them (bluejay-sdk 0.3.6's response models validate these).

`now` is the emulator clock's reading for the whole answer; `base_url` the emulator's own, for
the transcript and audio URLs it serves under `/_emulator/media`.
"""

from __future__ import annotations

from typing import Any

from agentsim_local.emulator.bluejay.records import (
    TERMINAL,
    DigitalHuman,
    Ended,
    Result,
    Run,
    Simulation,
)
from agentsim_local.emulator.state import iso
from agentsim_local.emulator.views import record_view

TOP_LEVEL = frozenset(
    {"name", "description", "max_concurrent", "max_turns", "ringing_timeout", "tags"}
    | {"pinned", "always_on"}
)
"""Simulation fields shown beside `settings` rather than in it."""


def human_view(human: DigitalHuman) -> dict[str, Any]:
    """The fields given beyond the named ones first: a named one always wins."""
    return {**human.extra, **record_view(human, times=["created_at"], leave_out=["extra"])}


def settings_of(sim: Simulation) -> dict[str, Any]:
    return {k: v for k, v in sim.fields.items() if k not in TOP_LEVEL}


def simulation_view(sim: Simulation) -> dict[str, Any]:
    f = sim.fields
    return {
        "id": sim.id,
        "agent_id": sim.agent_id,
        "name": sim.name,
        "type": "sequential" if f.get("sequential_calling") else "parallel",
        "created_at": iso(sim.created_at),
        "settings": settings_of(sim),
        "max_concurrent": f.get("max_concurrent"),
        "max_turns": f.get("max_turns"),
        "ringing_timeout": f.get("ringing_timeout"),
        "tags": f.get("tags") or [],
        "description": f.get("description"),
        "pinned": bool(f.get("pinned")),
        "always_on": bool(f.get("always_on")),
    }


def simulation_summary(sim: Simulation) -> dict[str, Any]:
    """A simulation in the lists (get-all-simulations, by agent)."""
    return {
        "id": sim.id,
        "name": sim.name,
        "agent_id": sim.agent_id,
        "created_at": iso(sim.created_at),
        "settings": settings_of(sim),
    }


def run_counts(run: Run, now: float) -> dict[str, Any]:
    statuses = [(r, r.status(now)) for r in run.results]
    done = [r for r, s in statuses if s in TERMINAL]
    passed = sum(1 for r, s in statuses if s == "COMPLETED" and r.outcome == "pass")
    failed = sum(1 for r, s in statuses if s == "COMPLETED" and r.outcome == "fail")
    complete = len(done) == len(run.results)
    return {
        "status": "COMPLETED" if complete else "RUNNING",
        "summary": f"{passed} of {len(run.results)} tests passed" if complete else None,
        "total_tests": len(run.results),
        "tests_passed": passed,
        "tests_failed": failed,
        "tests_completed": len(done),
        "tests_incompleted": sum(1 for _, s in statuses if s == "INCOMPLETED"),
    }


def run_view(run: Run, now: float) -> dict[str, Any]:
    """The run in retrieve-simulation-results (ids as strings)."""
    return {
        "id": str(run.id),
        "simulation_id": str(run.simulation_id),
        "created_at": iso(run.created_at),
        **run_counts(run, now),
    }


def run_list_item(run: Run, now: float) -> dict[str, Any]:
    """The run in get-simulation-runs (ids as integers)."""
    return {
        "id": run.id,
        "experiment_id": run.simulation_id,
        "created_at": iso(run.created_at),
        **run_counts(run, now),
        "curr_step_id": None,
        "phone_number": None,
    }


def queued_view(run: Run) -> dict[str, Any]:
    return {
        "simulation_run_id": str(run.id),
        "simulation_result_ids": [str(r.id) for r in run.results],
        "agent_id": str(run.agent_id),
        "status": "success",
    }


def result_view(result: Result, now: float, base_url: str) -> dict[str, Any]:
    status = result.status(now)
    tl = result.timeline
    started = now >= tl.call_start
    ended = now >= tl.call_end
    media = f"{base_url}_emulator/media/bluejay/results/{result.id}"
    return {
        "id": result.id,
        "digital_human_id": result.human.id,
        "status": status,
        "duration": round((tl.call_end - tl.call_start) * 1000) if ended else None,
        "start_time": iso(tl.call_start) if started else None,
        "end_time": iso(tl.call_end) if ended else None,
        "transcript_url": f"{media}/transcript.json" if ended else None,
        "audio_url": f"{media}/audio.wav" if ended else None,
        "events": [],
        "tool_calls": [],
        "trace_ids": [],
        "evaluations": [_evaluation(result)] if status == "COMPLETED" else [],
    }


def ended_view(ended: Ended) -> dict[str, Any]:
    failed = ended.failed
    return {
        "success": not failed,
        "ended_count": len(ended.ended),
        "test_result_ids": ended.ended,
        "failed_ids": failed or None,
        "message": f"Ended {len(ended.ended)} conversation(s)"
        + (f"; {len(failed)} not running" if failed else ""),
    }


def _evaluation(result: Result) -> dict[str, Any]:
    success = result.outcome == "pass"
    criteria = result.human.success_criteria or "the caller's goal"
    return {
        "id": f"eval-{result.id}",
        "created_at": iso(result.timeline.evaluated_at),
        "agent_speak_percentage": 52.0,
        "avg_agent_latency": 850.0,
        "goal_success": success,
        "goal_reasoning": (
            f"The agent achieved: {criteria}."
            if success
            else f"The agent did not achieve: {criteria}."
        ),
        "hallucination": False,
        "hallucination_reasoning": "No unsupported claims.",
        "redundancy": False,
        "redundancy_reasoning": "No repetition.",
        "num_turns": 6,
        "call_summary": f"{result.human.name or 'Caller'}: {result.human.intent}",
        "sentiment_label": "positive" if success else "negative",
        "sentiment_score": 0.8 if success else -0.6,
    }
