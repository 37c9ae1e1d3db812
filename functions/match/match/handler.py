"""Public catalogue routes (health, OpenAPI, rate card) and the 3 km search."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from match.models import HealthOut, ServicesOut
from sevamitra import openapi, ratecard
from sevamitra.api import make_resolver
from sevamitra.observability import logger, metrics, tracer

app = make_resolver()


@app.get("/health")
def health() -> HealthOut:
    return HealthOut()


@app.get("/openapi.json")
def openapi_document() -> dict[str, Any]:
    return openapi.document()


@app.get("/services")
def list_services(q: Annotated[str | None, Query(max_length=100)] = None) -> ServicesOut:
    return ServicesOut(services=ratecard.search(q))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
