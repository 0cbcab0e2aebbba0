"""The REST API: token auth with the user's own role and scope, OpenAPI at /api/v1/docs."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema, Swagger
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer

from laoxiao.accounts.services import api_token_authenticate
from laoxiao.core.scope import AuthedRequest
from laoxiao.web.paging import MAX_PAGE_SIZE

MAX_OFFSET = 2**31 - 1  # far beyond any registry; larger values overflowed the database's integer (a 500)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="laoxiao API",
    version="1",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    docs=Swagger(settings={"validatorUrl": None}),  # no badge fetched from the internet: the docs work offline
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = [
        {"loc": ["body", field], "msg": message, "type": "value_error"}
        for field, messages in exc.message_dict.items()
        for message in messages
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "permission denied"}, status=403)


class Refusal(Schema):
    detail: str


class FieldProblem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Invalid(Schema):
    detail: list[FieldProblem]


# The refusals a route can answer with, each with its body: 400 a body that is not JSON, 401 no valid token,
# 403 the role lacks the right, 404 not found or outside the user's scope, 422 a parameter or field named in
# `loc` is not valid.
REFUSALS: dict[int, Any] = {400: Refusal, 401: Refusal, 403: Refusal, 404: Refusal, 422: Invalid}


def answers(ok: dict[int, Any], *refusals: int) -> dict[int, Any]:
    """A route's `response=`: its own answers, 401 (every route needs a token) and the other refusals it can give,
    so the OpenAPI document lists every status a client may receive."""
    return ok | {code: REFUSALS[code] for code in (401, *refusals)}


class Paged(LimitOffsetPagination):
    """Every API list: at most MAX_PAGE_SIZE items a page; a larger `limit` or an offset out of range is a 422
    naming the parameter, so the whole scope never leaves in one response."""

    class Input(Schema):
        limit: int = Field(MAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


def require(request: AuthedRequest, permission: str) -> None:
    if not request.user.has_role_permission(permission):
        raise PermissionDenied


from laoxiao.assessments.api import router as assessments_router  # noqa: E402
from laoxiao.core.api import router as areas_router  # noqa: E402
from laoxiao.facilities.api import router as facilities_router  # noqa: E402
from laoxiao.people.api import router as people_router  # noqa: E402
from laoxiao.planning.api import router as plans_router  # noqa: E402

api.add_router("/areas", areas_router)
api.add_router("/people", people_router)
api.add_router("/facilities", facilities_router)
api.add_router("/assessments", assessments_router)
api.add_router("/plans", plans_router)
