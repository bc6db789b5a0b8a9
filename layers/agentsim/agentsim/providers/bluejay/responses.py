"""Bluejay response bodies, parsed tolerantly.

The OpenAPI snapshot and bluejay-sdk 0.3.6 disagree in places and the live API drifts, so:
unknown fields are kept (`extra="allow"`), ids are accepted as int or str and held as str,
status words are free strings (classified in `statuses`), missing or null lists become empty,
unparseable timestamps become None, `latency` may be an object or an array, and the deprecated
`result` / `custom_metrics` fields are still read.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agentsim.providers.lenient import LenientResponse, LooseId, LooseList, LooseTime


class CreatedSimulation(LenientResponse):
    """`POST /v1/create-simulation`: `{"simulation_id": 123, "status": "200"}`."""

    simulation_id: LooseId
    status: str | None = None


class Simulation(LenientResponse):
    """SimulationPydantic, from GET and PUT `/v1/simulation/{id}`."""

    id: LooseId | None = None
    agent_id: LooseId | None = None
    name: str | None = None
    type: str | None = None
    created_at: LooseTime = None
    settings: dict[str, Any] | None = None
    max_concurrent: int | None = None
    max_turns: int | None = None
    ringing_timeout: int | None = None
    tags: list[str] | None = None
    description: str | None = None
    pinned: bool | None = None
    always_on: bool | None = None


class SimulationSummary(LenientResponse):
    """One entry of `GET /v1/get-all-simulations` (SimulationRes)."""

    id: LooseId
    name: str | None = None
    created_at: LooseTime = None
    agent_id: LooseId | None = None
    settings: dict[str, Any] | None = None
    selected_custom_metrics: list[str] | None = None


class SimulationList(LenientResponse):
    simulations: LooseList[SimulationSummary] = Field(default_factory=list)


class DeletedSimulation(LenientResponse):
    message: str | None = None
    deleted_simulation_id: LooseId | None = None


class QueuedRun(LenientResponse):
    """`POST /v1/queue-simulation-run`: ids come back as strings (`"789"`)."""

    simulation_run_id: LooseId
    simulation_result_ids: LooseList[LooseId] = Field(default_factory=list)
    agent_id: LooseId | None = None
    status: str | None = None


class _RunTotals(LenientResponse):
    """What a run says of itself, in the run list and in its results alike: `id` is an int."""

    id: LooseId
    created_at: LooseTime = None
    status: str | None = None
    summary: str | None = None
    total_tests: int | None = None
    tests_passed: int | None = None
    tests_failed: int | None = None
    tests_completed: int | None = None
    tests_incompleted: int | None = None
    """In the results' run (`RunSummary`), in the OpenAPI snapshot only."""


class SimulationRunRecord(_RunTotals):
    """One entry of `GET /v1/get-simulation-runs/{id}` (SimulationRunRes)."""

    experiment_id: LooseId | None = None


class SimulationRuns(LenientResponse):
    simulation_runs: LooseList[SimulationRunRecord] = Field(default_factory=list)


class RunSummary(_RunTotals):
    """`simulation_run` in retrieve-simulation-results (SimulationRunResultResponse)."""

    simulation_id: LooseId | None = None


class Evaluation(LenientResponse):
    """One evaluation of a conversation. `goal_success` is the pass/fail signal (null = none)."""

    goal_success: bool | None = None
    goal_reasoning: str | None = None
    human_goal_success: bool | None = Field(default=None, description="SDK 0.3.6 override.")
    human_goal_reasoning: str | None = None
    call_summary: str | None = None

    @property
    def goal(self) -> bool | None:
        """The goal verdict, a human reviewer's override winning over the model's."""
        if self.human_goal_success is not None:
            return self.human_goal_success
        return self.goal_success

    @property
    def reasoning(self) -> str | None:
        if self.human_goal_success is not None and self.human_goal_reasoning:
            return self.human_goal_reasoning
        return self.goal_reasoning


class SimulationResult(LenientResponse):
    """One conversation ("test result") of a run. `duration` is in milliseconds."""

    id: LooseId
    digital_human_id: LooseId | None = None
    status: str | None = None
    duration: float | None = None
    start_time: LooseTime = None
    end_time: LooseTime = None
    transcript_url: str | None = None
    audio_url: str | None = None
    evaluations: LooseList[Evaluation] = Field(default_factory=list)
    latency: dict[str, Any] | list[Any] | None = None
    result: dict[str, Any] | None = Field(default=None, description="Deprecated by Bluejay.")
    custom_metrics: dict[str, Any] | list[Any] | None = Field(
        default=None, description="Deprecated by Bluejay."
    )


class RunResults(LenientResponse):
    """`GET /v1/retrieve-simulation-results/{run_id}`."""

    simulation_run: RunSummary
    simulation_results: LooseList[SimulationResult] = Field(default_factory=list)
    status: str | None = None


class SingleResult(LenientResponse):
    """`GET /v1/retrieve-simulation-result/{result_id}`."""

    simulation_result: SimulationResult
    status: str | None = None


class EndedConversations(LenientResponse):
    """`POST /v1/end-conversations`. `success: false` means Bluejay refused."""

    success: bool
    ended_count: int = 0
    test_result_ids: LooseList[LooseId] = Field(default_factory=list)
    failed_ids: LooseList[LooseId] = Field(default_factory=list)
    message: str | None = None


class DigitalHuman(LenientResponse):
    id: LooseId | None = None
    name: str | None = None
    intent: str | None = None
    success_criteria: str | None = None


class DigitalHumans(LenientResponse):
    """`GET /v1/digital-humans-by-simulation/{id}`."""

    digital_humans: LooseList[DigitalHuman] = Field(default_factory=list)
    total: int | None = None
    simulation_id: LooseId | None = None
