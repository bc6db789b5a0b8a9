"""Judging a completed run: its graded cases compared with its series' baseline, then gated.

The baseline is the run the request pins (`baseline.run_id`), else the series' previous
COMPLETED run; flake rates read the series' last `FLAKE_WINDOW` runs. Every run keeps its
per-case outcome summary on its record (`outcomes.CaseOutcomes`), so the baseline and the
history come from the one `by-series` query that finds them; only a run stored before records
kept a summary has its case items read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from agentsim.providers.base import CaseResult, CaseVerdict
from agentsim.runs.comparison import FLAKE_WINDOW, Comparison, compare
from agentsim.runs.gate import Gate, Judgement, judge
from agentsim.runs.outcomes import CaseOutcomes
from agentsim.runs.record import RunRecord
from agentsim.runs.repeat import Repeat
from agentsim.runs.series import BaselinePin
from agentsim.runs.services import Services

GRADED = {CaseVerdict.PASSED.value: True, CaseVerdict.FAILED.value: False}


def attempts_of(cases: Iterable[Mapping[str, Any]]) -> list[tuple[str, bool | None]]:
    """`(case key, passed)` per stored or fresh case; passed is None for an ungraded one."""
    found = []
    for case in cases:
        key = case.get("case_key") or case.get("name") or case.get("case_id")
        found.append((str(key), GRADED.get(str(case.get("verdict", "")))))
    return found


def run_outcomes(record: RunRecord, cases: Sequence[CaseResult]) -> CaseOutcomes:
    """The summary of a run's fresh `cases`, judged k of n by its request's `repeat`."""
    repeat = Repeat.of_request(record.request)
    attempts = [(case.key, GRADED.get(case.verdict.value)) for case in cases]
    return CaseOutcomes.of(attempts, repeat.passes_needed)


def stored_outcomes(services: Services, record: RunRecord) -> CaseOutcomes:
    """An earlier run's summary: on its record, else (stored before summaries) its case items."""
    if record.outcomes is not None:
        return record.outcomes
    attempts = attempts_of(services.items.cases(record.run_id))
    return CaseOutcomes.of(attempts, Repeat.of_request(record.request).passes_needed)


def judge_run(
    services: Services, record: RunRecord, current: CaseOutcomes, gate: Gate | None
) -> tuple[Judgement, Comparison | None]:
    """The verdict of the run's cases (`current`), and its comparison when it has a baseline."""
    history = services.runs.series_before(record, FLAKE_WINDOW - 1)
    stored = (record.request or {}).get("baseline")
    pin = BaselinePin.model_validate(stored) if stored is not None else None
    if pin is not None:
        baseline = services.runs.find(pin.run_id)  # a pinned run that is gone: no comparison
    else:
        baseline = history[0] if history else None
    comparison = None
    if baseline is not None:
        previous = [stored_outcomes(services, run) for run in history]
        base = next(
            (o for run, o in zip(history, previous, strict=True) if run.run_id == baseline.run_id),
            None,
        )
        comparison = compare(
            baseline.run_id, current, base or stored_outcomes(services, baseline), previous
        )
    return judge(current.results(), gate, comparison), comparison
