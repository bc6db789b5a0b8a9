"""Suites: many runs under one trigger and one verdict.

A suite request (`request.py`) holds 1-500 run requests of any providers; submitting it
(`submit.py`) stores one run record per child under an id derived from the suite's and the
child's position, and the suite's own record (`record.py`, `store.py`), then starts the suite
workflow, which starts each child as an execution of the run workflow, never more per provider
than the suite's concurrency (`steps.py`), and aggregates the children into the suite's verdict
(`aggregate.py`).
"""
