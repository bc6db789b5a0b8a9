"""`agentsim bench`: figures printed, never judged (speed is not asserted anywhere)."""

from __future__ import annotations

import pytest

from agentsim_local.bench import Figures, bench

pytestmark = pytest.mark.e2e


def test_percentiles_pick_from_the_sorted_samples() -> None:
    figures = Figures.of([5.0, 1.0, 3.0, 2.0, 4.0])

    assert figures.percentile(0.5) == 3.0
    assert figures.percentile(0.95) == 5.0
    assert figures.mean == 3.0


def test_bench_runs_every_provider_and_prints_its_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = bench(levels=(3,), webhooks=3, timeout=180, build=False)

    out = capsys.readouterr().out
    assert code == 0, out
    for figure in (
        "Deploy (template -> local AWS)",
        "First run (cold starts)",
        "One run alone",
        "3 concurrent: 0 lost",
        "runs/min",
        "3 concurrent webhooks: 3 answered",
    ):
        assert figure in out
