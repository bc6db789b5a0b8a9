"""OmniDimension records as its API shows them (the OpenAPI's `Simulation` and its answers).

`now` is the emulator clock's reading for the whole answer; `base_url` the emulator's own, for
the recording URLs it serves under `/_emulator/media`.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from agentsim_local.emulator.omnidimension.records import RUNNING, Call, Simulation, Stop


def simulation_view(sim: Simulation, now: float, base_url: str) -> dict[str, Any]:
    status = sim.status(now)
    calls = sim.run.calls if sim.run else []
    elapsed = sim.run.elapsed(now) if sim.run else 0.0
    finished = [c for c in calls if c.end <= elapsed]
    active = [c for c in calls if c.start <= elapsed < c.end]
    total = len(calls)
    completed = status == "Completed"
    recordings = [_recording(sim, c, base_url) for c in finished]
    failing = sorted({c.scenario["name"] for c in finished if c.outcome == "fail"})
    positive = sum(1 for c in finished if c.outcome != "fail")
    return {
        "id": sim.id,
        "name": sim.name,
        "bot_id": {"id": sim.agent_id, "name": f"Agent {sim.agent_id}"},
        "scenarios_ids": [dict(s) for s in sim.scenarios],
        "status": status,
        "number_of_call_to_make": sim.number_of_call_to_make,
        "concurrent_call_count": sim.concurrent_call_count,
        "max_call_duration_in_minutes": sim.max_call_duration_in_minutes,
        "what_went_wrong": _what_went_wrong(failing) if completed else False,
        "suggestions_for_improvement": _suggestions(failing) if completed else False,
        "prompt_suggestion": "Confirm the caller's goal before acting." if completed else False,
        "is_auto_prompt_suggestions_applied": False,
        "how_many_scenario_to_generate": 0,
        "summary": _summary(len(finished), failing) if completed else False,
        "analyticsData": {
            "Positive": positive,
            "Negative": len(finished) - positive,
            "Neutral": 0,
        },
        "total_simulation_remaining_records": total - len(finished) - len(active),
        "total_simulation_in_progress_records": len(active),
        "total_simulation_finished_records": len(finished),
        "total_records": total,
        "progress": [_progress(status, len(finished), total)],
        "create_date": datetime.fromtimestamp(sim.created_at, UTC).strftime("%m/%d/%Y %H:%M:%S"),
        "simulation_call_recording": recordings,
        "can_stop": status in RUNNING,
        "active_calls_count": len(active),
    }


def stop_view(stop: Stop) -> dict[str, Any]:
    """HTTP 200 either way: `success` says whether a run was stopped."""
    if stop.disconnect is None:
        return {
            "success": False,
            "message": f"Simulation is not running (status: {stop.status})",
        }
    return {
        "success": True,
        "message": "Simulation stopped successfully",
        "disconnect_results": stop.disconnect,
    }


def enhancement_view(sim: Simulation) -> dict[str, Any]:
    return {
        "success": True,
        "previous_context": [{"title": "Agent prompt", "prompt": f"You are agent {sim.agent_id}."}],
        "prompt_breakdown": [
            {"title": "Goal", "prompt": "Confirm the caller's goal before acting."},
            {"title": "Tone", "prompt": "Stay calm and polite with upset callers."},
        ],
    }


def _progress(status: str, finished: int, total: int) -> int:
    if status == "Completed":
        return 100
    if status == "Calculating Summary":
        return 95
    return math.floor(90 * finished / total) if total else 0


def _recording(sim: Simulation, call: Call, base_url: str) -> dict[str, Any]:
    scenario = call.scenario
    failed = call.outcome == "fail"
    summary = (
        f"The agent did not meet the expected result: {scenario['expected_result']}"
        if failed
        else f"The agent met the expected result: {scenario['expected_result']}"
    )
    conversation = [
        {"role": "user", "content": scenario["description"]},
        {
            "role": "assistant",
            "content": "Sorry, I can't help." if failed else "Done, anything else?",
        },
    ]
    return {
        "id": sim.id * 1000 + call.index + 1,
        "scenario_id": scenario["id"],
        "scenario_name": scenario["name"],
        "call_number": call.index + 1,
        "call_status": "completed",
        "recording_url": f"{base_url}_emulator/media/omnidimension/{sim.id}/{call.index + 1}.wav",
        "duration_seconds": round(call.end - call.start, 3),
        "call_report": {
            "summary": summary,
            "sentiment": "Negative" if failed else "Positive",
            "extracted_variables": {},
            "full_conversation": "\n".join(f"{m['role']}: {m['content']}" for m in conversation),
            "interactions": conversation,
        },
    }


def _summary(calls: int, failing: list[str]) -> str:
    if not failing:
        return f"All {calls} calls met their expected results."
    return f"{calls} calls made; expected results not met in: {', '.join(failing)}."


def _what_went_wrong(failing: list[str]) -> str:
    if not failing:
        return "Nothing went wrong."
    return "The agent did not reach the expected result in: " + ", ".join(failing) + "."


def _suggestions(failing: list[str]) -> str:
    return "None." if not failing else "Handle these scenarios explicitly: " + ", ".join(failing)
