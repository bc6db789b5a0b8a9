"""`agentsim stop` and `agentsim sign` against a deployed stack (AWS in moto, the API a local
stand-in), and an unknown stack said in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.deployed_api import SECRET, SigningApi, cli

from agentsim.runs.signing import verify
from agentsim_local.deployed import WEBHOOK_PATH


def test_stop_says_when_the_provider_did_not_stop_its_calls(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str], api: SigningApi
) -> None:
    refusal = {"type": "ProviderRejected", "message": "synthflow: simulations cannot be stopped"}
    api.stop_answer = (
        200,
        {"run_id": "run-9", "provider": "synthflow", "status": "STOPPED", "stop_error": refusal},
    )

    code, out, err = cli(capsys, "stop", "run-9", "--stack", "agentsim", "--json")

    assert code == 0
    assert json.loads(out)["status"] == "STOPPED"
    assert (
        "agentsim: warning: synthflow did not stop its calls: "
        "synthflow: simulations cannot be stopped"
    ) in err


def test_sign_prints_headers_that_verify_and_a_curl_line(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str], request_file: Path
) -> None:
    code, out, _ = cli(capsys, "sign", str(request_file), "--stack", "agentsim")

    assert code == 0
    lines = out.strip().splitlines()
    headers = dict(line.split(": ", 1) for line in lines[:-1])
    verify(SECRET, request_file.read_bytes(), headers)
    assert lines[-1].startswith("curl ")
    assert f"{stack['ApiUrl'].rstrip('/')}{WEBHOOK_PATH}" in lines[-1]
    assert f"@{request_file}" in lines[-1]


def test_sign_with_a_given_secret_needs_no_stack(
    capsys: pytest.CaptureFixture[str], request_file: Path
) -> None:
    code, out, _ = cli(capsys, "sign", str(request_file), "--secret", "abc", "--url", "http://x/y")

    assert code == 0
    headers = dict(line.split(": ", 1) for line in out.strip().splitlines()[:-1])
    verify("abc", request_file.read_bytes(), headers)
    assert "http://x/y" in out


def test_an_unknown_stack_is_one_line(capsys: pytest.CaptureFixture[str], aws: None) -> None:
    code, _, err = cli(capsys, "runs", "--stack", "missing")

    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("agentsim: error: stack missing: ValidationError")
