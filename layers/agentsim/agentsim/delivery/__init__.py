"""Results pushed back when a run ends: a signed POST to the request's `notify` URL, a GitHub
commit status for its `github` commit, a Slack message for a run that failed.

Every URL is checked before it is called (`addresses`, `urls`) and called at the address that
was checked (`outbound`); each attempt is stored on the run (`attempts`), and the delivery
workflow retries what failed with backoff for up to an hour (`deliver`, `backoff`).
"""
