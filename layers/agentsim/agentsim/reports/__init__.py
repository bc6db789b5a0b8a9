"""The report page of a run: share links that open it, and its HTML, rendered from the run's
record, cases and series history as small parts (`parts`, `case_table`, `trend`) a suite page
composes too."""
