"""Synthflow records as its API shows them, and the `{status, response}` envelope around them.

`now` is the emulator clock's reading for the whole answer; `base_url` the emulator's own, for
the recording URLs it serves under `/_emulator/media`.
"""

from __future__ import annotations

import uuid
from typing import Any

from agentsim_local.emulator.state import iso
from agentsim_local.emulator.synthflow.records import Case, Execution, Session, Simulation, Suite
from agentsim_local.emulator.synthflow.schemas import Paging

WORKSPACE_ID = "emulator-workspace"


def ok(response: Any) -> dict[str, Any]:
    return {"status": "ok", "response": response}


def page(items: list[Any], paging: Paging) -> dict[str, Any]:
    """One page of a list, with the `pagination` the simulation and case lists carry."""
    return {
        "pagination": {"total_records": len(items), "limit": paging.size, "offset": paging.offset},
        "items": paging.of(items),
    }


def suite_page(items: list[Any], paging: Paging) -> dict[str, Any]:
    """One page of the suite list, which counts differently (`total`, `page_number`, ...)."""
    return {
        "items": paging.of(items),
        "total": len(items),
        "page_number": paging.number,
        "page_size": paging.size,
    }


def case_view(case: Case) -> dict[str, Any]:
    return {
        "simulation_case_id": str(case.id),
        "workspace_id": WORKSPACE_ID,
        "suite_id": str(case.suite_id) if case.suite_id else None,
        "name": case.name,
        "prompt": case.prompt,
        "type": case.type,
        "success_criteria": list(case.success_criteria),
        "call_success_type": case.call_success_type,
        "base_agent": _agent(case.base_agent_id) if case.base_agent_id else None,
        "created_at": iso(case.created_at),
        "updated_at": iso(case.updated_at),
    }


def suite_view(suite: Suite, cases: list[Case], *, full: bool) -> dict[str, Any]:
    """The suite with its cases in full (`full`) or as `case_summaries` (in the list)."""
    view: dict[str, Any] = {
        "id": str(suite.id),
        "name": suite.name,
        "model_id": suite.model_id,
        "workspace_id": WORKSPACE_ID,
        "language": suite.language,
        "created_at": iso(suite.created_at),
        "updated_at": iso(suite.updated_at),
        "agent": {"id": suite.model_id, "name": f"Agent {suite.model_id}", "avatar": None},
    }
    if full:
        view["cases"] = [case_view(c) for c in cases]
    else:
        view["case_summaries"] = [{"simulation_case_id": str(c.id), "name": c.name} for c in cases]
    return view


def simulation_view(sim: Simulation, now: float, base_url: str) -> dict[str, Any]:
    status = sim.status(now)
    tl = sim.timeline
    talking = now >= tl.call_start
    call_ended = now >= tl.call_end
    updated = max(
        t for t in (tl.started_at, tl.call_start, tl.call_end, tl.evaluated_at) if t <= now
    )
    case = sim.case
    return {
        "simulation_id": str(sim.id),
        "simulation_session_id": str(sim.session_id),
        "simulation_case_id": str(case.id),
        "simulation_case_name": case.name,
        "simulation_case_prompt": case.prompt,
        "success_criteria": list(case.success_criteria),
        "call_success_type": case.call_success_type,
        "persona_agent_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"persona:{case.id}")),
        "persona_phone_number": "+15550199000",
        "target_agent_id": sim.target_agent_id,
        "agent_name": f"Agent {sim.target_agent_id}",
        "agent_avatar_url": None,
        "target_phone_number": "+15550123000",
        "target_call_id": f"call-{sim.id}" if talking else None,
        "custom_variables": sim.custom_variables,
        "status": status,
        "workspace_id": WORKSPACE_ID,
        "created_at": iso(tl.started_at),
        "updated_at": iso(updated),
        "error_info": _error_info() if status == "failed" else None,
        "recording_url": (
            f"{base_url}_emulator/media/synthflow/{sim.id}/recording.wav" if call_ended else None
        ),
        "timeline": _timeline(sim) if call_ended else None,
        "success_criteria_analysis": _analysis(sim) if status == "completed" else None,
    }


def session_view(
    session: Session, sims: list[Simulation], now: float, base_url: str
) -> dict[str, Any]:
    statuses = [s.status(now) for s in sims]
    return {
        "simulation_session_id": str(session.id),
        "simulations": [simulation_view(s, now, base_url) for s in sims],
        "total_simulations": len(sims),
        "completed_simulations": statuses.count("completed"),
        "failed_simulations": statuses.count("failed"),
        "pending_simulations": statuses.count("in-progress"),
    }


def execution_view(execution: Execution) -> dict[str, Any]:
    """Suite execute answers unwrapped, as documented."""
    return {
        "session_id": str(execution.session_id),
        "suite_id": str(execution.suite.id),
        "suite_name": execution.suite.name,
        "total_cases": len(execution.cases),
        "status": "started",
    }


def _agent(agent_id: str) -> dict[str, Any]:
    return {
        "model_id": agent_id,
        "agent_name": f"Agent {agent_id}",
        "agent_type": "outbound",
        "voice_engine_type": "default",
        "phone_number": None,
        "updated_at": None,
        "image_url": None,
    }


def _error_info() -> dict[str, Any]:
    return {
        "message": "The call was disconnected before completion",
        "code": 1006,
        "type": "call_error",
    }


def _timeline(sim: Simulation) -> list[dict[str, Any]]:
    tl = sim.timeline
    turns = [
        ("agent", "Hello, thanks for calling. How can I help?"),
        ("persona", sim.case.prompt),
        (
            "agent",
            "Sorry, I can't help with that." if sim.outcome == "fail" else "Of course, done.",
        ),
    ]
    step = (tl.call_end - tl.call_start) / len(turns)
    return [
        {
            "sender_type": sender,
            "value": value,
            "type": "message",
            "timestamp_datetime": iso(tl.call_start + i * step),
            "timestamp": f"{i * step:.3f}",
        }
        for i, (sender, value) in enumerate(turns)
    ]


def _analysis(sim: Simulation) -> dict[str, Any]:
    success = sim.outcome == "pass"
    evaluations = [
        {
            "success": success,
            "reasoning": f"{'Met' if success else 'Not met'}: {criterion}",
        }
        for criterion in sim.case.success_criteria
    ]
    return {"success": success, "evaluations": evaluations}
