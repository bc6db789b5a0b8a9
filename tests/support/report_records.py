"""Runs and cases as the report page reads them from storage (for the render tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from agentsim.providers.base import ProviderName
from agentsim.runs.comparison import Comparison, FlakyCase
from agentsim.runs.record import Origin, ResultsSummary, RunRecord, RunStatus, Verdict

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="alert(1)">'


def regressed_run(**fields: Any) -> RunRecord:
    values: dict[str, Any] = {
        "run_id": "run-2",
        "provider": ProviderName.BLUEJAY,
        "status": RunStatus.COMPLETED,
        "verdict": Verdict.REGRESSED,
        "trigger": Origin.WEBHOOK,
        "series": "bluejay/12/support",
        "simulation_id": "sim-9",
        "provider_run_id": "queue-7",
        "request": {"gate": {"min_pass_rate": 0.3, "fail_on_new_failures": True}},
        "results": ResultsSummary(total=3, passed=1, failed=2, pass_rate=1 / 3),
        "comparison": Comparison(
            baseline_run_id="run-1",
            pass_rate=1 / 3,
            baseline_pass_rate=2 / 3,
            pass_rate_delta=-1 / 3,
            newly_failing=["Polite caller"],
            flaky=[FlakyCase(case_key="Angry caller", flake_rate=0.5)],
        ),
        "verdict_reasons": ["newly failing since run-1: Polite caller"],
        "created_at": T0,
        "updated_at": T0,
        "finished_at": T0 + timedelta(minutes=3),
    }
    return RunRecord(**{**values, **fields})


def case(number: int, key: str, verdict: str, **fields: Any) -> dict[str, Any]:
    return {
        "run_id": "run-2",
        "number": number,
        "case_id": f"call-{number}",
        "name": key,
        "case_key": key,
        "verdict": verdict,
        "reasoning": f"why {key}",
        "raw": {"api_key": "sk-should-never-show"},
        **fields,
    }


def cases() -> list[dict[str, Any]]:
    return [
        case(1, "Booking", "PASSED", recording_url="https://media.example/1.wav"),
        case(2, "Angry caller", "FAILED"),
        case(
            3,
            "Polite caller",
            "FAILED",
            transcript=[{"role": "user", "content": HOSTILE}, {"role": "agent", "content": "Hi"}],
            recording_url="javascript:alert(1)",
        ),
    ]
