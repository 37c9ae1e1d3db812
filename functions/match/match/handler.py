"""Public catalogue routes (health, OpenAPI, rate card, districts) and the 3 km search."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from match import alerts, logic
from match.models import DistrictsOut, HealthOut, MatchOut, ServicesOut
from sevamitra.domain import districts, ratecard
from sevamitra.domain.types import LAT_IN_SERVICE_AREA, LNG_IN_SERVICE_AREA, LatLng, ServiceId
from sevamitra.edge import openapi
from sevamitra.edge.api import make_resolver
from sevamitra.edge.handlers import CallerDep, IdempotencyKey, created_as, idempotent_created
from sevamitra.platform.observability import logger, metrics

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


@app.get("/districts")
def list_districts() -> DistrictsOut:
    return DistrictsOut(districts=list(districts.all_districts()))


@app.get("/match")
def match(
    caller: CallerDep,  # searching is for signed-in callers only
    service: Annotated[ServiceId, Query()],
    lat: Annotated[float, Query(allow_inf_nan=False, json_schema_extra=LAT_IN_SERVICE_AREA)],
    lng: Annotated[float, Query(allow_inf_nan=False, json_schema_extra=LNG_IN_SERVICE_AREA)],
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> MatchOut:
    return logic.search(caller, service, LatLng(lat=lat, lng=lng), limit)


@app.post("/match/alerts", responses=created_as(alerts.AlertOut))
def create_match_alert(
    body: alerts.AlertIn, caller: CallerDep, key: IdempotencyKey
) -> Response[alerts.AlertOut]:
    return idempotent_created(
        key, "create_match_alert", caller, body, lambda: alerts.create_alert(caller, body)
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
