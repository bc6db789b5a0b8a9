"""Run records and case items shaped as the stack's API answers them (`GET /simulations/{id}`
and `/cases`, as read back from a local-stack Bluejay run), for the report and exit tests."""

from __future__ import annotations

from typing import Any

RUN_ID = "4d5dcf5b-9dbb-5de5-b18c-40025ae11a18"
MEDIA = "http://127.0.0.1:43315/_emulator/media/bluejay/results"


def record(**overrides: Any) -> dict[str, Any]:
    """A COMPLETED Bluejay run that failed a 0.9 gate with 2 of 3 cases passed."""
    base: dict[str, Any] = {
        "run_id": RUN_ID,
        "provider": "bluejay",
        "status": "COMPLETED",
        "verdict": "FAILED",
        "trigger": "webhook",
        "labels": {"team": "voice"},
        "simulation_id": "7001",
        "provider_run_id": "8001",
        "progress": 100,
        "poll_count": 3,
        "results": {"total": 3, "passed": 2, "failed": 1, "pass_rate": 2 / 3},
        "error": None,
        "request": {"provider": "bluejay", "simulation_id": "7001", "gate": {"min_pass_rate": 0.9}},
        "created_at": "2026-12-02T06:05:55.100000Z",
        "started_at": "2026-12-02T06:05:56.200000Z",
        "finished_at": "2026-12-02T06:06:05.700000Z",
        "updated_at": "2026-12-02T06:06:05.700000Z",
    }
    return {**base, **overrides}


def case(number: int, name: str, verdict: str, reasoning: str, **overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "run_id": RUN_ID,
        "number": number,
        "case_id": str(90000 + number),
        "name": name,
        "verdict": verdict,
        "status": "COMPLETED",
        "reasoning": reasoning,
        "transcript_url": f"{MEDIA}/{90000 + number}/transcript.json",
        "recording_url": f"{MEDIA}/{90000 + number}/audio.wav",
        "duration_seconds": 1,
        "raw": {"id": str(90000 + number)},
    }
    return {**item, **overrides}


def cases() -> list[dict[str, Any]]:
    return [
        case(1, "Polite caller", "PASSED", "The agent achieved: Appointment booked."),
        case(2, "Confused caller", "PASSED", "The agent achieved: Correct hours given."),
        case(
            3,
            "Impatient caller",
            "FAILED",
            "The agent did not achieve: Caller calmed down and refund explained.",
        ),
    ]
