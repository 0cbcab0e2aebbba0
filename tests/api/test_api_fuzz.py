"""Schema-driven fuzzing of the whole REST API (schemathesis): every operation of the OpenAPI document, as a
district civil-affairs officer and as a home-care provider, on a small registry with real rows. No answer may
be a server error, a status the document does not list, or a body that does not match the document."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from laoxiao.accounts.roles import Role
from laoxiao.accounts.services import api_token_create
from laoxiao.api.main import api
from laoxiao.core.personal import unsealed
from laoxiao.planning.services import plans_sync
from tests import factories
from tests.factories import GBT, answers_for_total

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
SCHEMA.app = WSGIHandler()  # requests go to Django in-process, through every middleware

# Requests naming real rows (with a valid body where there is one), by operation, set by the `caller` fixture
# for the running test: about half the generated requests of an operation become one of them, so the 200 and
# 201 answers and the writes are checked too, not only the refusals. Each is a dict of the Case's parts.
REAL: dict[str, list[dict[str, Any]]] = {}


@SCHEMA.hook
def flatmap_case(context: schemathesis.HookContext, case: schemathesis.Case) -> st.SearchStrategy:
    requests = REAL.get(case.operation.label, [])
    if not requests or case.meta is None or case.meta.generation.mode.is_negative:
        return st.just(case)

    def naming(parts: dict[str, Any] | None) -> schemathesis.Case:
        for part, value in (parts or {}).items():
            setattr(case, part, (getattr(case, part) or {}) | value if part == "query" else value)
        return case

    return (st.none() | st.sampled_from(requests)).map(naming)


@pytest.fixture(autouse=True)
def _one_connection():
    """The test's transaction must outlive each request, as under Django's test client: a WSGI request's end
    would otherwise close the database connection (on PostgreSQL; SQLite's in-memory one is kept)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=[Role.CIVIL_AFFAIRS, Role.PROVIDER])
def caller(request, xingqing_civil, city_civil):
    """A token of 兴庆区's civil-affairs officer or of a provider's caregiver; three people (one with an ability
    level), a care home, a provider and the city's plan in the database."""
    people = [factories.make_person(by=city_civil, area=factories.XINGQING_VILLAGE) for _ in range(2)]
    people.append(factories.make_person(by=city_civil, area=factories.XINGQING_VILLAGE, ability_level=2))
    factories.make_person(by=city_civil, area=factories.JINFENG_VILLAGE)  # out of 兴庆区's scope
    home = factories.make_facility(by=city_civil)
    _, caregivers = factories.make_provider(by=city_civil)
    plans_sync()
    user = xingqing_civil if request.param == Role.CIVIL_AFFAIRS else caregivers[0]
    _, key = api_token_create(user=user, name="fuzzing")
    plan = {"path_parameters": {"code": "yinchuan-2023"}}
    person = {"name": "孙玉兰", "area_code": factories.XINGQING_VILLAGE, "address": "丽景街1号"}
    assessment = {"assessed_on": "2025-06-30", "answers": answers_for_total(GBT, 60), "claimed_level": 2}
    REAL.update(
        {
            "GET /api/v1/areas/{code}": [
                {"path_parameters": {"code": c}} for c in (factories.XINGQING, factories.CITY)
            ],
            "GET /api/v1/areas/{code}/population": [{"path_parameters": {"code": factories.XINGQING}}],
            "GET /api/v1/people/{pk}": [{"path_parameters": {"pk": p.pk}} for p in people],
            "POST /api/v1/people/": [{"body": person | {"id_number": factories.citizen_id(age=80)}}],
            "PUT /api/v1/people/{pk}": [{"path_parameters": {"pk": p.pk}, "body": person} for p in people],
            "GET /api/v1/facilities/{pk}": [{"path_parameters": {"pk": home.pk}}],
            "POST /api/v1/facilities/": [{"body": factories.facility_values()}],
            "PUT /api/v1/facilities/{pk}": [{"path_parameters": {"pk": home.pk}, "body": factories.facility_values()}],
            "GET /api/v1/assessments/": [{"query": {"person": p.pk}} for p in people],
            "GET /api/v1/assessments/ability/{person_pk}": [{"path_parameters": {"person_pk": p.pk}} for p in people],
            "POST /api/v1/assessments/": [
                {"body": assessment | {"id_number": unsealed(p, "id_number")}} for p in people
            ],
            "GET /api/v1/plans/{code}/indicators": [plan | {"query": {"area": a}} for a in ("", factories.XINGQING)],
            "GET /api/v1/plans/{code}/projects": [plan],
            "GET /api/v1/plans/{code}/tasks": [plan],
            "GET /api/v1/plans/{code}/values": [plan | {"query": {"area": a}} for a in ("", factories.XINGQING)],
        }
    )
    yield {"Authorization": f"Bearer {key}"}
    REAL.clear()


@SCHEMA.parametrize()
@settings(
    max_examples=20,
    derandomize=True,  # the same requests on every run and machine: CI is reproducible
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_documented(case, caller):
    # Not checked: that every schema-valid request is accepted. The services' rules (the ID's check digit, an
    # area within the caller's scope, nursing beds within beds, code lists, no control characters) cannot
    # all be said in JSON Schema; they answer 422 naming the field, and 422 is documented.
    # A request made invalid by its headers (the token among them) keeps them: the caller's valid token laid
    # over them would make it valid again, and then rightly accepted.
    headers_broken = case.meta is not None and any(
        location.name == "HEADER" and info.mode.is_negative for location, info in case.meta.components.items()
    )
    case.call_and_validate(headers=None if headers_broken else caller, excluded_checks=[positive_data_acceptance])


def test_the_served_document_is_the_one_fuzzed_and_lists_the_refusals(db):
    served = Client().get("/api/v1/openapi.json").json()
    assert served == SCHEMA.raw_schema
    operations = [(f"{verb.upper()} {path}", op) for path, ops in served["paths"].items() for verb, op in ops.items()]
    assert len(operations) == 20
    for label, operation in operations:
        assert "401" in operation["responses"], label  # the token is missing, wrong, expired or revoked
        if "requestBody" in operation:
            assert {"400", "422"} <= set(operation["responses"]), label  # not JSON / a field not valid
    refusal = served["components"]["schemas"]["Invalid"]["properties"]["detail"]
    assert refusal["items"] == {"$ref": "#/components/schemas/FieldProblem"}
