"""Judging a completed run: its graded cases compared with its series' baseline, then gated.

The baseline is the run the request pins (`baseline.run_id`), else the series' previous
COMPLETED run; flake rates read the series' last `FLAKE_WINDOW` runs. Cases are read back from
each run's case items, so a comparison needs no more of a run than its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from agentsim.providers.base import CaseResult, CaseVerdict
from agentsim.runs.comparison import FLAKE_WINDOW, CaseOutcome, Comparison, case_passes, compare
from agentsim.runs.gate import Gate, Judgement, judge
from agentsim.runs.record import RunRecord
from agentsim.runs.series import BaselinePin
from agentsim.runs.services import Services

GRADED = {CaseVerdict.PASSED.value: True, CaseVerdict.FAILED.value: False}


def outcomes(cases: Iterable[Mapping[str, Any]]) -> list[CaseOutcome]:
    """The graded attempts among stored or fresh cases (ungraded ones tell nothing)."""
    found = []
    for case in cases:
        verdict = str(case.get("verdict", ""))
        if verdict in GRADED:
            key = case.get("case_key") or case.get("name") or case.get("case_id")
            found.append(CaseOutcome(case_key=str(key), passed=GRADED[verdict]))
    return found


def judge_run(
    services: Services, record: RunRecord, cases: Sequence[CaseResult], gate: Gate | None
) -> tuple[Judgement, Comparison | None]:
    """The verdict of the run's `cases`, and its comparison when it has a baseline."""
    current = outcomes(case.model_dump(mode="json") for case in cases)
    history = services.runs.series_before(record, FLAKE_WINDOW - 1)
    stored = (record.request or {}).get("baseline")
    pin = BaselinePin.model_validate(stored) if stored is not None else None
    if pin is not None:
        baseline = services.runs.find(pin.run_id)  # a pinned run that is gone: no comparison
    else:
        baseline = history[0] if history else None
    comparison = None
    if baseline is not None:
        previous = [outcomes(services.items.cases(run.run_id)) for run in history]
        base_cases = outcomes(services.items.cases(baseline.run_id))
        comparison = compare(baseline.run_id, current, base_cases, previous)
    return judge(case_passes(current), gate, comparison), comparison
