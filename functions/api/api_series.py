"""A series' history (`GET /series?name=`): its runs newest first and its cases' flake rates.

The name is a query parameter because series names hold `/` (`bluejay/12/Support line`): a
path parameter ends at `/`, and whether an encoded `%2F` reaches the function encoded, decoded
or is routed at all differs between API Gateway's REST stage, its local emulations and
Powertools' path matching; a query value is handed to the route whole, decoded, everywhere.
"""

from collections.abc import Callable
from typing import Annotated

import api_answers
from api_runs import Limit, NextToken
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from agentsim.runs.series import MAX_SERIES
from agentsim.runs.series_history import SeriesHistory, series_history
from agentsim.runs.services import Services

SeriesName = Annotated[
    str, Query(min_length=1, max_length=MAX_SERIES, description="The series, as runs name it")
]


def router(services: Callable[[], Services]) -> Router:
    routes = api_answers.new_router()

    @api_answers.route(routes, "GET /series")
    def get_series(
        name: SeriesName, limit: Limit = 25, next_token: NextToken = None
    ) -> SeriesHistory:
        """A series' runs, newest first (paginated), and its cases' flake rates"""
        return series_history(services(), name, limit=limit, next_token=next_token)

    return routes
