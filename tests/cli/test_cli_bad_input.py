"""Bad input ends in one line on stderr naming the problem and a non-zero exit, no traceback."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from agentsim_local.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("agentsim: error: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., str]:
    def write_file(text: str, name: str = "request.json") -> str:
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    return write_file


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_malformed_json_names_the_file_and_position(
    capsys: pytest.CaptureFixture[str], write: Callable[..., str]
) -> None:
    path = write('{"provider": "bluejay",\n  "simulation": }')

    code, out, err = run_cli(capsys, "local", "run", path)

    assert code == 2
    assert out == ""
    assert_one_line_error(err, path, "malformed JSON", "line 2")


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        pytest.param(
            '{"provider": "vapi", "simulation_id": "1"}',
            ["unknown provider 'vapi'", "omnidimension, bluejay, synthflow"],
            id="an-unknown-provider-and-the-known-ones",
        ),
        pytest.param('{"simulation_id": "1"}', ["'provider' is missing"], id="a-missing-provider"),
        pytest.param('["bluejay"]', ["JSON object", "list"], id="a-request-not-an-object"),
    ],
)
def test_a_request_the_envelope_refuses_is_named(
    capsys: pytest.CaptureFixture[str],
    write: Callable[..., str],
    text: str,
    fragments: list[str],
) -> None:
    path = write(text)

    code, _, err = run_cli(capsys, "local", "run", path)

    assert code == 2
    assert_one_line_error(err, *fragments)


def test_missing_file_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = str(tmp_path / "nope.json")

    code, _, err = run_cli(capsys, "local", "run", path)

    assert code == 2
    assert_one_line_error(err, path, "no such file")


def test_unreachable_provider_url_is_named(
    capsys: pytest.CaptureFixture[str], write: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("BLUEJAY_BASE_URL", url)
    path = write('{"provider": "bluejay", "simulation_id": "1"}')

    code, _, err = run_cli(capsys, "local", "run", path)

    assert code == 2
    assert_one_line_error(err, "bluejay", url, "unreachable")


def test_provider_url_without_scheme_is_named(
    capsys: pytest.CaptureFixture[str], write: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNTHFLOW_BASE_URL", "127.0.0.1:9/v2")
    path = write('{"provider": "synthflow", "simulation": {}}')

    code, _, err = run_cli(capsys, "local", "run", path)

    assert code == 2
    assert_one_line_error(err, "synthflow", "127.0.0.1:9/v2")


def test_start_with_a_bad_file_fails_before_any_aws_call(
    capsys: pytest.CaptureFixture[str], write: Callable[..., str]
) -> None:
    path = write("{")

    code, _, err = run_cli(capsys, "start", path, "--stack", "agentsim")

    assert code == 2
    assert_one_line_error(err, "malformed JSON")


def test_unknown_trigger_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], write: Callable[..., str]
) -> None:
    path = write('{"provider": "bluejay", "simulation_id": "1"}')

    with pytest.raises(SystemExit) as exited:
        main(["local", "run", path, "--trigger", "cron"])

    assert exited.value.code == 2
    assert "invalid choice: 'cron'" in capsys.readouterr().err
