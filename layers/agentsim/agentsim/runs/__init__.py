"""The domain of a simulation run: request envelope, record, storage and the use cases.

Nothing here knows Lambda events or Step Functions payloads: handlers in `functions/` (and the
task scaffold in `agentsim.tasks`) translate those into calls of the use-case modules
(`webhook`, `submit`, `register`, `start`, `poll`, `finish`, `fail`, `time_out`, `stop`), which
reach storage, providers and AWS only through `ports` (`services.Services` holds them).
"""
