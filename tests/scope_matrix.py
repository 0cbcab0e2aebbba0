"""Every URL pattern that names a record × every demo account × records from inside and outside its scope.

Run in the demo city's own environment (`python -m tests.scope_matrix`, by tests/test_scope_matrix.py):
for each pattern, the records it names are sampled so that every account's scope contributes one, and
every account opens every sample. A page that answers 200 for a record outside the account's scope
(`core.scope.scoped`) is a leak. Prints one JSON object: the counts and the leaks.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from typing import Any

import django

# The record each pattern's first parameter names, and the rest of the URL's parameters where it has more.
RECORD_OF: dict[str, str] = {
    "people/import/<int:batch_id>/": "core.ImportBatch",
    "people/<int:pk>/": "people.Person",
    "people/<int:pk>/edit/": "people.Person",
    "people/<int:pk>/record/<str:section>/": "people.Person",
    "people/<int:pk>/history/": "people.Person",
    "people/<int:pk>/reveal/<str:field>/": "people.Person",
    "people/<int:pk>/contacts/new/": "people.Person",
    "people/contacts/<int:pk>/remove/": "people.EmergencyContact",
    "people/contacts/<int:pk>/reveal/": "people.EmergencyContact",
    "people/<int:pk>/guardians/new/": "people.Person",
    "facilities/import/<int:batch_id>/": "core.ImportBatch",
    "facilities/<int:pk>/": "facilities.Facility",
    "facilities/<int:pk>/edit/": "facilities.Facility",
    "facilities/<int:pk>/history/": "facilities.Facility",
    "facilities/<int:pk>/staff/new/": "facilities.Facility",
    "facilities/<int:pk>/agreements/new/": "facilities.Facility",
    "facilities/staff/<int:pk>/certificates/new/": "facilities.StaffMember",
    "facilities/staff/<int:pk>/trainings/new/": "facilities.StaffMember",
    "areas/<str:code>/": "core.Area",
    "areas/<str:code>/population/": "core.Area",
    "imports/<str:kind>/<int:batch_id>/errors/": "core.ImportBatch",
    "assessments/import/<int:batch_id>/": "core.ImportBatch",
    "assessments/request/<int:person_pk>/": "people.Person",
    "assessments/condition/<int:person_pk>/": "people.Person",
    "assessments/organisations/<int:pk>/areas/": "facilities.Facility",
    "plans/<str:code>/projects/<int:pk>/": "planning.MajorProject",
    "plans/<str:code>/tasks/<int:pk>/": "planning.Task",
    "benefits/batches/<int:pk>/": "benefits.PaymentBatch",
    "benefits/batches/<int:pk>/approve/": "benefits.PaymentBatch",
    "benefits/batches/<int:pk>/payments.csv": "benefits.PaymentBatch",
    "benefits/batches/<int:pk>/reconcile/": "benefits.PaymentBatch",
    "benefits/payments/<int:pk>/hold/": "benefits.Payment",
    "benefits/applications/<int:pk>/": "benefits.Application",
    "benefits/documents/<int:pk>/": "benefits.ApplicationDocument",
    "homecare/people/<int:pk>/": "people.Person",
    "homecare/people/<int:pk>/visit-plan/": "people.Person",
    "homecare/people/<int:pk>/bed/": "people.Person",
    "homecare/orders/<int:pk>/": "homecare.Order",
    "homecare/providers/<int:pk>/": "homecare.Provider",
    "homecare/statements/<int:pk>/": "homecare.Statement",
    "homecare/complaints/<int:pk>/": "homecare.Complaint",
    "homecare/visits/<int:pk>/": "homecare.VisitPlan",
    "homecare/meals/<int:pk>/": "homecare.MealPoint",
    "homecare/beds/<int:pk>/": "homecare.HomeCareBed",
    "alerts/<int:pk>/": "alerts.Alert",
    "assessments/<int:pk>/": "assessments.Assessment",
    "account/users/<int:pk>/": "accounts.User",
    "api/v1/people/<pk>": "people.Person",
    "api/v1/facilities/<pk>": "facilities.Facility",
    "api/v1/assessments/ability/<person_pk>": "people.Person",
    "api/v1/areas/<code>": "core.Area",
    "api/v1/areas/<code>/population": "core.Area",
}
# Every action under an order, an assessment, an account or a payment batch names it.
RECORD_PREFIXES = (
    "homecare/orders/<int:pk>/",
    "assessments/<int:pk>/",
    "account/users/<int:pk>/",
    "benefits/batches/<int:pk>/",
)
# Patterns whose record is public policy data or the signed-in user's own, so no scope applies.
UNSCOPED = {
    "account/tokens/<int:pk>/revoke/": "a POST on the user's own token, looked up among the user's own",
    "facilities/follow-up/<str:what>/": "a named list (what follows up), not a record",
    "imports/<str:kind>/template/": "an empty template file",
    "plans/<str:code>/": "a plan is public policy; its figures are cut to the user's scope",
    "plans/<str:code>/export.xlsx": "as the plan",
    "plans/<str:code>/annex.xlsx": "as the plan",
    "plans/<str:code>/report/": "as the plan",
    "plans/<str:code>/report.docx": "as the plan",
    "plans/<str:code>/values/": "as the plan",
    "plans/<str:code>/targets/": "as the plan",
    "benefits/<str:code>/": "a programme is public policy",
    "benefits/<str:code>/apply/": "as the programme",
    "benefits/<str:code>/batch/": "as the programme",
    "benefits/<str:code>/simulator/": "as the programme",
    "api/v1/plans/<code>/indicators": "as the plan",
    "api/v1/plans/<code>/projects": "as the plan",
    "api/v1/plans/<code>/tasks": "as the plan",
    "api/v1/plans/<code>/values": "as the plan",
}
# Records seen only by the user named in a field, not through an area or an organisation.
OWN_FIELD = {"core.ImportBatch": "created_by"}
EXTRA = {"section": "orders", "field": "id_number", "kind": "people"}
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def record_of(route: str) -> str | None:
    if route in RECORD_OF:
        return RECORD_OF[route]
    return next((RECORD_OF[p] for p in RECORD_PREFIXES if route.startswith(p)), None)


def visible(user: Any, model: Any) -> Any:
    from laoxiao.core.scope import scoped

    if model._meta.label == "accounts.User":  # the accounts an administrator manages, by their own rule
        from laoxiao.accounts.selectors import AccountFilter, account_list

        return account_list(user=user, filters=AccountFilter())
    own = OWN_FIELD.get(model._meta.label)
    return model.objects.filter(**{own: user}) if own else scoped(user, model.objects.all())


def routes() -> list[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: list[Any], prefix: str = "") -> Any:
        for item in patterns:
            if isinstance(item, URLResolver):
                yield from walk(item.url_patterns, prefix + str(item.pattern))
            elif isinstance(item, URLPattern):
                yield prefix + str(item.pattern)

    return list(dict.fromkeys(r for r in walk(get_resolver().url_patterns) if "<" in r))


def _url(route: str, record: Any) -> str:
    """The route with the record's key in its (first) number, or its one parameter for an area."""
    ints = re.findall(r"<int:(\w+)>", route)
    values = dict(EXTRA) | {ints[0] if ints else PARAM.findall(route)[0]: record.pk}
    if route.startswith(("plans/", "api/v1/plans/")):
        values["code"] = record.plan.code
    if route.startswith("imports/"):
        values["kind"] = record.kind
    return "/" + PARAM.sub(lambda m: str(values[m.group(1)]), route)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laoxiao.settings_test")
    django.setup()
    logging.disable(logging.WARNING)  # every refusal is logged as a warning; the report says what counts
    from django.apps import apps
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.test import Client

    from laoxiao.accounts.models import User
    from laoxiao.accounts.services import api_token_create, api_token_revoke

    users = list(User.objects.filter(username__startswith="demo-", is_active=True).order_by("username"))
    samples: dict[str, list[Any]] = {}
    for route in routes():
        label = record_of(route)
        if label is None:
            continue
        model = apps.get_model(label)
        seen: dict[int, Any] = {}
        for user in users:  # one record from each account's scope, and the first of all
            for record in (visible(user, model).order_by("pk").first(), model.objects.order_by("pk").first()):
                if record is not None:
                    seen.setdefault(record.pk, record)
        samples[route] = list(seen.values())
    clients, api_clients, tokens = {}, {}, []
    for user in users:
        clients[user.pk] = Client(HTTP_HOST="127.0.0.1")
        clients[user.pk].force_login(user)
        try:  # the API's tokens are scoped like their users; a role that may hold none is refused one
            token, key = api_token_create(user=user, name="scope matrix", days=1)
        except (ValidationError, PermissionDenied):
            continue
        tokens.append(token)
        api_clients[user.pk] = Client(HTTP_HOST="127.0.0.1", headers={"Authorization": f"Bearer {key}"})
    requests, leaks, opened = 0, [], dict.fromkeys(samples, 0)
    for route, records in samples.items():
        model = apps.get_model(record_of(route) or "")
        for user in users:
            inside = set(visible(user, model).filter(pk__in=[r.pk for r in records]).values_list("pk", flat=True))
            for record in records:
                url = _url(route, record)
                client = (api_clients if route.startswith("api/") else clients).get(user.pk)
                if client is None:
                    continue
                status = client.get(url).status_code
                requests += 1
                opened[route] += status == 200
                if status == 200 and record.pk not in inside:
                    leaks.append(f"{user.username} {url} 200 (outside its scope)")
    for token in tokens:
        api_token_revoke(by=None, token=token)
    unknown = [r for r in routes() if record_of(r) is None and r not in UNSCOPED]
    report = {"users": len(users), "requests": requests, "opened": opened, "leaks": leaks, "unknown": unknown}
    print(json.dumps(report))


if __name__ == "__main__":
    sys.exit(main())
