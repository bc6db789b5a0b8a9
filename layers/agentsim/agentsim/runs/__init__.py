"""The domain of a simulation run: request envelope, record, storage and the use cases.

Nothing here knows Lambda events or Step Functions payloads: handlers in `functions/` translate
those into calls of the use-case modules (`submit`, `register`, `start`, `poll`, `finish`,
`fail`, `time_out`, `stop`).
"""
