"""The `/_emulator` control plane and the Python API of `EmulatorServer`."""

from __future__ import annotations

import socket
import subprocess
import sys

import httpx
from support.emulator import BLUEJAY
from support.waiting import wait_until

from agentsim_local.emulator import EmulatorServer, EmulatorSettings


def test_calls_are_logged_with_provider_method_path_and_status(emulator: EmulatorServer) -> None:
    httpx.get(emulator.base_urls["bluejay"] + "/v1/ping", headers=BLUEJAY)
    httpx.get(emulator.base_urls["synthflow"] + "/simulations")

    calls = httpx.get(emulator.url + "/_emulator/calls").json()["calls"]

    assert [(c["provider"], c["method"], c["path"], c["status"]) for c in calls] == [
        ("bluejay", "GET", "/v1/ping", 200),
        ("synthflow", "GET", "/v2/simulations", 401),
    ]


def test_faulted_calls_are_logged_with_the_fault_kind(emulator: EmulatorServer) -> None:
    emulator.faults.add(provider="bluejay", kind="429")

    httpx.get(emulator.base_urls["bluejay"] + "/v1/ping", headers=BLUEJAY)

    assert emulator.calls.list()[0]["fault"] == "429"


def test_reset_forgets_simulations_faults_and_calls(emulator: EmulatorServer) -> None:
    created = httpx.post(
        emulator.base_urls["bluejay"] + "/v1/create-simulation",
        json={"agent_id": "1"},
        headers=BLUEJAY,
    ).json()
    httpx.post(emulator.url + "/_emulator/faults", json={"provider": "synthflow", "kind": "5xx"})

    reset = httpx.post(emulator.url + "/_emulator/reset")
    simulation = httpx.get(
        emulator.base_urls["bluejay"] + f"/v1/simulation/{created['simulation_id']}",
        headers=BLUEJAY,
    )

    assert reset.json() == {"ok": True}
    assert simulation.status_code == 404
    assert httpx.get(emulator.url + "/_emulator/faults").json()["faults"] == []
    assert [c["path"] for c in emulator.calls.list()] == [
        f"/v1/simulation/{created['simulation_id']}"
    ]


def test_reset_keeps_the_synthflow_fixtures(emulator: EmulatorServer) -> None:
    httpx.post(emulator.url + "/_emulator/reset")

    suite = httpx.get(
        emulator.base_urls["synthflow"] + "/simulation_suites/0e5d6c7b-2222-4b4b-9c9c-1d1d1d1d1d01",
        headers={"Authorization": "Bearer k"},
    ).json()["response"]

    assert suite["model_id"] == "1726005822670-239735712159542050"
    assert [c["name"] for c in suite["cases"]] == [
        "Book an appointment",
        "Angry caller [emulator:fail]",
        "Dropped line [emulator:error]",
    ]


def test_settings_can_be_changed_over_http(emulator: EmulatorServer) -> None:
    answer = httpx.put(emulator.url + "/_emulator/settings", json={"call_seconds": 0.1})
    invalid = httpx.put(emulator.url + "/_emulator/settings", json={"call_seconds": -1})

    assert answer.status_code == 200 and answer.json()["call_seconds"] == 0.1
    assert emulator.settings.call_seconds == 0.1
    assert invalid.status_code == 422


def test_every_setting_can_be_patched_and_an_unknown_one_is_refused_by_name(
    emulator: EmulatorServer,
) -> None:
    target = {"bluejay_webhook_url": "http://127.0.0.1:9/webhooks/bluejay"}
    answer = httpx.put(emulator.url + "/_emulator/settings", json=target)
    unknown = httpx.put(emulator.url + "/_emulator/settings", json={"call_secs": 1})

    assert answer.status_code == 200
    assert emulator.settings.bluejay_webhook_url == target["bluejay_webhook_url"]
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "call_secs"]


def test_media_urls_are_served(emulator: EmulatorServer) -> None:
    wav = httpx.get(emulator.url + "/_emulator/media/synthflow/x/recording.wav")
    transcript = httpx.get(emulator.url + "/_emulator/media/bluejay/results/1/transcript.json")

    assert wav.status_code == 200 and wav.content.startswith(b"RIFF")
    assert transcript.json()["transcript"]


def test_server_on_port_zero_starts_and_stops_cleanly() -> None:
    server = EmulatorServer(port=0, settings=EmulatorSettings(call_seconds=0.1))
    with server:
        url = server.url
        base_urls = server.base_urls
        ping = httpx.get(base_urls["bluejay"] + "/v1/ping", headers=BLUEJAY)

    assert ping.status_code == 200
    assert base_urls == {
        "omnidimension": f"{url}/api/v1",
        "bluejay": url,
        "synthflow": f"{url}/v2",
    }
    try:
        httpx.get(url + "/_emulator/health", timeout=0.5)
        raise AssertionError("the server still answers after stop()")
    except httpx.TransportError:
        pass


def test_module_entry_point_serves_in_the_foreground() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "agentsim_local.emulator", "--port", str(port)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        health = wait_until(
            lambda: _health(f"http://127.0.0.1:{port}/_emulator/health"),
            lambda status: status == 200,
            timeout=15,
        )
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)

    assert health == 200
    assert f"http://127.0.0.1:{port}/api/v1" in output


def _health(url: str) -> int | None:
    try:
        return httpx.get(url, timeout=0.5).status_code
    except httpx.TransportError:
        return None
