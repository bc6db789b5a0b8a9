"""`agentsim_local.bench_handlers`: its section runs and prints its rows (figures, never judged)."""

from __future__ import annotations

import io
import sysconfig
from pathlib import Path

import pytest
from rich.console import Console

from agentsim_local.bench_handlers import print_section
from agentsim_local.layer import LAYER_SOURCE

# Where the layer goes, this checkout's packages instead of a built layer: the section's code
# path is the same, and building the real layer would take longer than this whole test.
CHECKOUT_LAYER = (LAYER_SOURCE, Path(sysconfig.get_paths()["purelib"]))


def test_the_section_prints_cold_imports_and_the_warm_poll(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    out = io.StringIO()

    print_section(
        Console(file=out, width=160), repeats=1, handlers=("poll",), polls=3, layer=CHECKOUT_LAYER
    )

    text = out.getvalue()
    assert "Cold import per handler, Lambda layout, Python 3.13" in text
    for row in ("import boto3", "poll"):
        assert row in text
    assert "Warm poll, emulator + in-process moto (median of 3)" in text
    assert "hand-written (httpx GET + UpdateItem)" in text
    assert "ratio" in text
