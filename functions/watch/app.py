"""Poll queue consumer Watch: one poll of a run that waits in `WaitForEnd`, then the next
message or the end of the wait.

The work and its scaffold (settings, services, logging, tracing, metrics) are in the layer:
`agentsim.tasks.watch`.
"""

from agentsim.tasks import workflow_handler
from agentsim.tasks.watch import WATCH

lambda_handler = workflow_handler(WATCH)
