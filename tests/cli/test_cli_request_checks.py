"""Bad input to the waiting commands is refused in one line with exit 2 before anything is sent:
the request is checked with the stack's own envelope models, `--gate` overrides merged first."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from agentsim_local.cli import main
from agentsim_local.request_files import RequestFile, gate_overrides, load_request, with_gate

VALID = {"provider": "bluejay", "simulation_id": "42", "gate": {"min_pass_rate": 0.5}}


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch) -> str:
    """AWS pointed at a closed port: any AWS call would fail with a connection error."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return url


def request_file(tmp_path: Path, data: object) -> str:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(data))
    return str(path)


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("agentsim: error: ")
    return err[0]


@pytest.mark.parametrize(
    ("data", "options", "problem"),
    [
        pytest.param(
            {**VALID, "timeout_minutes": 0},
            ["--wait"],
            "timeout_minutes: Input should be greater than or equal to 1",
            id="a-bad-field",
        ),
        pytest.param(
            VALID,
            ["--wait", "--gate", "min_pass_rate=1.5"],
            "gate.min_pass_rate",
            id="a-gate-override-out-of-range-naming-the-field",
        ),
        pytest.param(
            VALID, ["--gate", "0.8"], "expected KEY=VALUE", id="a-gate-override-not-key-value"
        ),
        pytest.param(
            VALID,
            ["--junit", "j.xml"],
            "--junit and --summary need --wait",
            id="reports-without-wait",
        ),
    ],
)
def test_start_refuses_bad_input_before_any_aws_call(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    nowhere: str,
    data: dict[str, object],
    options: list[str],
    problem: str,
) -> None:
    path = request_file(tmp_path, data)

    code = main(["start", path, "--stack", "agentsim", *options])

    assert code == 2
    assert problem in one_line_error(capsys)


def test_local_run_refuses_a_bad_field_before_deploying(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = request_file(tmp_path, {"provider": "synthflow", "simulation": {"max_turns": 3}})

    code = main(["local", "run", path])

    assert code == 2
    assert "simulation" in one_line_error(capsys)


@pytest.mark.parametrize(
    ("option", "problem"), [("--since", "ISO 8601"), ("--label", "expected KEY:VALUE")]
)
def test_runs_refuses_a_malformed_filter(
    capsys: pytest.CaptureFixture[str], nowhere: str, option: str, problem: str
) -> None:
    code = main(["runs", "--stack", "s", option, "yesterday"])

    assert code == 2
    assert problem in one_line_error(capsys)


def test_gate_overrides_are_merged_into_the_request_gate(tmp_path: Path) -> None:
    request = load_request(request_file(tmp_path, {**VALID, "gate": {"min_pass_rate": 0.5}}))

    merged = with_gate(request, gate_overrides(["min_pass_rate=0.8"]))

    assert merged.data["gate"] == {"min_pass_rate": 0.8}
    assert json.loads(merged.body) == merged.data  # what is signed is what was merged


def test_a_request_without_a_gate_gets_one_from_the_overrides(tmp_path: Path) -> None:
    request = RequestFile(Path("r.json"), b"{}", {"provider": "bluejay", "simulation_id": "1"})

    merged = with_gate(request, {"min_pass_rate": 1})

    assert merged.data["gate"] == {"min_pass_rate": 1}


def test_without_overrides_the_file_bytes_are_sent_as_they_are(tmp_path: Path) -> None:
    request = load_request(request_file(tmp_path, VALID))

    assert with_gate(request, {}).body == request.body
