"""`agentsim github comment`: one sticky pull request comment per key, found again by its hidden
marker and edited in place, against the emulated GitHub REST API over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from agentsim_local.cli import main
from agentsim_local.emulator import EmulatorServer, FaultSpec
from agentsim_local.github import MAX_BODY, GitHub, marker, pull_request_number

REPO = "octo-org/voice-agent"
TOKEN = "ghs_secret_token_1234"


@pytest.fixture
def environment(emulator: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The variables a GitHub Actions step has, for pull request 7; the summary to post."""
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps({"action": "synchronize", "number": 7, "pull_request": {"number": 7}})
    )
    monkeypatch.setenv("GITHUB_API_URL", emulator.github_api_url)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    summary = tmp_path / "summary.md"
    summary.write_text("### ❌ agentsim bluejay: FAILED\n")
    return summary


def comments(emulator: EmulatorServer, number: int = 7) -> list[dict[str, object]]:
    answer = httpx.get(
        f"{emulator.github_api_url}/repos/{REPO}/issues/{number}/comments",
        params={"per_page": 100},
        headers={"Authorization": "Bearer reader"},
    )
    listed: list[dict[str, object]] = answer.json()
    return listed


def test_the_first_run_posts_a_comment_with_its_marker(
    environment: Path, emulator: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["github", "comment", "--summary", str(environment)])

    (comment,) = comments(emulator)
    assert code == 0
    assert comment["body"] == f"{marker('agentsim')}\n### ❌ agentsim bluejay: FAILED\n"
    assert capsys.readouterr().out.startswith(f"created comment {comment['id']} on #7")


def test_a_second_run_edits_the_same_comment(environment: Path, emulator: EmulatorServer) -> None:
    main(["github", "comment", "--summary", str(environment)])
    (first,) = comments(emulator)
    environment.write_text("### ✅ agentsim bluejay: PASSED\n")

    code = main(["github", "comment", "--summary", str(environment)])

    (second,) = comments(emulator)
    assert code == 0
    assert second["id"] == first["id"]
    assert "PASSED" in str(second["body"])


def test_other_comments_are_left_alone(environment: Path, emulator: EmulatorServer) -> None:
    github = httpx.Client(
        base_url=emulator.github_api_url, headers={"Authorization": "Bearer reviewer"}
    )
    github.post(f"/repos/{REPO}/issues/7/comments", json={"body": "LGTM, but see the nightly"})

    main(["github", "comment", "--summary", str(environment)])
    main(["github", "comment", "--summary", str(environment)])

    assert [str(c["body"]).startswith("<!-- agentsim") for c in comments(emulator)] == [False, True]
    assert comments(emulator)[0]["body"] == "LGTM, but see the nightly"


def test_each_key_has_a_comment_of_its_own(environment: Path, emulator: EmulatorServer) -> None:
    main(["github", "comment", "--summary", str(environment), "--key", "smoke.json"])
    main(["github", "comment", "--summary", str(environment), "--key", "nightly.json"])

    bodies = [str(c["body"]) for c in comments(emulator)]
    assert [b.splitlines()[0] for b in bodies] == [marker("smoke.json"), marker("nightly.json")]


def test_the_marker_is_found_past_the_first_page_of_comments(
    environment: Path, emulator: EmulatorServer
) -> None:
    main(["github", "comment", "--summary", str(environment)])
    with httpx.Client(
        base_url=emulator.github_api_url, headers={"Authorization": "Bearer bot"}
    ) as github:
        for index in range(100):
            github.post(f"/repos/{REPO}/issues/7/comments", json={"body": f"chatter {index}"})

    main(["github", "comment", "--summary", str(environment)])

    ours = [c for c in comments(emulator) if str(c["body"]).startswith("<!-- agentsim")]
    assert len(ours) == 1


def test_outside_a_pull_request_nothing_is_posted(
    environment: Path,
    emulator: EmulatorServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    event = tmp_path / "schedule.json"
    event.write_text(json.dumps({"schedule": "0 3 * * *"}))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.setenv("GITHUB_EVENT_NAME", "schedule")

    code = main(["github", "comment", "--summary", str(environment)])

    assert code == 0
    assert "no pull request in this event (schedule)" in capsys.readouterr().err
    assert emulator.calls.list("github") == []


def test_without_a_token_it_is_one_line_and_exit_2(
    environment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")

    code = main(["github", "comment", "--summary", str(environment)])

    assert code == 2
    assert capsys.readouterr().err.strip() == "agentsim: error: no GitHub token: set $GITHUB_TOKEN"


def test_a_refused_token_is_one_line_that_does_not_show_it(
    environment: Path, emulator: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.configure(api_keys={"github": "ghs_the_right_one"})

    code = main(["github", "comment", "--summary", str(environment)])

    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.strip().endswith("HTTP 401: Bad credentials")
    assert len(captured.err.strip().splitlines()) == 1
    assert TOKEN not in captured.out + captured.err


def test_a_summary_over_githubs_limit_is_cut_to_fit(
    environment: Path, emulator: EmulatorServer
) -> None:
    environment.write_text("| row |\n" * 20_000)

    code = main(["github", "comment", "--summary", str(environment)])

    (comment,) = comments(emulator)
    assert code == 0
    assert len(str(comment["body"])) <= MAX_BODY
    assert str(comment["body"]).rstrip().endswith("hold it all._")


def test_a_create_whose_answer_was_lost_is_edited_not_posted_twice(
    environment: Path, emulator: EmulatorServer
) -> None:
    # Given a create that GitHub carries out but whose answer comes too late for the client
    emulator.faults.add(
        FaultSpec(provider="github", kind="slow", method="POST", delay=1.0, times=1)
    )
    with httpx.Client(timeout=0.3) as client:
        github = GitHub(emulator.github_api_url, REPO, TOKEN, client)

        posted = github.upsert(7, "agentsim", "### summary\n")

    assert posted.action == "updated"
    assert len(comments(emulator)) == 1


def test_a_key_cannot_close_the_marker_early() -> None:
    assert marker("x --> <b>") == "<!-- agentsim:sticky-comment x &#45;&#45;&gt; &lt;b&gt; -->"


def test_the_pull_request_is_read_from_the_event_payload(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"issue": {"number": 12, "pull_request": {"url": "u"}}}))

    assert pull_request_number(str(event)) == 12


def test_an_issue_that_is_not_a_pull_request_is_no_pull_request(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"issue": {"number": 12}}))

    assert pull_request_number(str(event)) is None
