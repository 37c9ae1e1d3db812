"""GET /match with a fault at each of its AWS calls: the search counter's write (the per-account
rate limit) and the geo index queries. A failed counter fails open (the search is answered),
a throttled one is 429, a failed query 503; never a 500, and the retry answers."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Api, claims_for
from tests.integration.faults.conftest import Faults
from tests.integration.geo_seed import LUCKNOW, SERVICE, offset, seed_professional

CITIZEN = claims_for("citizen-searching")
COUNTER = "dynamodb:UpdateItem"


@pytest.mark.parametrize("throttle", [False, True], ids=["error", "throttled"])
def test_a_fault_in_a_search_is_never_a_500(api: Api, faults: Faults, throttle: bool) -> None:
    seed_professional("pro_1", *offset(*LUCKNOW, 200, 0))
    query = {"service": SERVICE, "lat": str(LUCKNOW[0]), "lng": str(LUCKNOW[1])}

    def search() -> tuple[int, list[str]]:
        response = api("GET", "/match", claims=CITIZEN, query=query)
        found = [r["professional_id"] for r in response.body.get("results", [])]
        return response.status, found

    with faults.recording() as recorder:
        assert search() == (200, ["pro_1"])
    steps = recorder.calls
    assert steps[0] == COUNTER  # counted before anything is read
    assert set(steps[1:]) == {"dynamodb:Query"}

    for index, step in enumerate(steps):
        if throttle and step != COUNTER:
            continue  # throttling is injected on writes, as in test_write_paths
        with faults.failing(index, throttle=throttle) as injector:
            status, found = search()
        assert injector.fired == step
        if step == COUNTER:
            assert (status, found) == ((429, []) if throttle else (200, ["pro_1"])), step
        else:
            assert (status, found) == (503, []), step
        assert search() == (200, ["pro_1"])
