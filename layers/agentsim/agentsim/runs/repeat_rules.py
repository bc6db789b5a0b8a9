"""What each provider can repeat, checked with the request envelope (`envelope.py`), so a
request a provider could not repeat is refused with 422 before anything runs.

- OmniDimension: `number_of_call_to_make` is its repetition, 1..3 calls per scenario (its API
  reference, https://docs.omnidim.io/openapi.yaml, and the `omnidimension` 0.6.0 SDK); more is
  refused naming `repeat.times`, and a request setting both must agree.
- Bluejay: `runs_per_digital_human` on queue-simulation-run (`bluejay-sdk` 0.3.6 on PyPI, its
  model `SrcAPIQueueSimulationRunSimulationRunRequest`); a request setting both must agree.
- Synthflow: a case started `times` times into one `simulation_session_id` (POST /simulations,
  https://docs.synthflow.ai/api-reference/platform-api/simulations/start-simulation); a suite
  execute runs each case once and takes no session, so a repeated suite is refused, and so is
  a caller's own session (the repeated case needs a session of its own to count its attempts).
"""

from __future__ import annotations

from pydantic import BaseModel, field_validator

from agentsim.providers.omnidimension.requests import MAX_CALLS_PER_SCENARIO
from agentsim.runs.repeat import Repeat


class OmniDimensionRepeat(Repeat):
    """OmniDimension repeats a scenario with `number_of_call_to_make`, at most 3 calls."""

    @field_validator("times")
    @classmethod
    def _calls_per_scenario(cls, value: int) -> int:
        if value > MAX_CALLS_PER_SCENARIO:
            raise ValueError(
                f"OmniDimension makes at most {MAX_CALLS_PER_SCENARIO} calls per scenario "
                f"(number_of_call_to_make 1..{MAX_CALLS_PER_SCENARIO})"
            )
        return value


def omnidimension[R: Repeat](repeat: R | None, spec: BaseModel | None) -> R | None:
    return _agreeing(repeat, spec, "simulation.number_of_call_to_make", "the calls per scenario")


def bluejay(repeat: Repeat | None, run: BaseModel | None) -> Repeat | None:
    return _agreeing(repeat, run, "run.runs_per_digital_human", "the runs per digital human")


def _agreeing[R: Repeat](
    repeat: R | None, part: BaseModel | None, path: str, what: str
) -> R | None:
    """`repeat`, unless the provider's own repetition field (`path`) is set to something else."""
    own = getattr(part, path.rpartition(".")[2], None)
    if repeat is not None and own is not None and own != repeat.times:
        raise ValueError(
            f"times {repeat.times} differs from {path} {own}: both set {what}; send one"
        )
    return repeat


def synthflow(repeat: Repeat | None, spec: BaseModel | None) -> Repeat | None:
    if repeat is None or repeat.times == 1:
        return repeat
    if spec is None or getattr(spec, "kind", None) == "suite":
        raise ValueError(
            "Synthflow repeats a single case (simulation.simulation_case_id), started that many "
            "times in one session; a suite execute runs each of its cases once"
        )
    if getattr(spec, "simulation_session_id", None) is not None:
        raise ValueError(
            "a repeated Synthflow case runs in a session of its own: leave out "
            "simulation.simulation_session_id"
        )
    return repeat
