"""Pages of orders: the lists, booking for a person, an order's page and its actions, the caregiver's phone
(today's visits, check-in and check-out), complaints."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laoxiao.accounts.roles import Role
from laoxiao.core.months import month_of
from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.homecare import rules
from laoxiao.homecare.forms import (
    AssignForm,
    CancelForm,
    ComplaintForm,
    DeclineForm,
    OrderForm,
    RateForm,
    ResolveForm,
    ReviewForm,
)
from laoxiao.homecare.models import Order
from laoxiao.homecare.orders import policy, selectors, services
from laoxiao.homecare.providers import selectors as providers_selectors
from laoxiao.people.selectors import person_get
from laoxiao.web.forms import add_service_errors
from laoxiao.web.paging import paginate, query_without_page


def _this_month() -> str:
    return f"{timezone.localdate():%Y-%m}"


@scoped_view(permission="homecare.view")
def order_list(request: AuthedRequest) -> HttpResponse:
    caregiver = providers_selectors.is_caregiver(user=request.user)
    # A resident's or family member's list is their household's orders: no desk filters, no exceptions.
    staff = not request.user.role_scopes_by_self
    filters = selectors.OrderFilter(
        status=request.GET.get("status", "") if staff else "",
        kind=request.GET.get("kind", "") if staff else "",
        flagged=staff and request.GET.get("flagged") == "1",
        review=request.GET.get("review", "") if staff else "",
        no_caregiver=staff and request.GET.get("no_caregiver") == "1",
        month=request.GET.get("month", "") if staff else "",
        q=request.GET.get("q", "").strip() if staff else "",
        mine=caregiver,
    )
    try:
        page = paginate(request, selectors.order_list(user=request.user, filters=filters))
    except ValueError:  # a month that is no month
        raise Http404 from None
    return render(
        request,
        "homecare/orders.html",
        {
            "page": page,
            "filters": filters,
            "query": query_without_page(request),
            "statuses": Order.Status.choices,
            "kinds": providers_selectors.service_kinds(),
            "mine": caregiver,
            "staff": staff,
            # offers are the desk's to take (none for a caregiver, who sees only the visits given to them)
            "offers": selectors.offered_to_me(user=request.user),
        },
    )


@scoped_view(permission="homecare.view")
def person_care(request: AuthedRequest, pk: int) -> HttpResponse:
    """One person's home care: this month's allowance balance, prices for them, their orders."""
    person = person_get(user=request.user, pk=pk)
    month = _this_month()
    balance = selectors.allowance_balance(user=request.user, person=person, month=month)
    form = OrderForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_role_permission("homecare.order"):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            order = {
                "by": request.user,
                "recipient": person,
                "kind": data["kind"],
                "quantity": data["quantity"],
                "scheduled_start": data["scheduled_start"],
                "channel": Order.Channel.SELF if request.user.role == Role.RESIDENT else Order.Channel.PROXY,
            }
            try:
                if request.POST.get("confirmed") != "1":  # the person's money: say what it costs first
                    policy.order_check(**order)
                    return _order_confirm(request, person, data)
                made = services.order_create(**order, note=data["note"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("homecare:order", pk=made.pk)
    priced = balance is not None
    return render(
        request,
        "homecare/person.html",
        {
            "person": person,
            "balance": balance,
            "prices": [(k, rules.unit_price(k, allowance=priced)) for k in providers_selectors.service_kinds()],
            "form": form,
            "can_order": request.user.has_role_permission("homecare.order"),
            "orders": selectors.person_orders(user=request.user, person=person)[:30],
        },
    )


def _order_confirm(request: AuthedRequest, person: Any, data: dict[str, Any]) -> HttpResponse:
    """Before an order commits the person's allowance and money: what it costs, who pays what, with 确认/返回."""
    kind, quantity, start = data["kind"], data["quantity"], timezone.localtime(data["scheduled_start"])
    price = selectors.order_price(user=request.user, person=person, kind=kind, quantity=quantity, month=month_of(start))
    allowance = f"{price.allowance_share:.2f}"
    if price.balance is not None:
        allowance += " · " + _("%(month)s allowance, %(left)s yuan left before this order") % {
            "month": price.balance.month,
            "left": f"{price.balance.left:.2f}",
        }
    facts = [
        (_("recipient"), person.name),
        (_("service"), f"{kind.name} × {quantity.normalize():f} {kind.get_unit_display()}"),
        (_("when"), f"{start:%Y-%m-%d %H:%M}"),
        (_("total (yuan)"), f"{price.total:.2f}"),
        (_("paid from the allowance (yuan)"), allowance),
        (_("paid by the person (yuan)"), f"{price.personal_share:.2f}"),
    ]
    warning = (
        _("%(name)s pays %(amount)s yuan of their own for this service.")
        % {"name": person.name, "amount": f"{price.personal_share:.2f}"}
        if price.personal_share
        else ""
    )
    fields = [(name, request.POST.get(name, "")) for name in ("kind", "quantity", "scheduled_start", "note")]
    return render(
        request,
        "web/confirm.html",
        {
            "title": _("Confirm the order"),
            "facts": facts,
            "warning": warning,
            "confirm_label": _("Confirm the order"),
            "back": request.path,
            "action": request.path,
            "fields": fields,
        },
    )


def _order_context(request: AuthedRequest, order: Order) -> dict[str, Any]:
    user = request.user
    caregivers = providers_selectors.caregivers_for(user=user, order=order)
    return {
        "order": order,
        "events": selectors.order_events(user=user, order=order),
        "complaints": selectors.order_complaints(user=user, order=order),
        "flags": order.flag_labels,
        "dispatches": selectors.dispatches(user=user, order=order),
        "assign_form": AssignForm(caregivers=caregivers, initial={"caregiver": order.caregiver_id}),
        "decline_form": DeclineForm(),
        "cancel_form": CancelForm(),
        "rate_form": RateForm(),
        "complaint_form": ComplaintForm(),
        "review_form": ReviewForm(),
        "can_review": user.has_role_permission("homecare.supervise"),
        "can_cancel": user.role != Role.PROVIDER and user.has_role_permission("homecare.order"),
        "can_rate": user.role in (Role.RESIDENT, Role.COMMUNITY_WORKER, Role.CALL_CENTRE),
        "tasks": order.kind.tasks,
    }


@scoped_view(permission="homecare.view")
def order_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(user=request.user, pk=pk)
    return render(request, "homecare/order.html", _order_context(request, order))


def _act(request: AuthedRequest, pk: int, act: Any, form_class: Any = None, **form_kwargs: Any) -> HttpResponse:
    """Run one order action from a POSTed form; errors go back to the order page as messages."""
    order = selectors.order_get(user=request.user, pk=pk)
    data: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST, **form_kwargs)
        if not form.is_valid():
            for field_errors in form.errors.values():
                messages.error(request, " ".join(field_errors))
            return redirect("homecare:order", pk=pk)
        data = form.cleaned_data
    try:
        act(order, data)
    except ValidationError as exc:
        for field_errors in exc.message_dict.values():
            messages.error(request, " ".join(field_errors))
    if not selectors.order_visible(user=request.user, pk=pk):  # passed on to another provider
        return redirect("homecare:orders")
    return redirect("homecare:order", pk=pk)


@scoped_view(permission="homecare.provide")
@require_POST
def order_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda order, _data: services.order_accept(by=request.user, order=order))


@scoped_view(permission="homecare.provide")
@require_POST
def order_decline(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, lambda o, d: services.order_decline(by=request.user, order=o, reason=d["reason"]), DeclineForm
    )


@scoped_view(permission="homecare.provide")
@require_POST
def order_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    caregivers = providers_selectors.caregivers_for(user=request.user, order=None)
    return _act(
        request,
        pk,
        lambda o, d: services.caregiver_assign(by=request.user, order=o, caregiver=d["caregiver"]),
        AssignForm,
        caregivers=caregivers,
    )


@scoped_view(permission="homecare.order")
@require_POST
def order_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, lambda o, d: services.order_cancel(by=request.user, order=o, reason=d["reason"]), CancelForm
    )


@scoped_view(permission="homecare.view")
@require_POST
def order_rate(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda o, d: services.order_rate(by=request.user, order=o, rating=d["rating"], comment=d["comment"]),
        RateForm,
    )


@scoped_view(permission="homecare.supervise")
@require_POST
def order_review(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda o, d: services.order_review(by=request.user, order=o, genuine=d["genuine"], note=d["note"]),
        ReviewForm,
    )


@scoped_view(permission="homecare.view")
@require_POST
def order_complain(request: AuthedRequest, pk: int) -> HttpResponse:
    def file(order: Order, data: dict[str, Any]) -> None:
        try:
            services.complaint_file(by=request.user, order=order, text=data["text"])
        except services.ComplaintFiledAlready as same:  # told with a link to the complaint that stands
            link = reverse("homecare:order", args=[order.pk]) + f"#complaint-{same.complaint.pk}"
            messages.error(
                request, format_html('{} <a href="{}">{}</a>', same.messages[0], link, _("See that complaint"))
            )

    return _act(request, pk, file, ComplaintForm)


@scoped_view(permission="homecare.provide")
def caregiver_today(request: AuthedRequest) -> HttpResponse:
    try:
        day = dt.date.fromisoformat(request.GET["day"]) if request.GET.get("day") else timezone.localdate()
    except ValueError:
        raise Http404 from None
    visits = list(selectors.caregiver_day(user=request.user, day=day))
    return render(request, "homecare/today.html", {"visits": visits, "day": day})


@scoped_view(permission="homecare.provide")
@require_POST
def visit_phone(request: AuthedRequest, pk: int) -> HttpResponse:
    """The recipient's phone for the assigned caregiver, as a link that dials it (the reveal is logged)."""
    order = selectors.order_get(user=request.user, pk=pk)
    return render(
        request, "homecare/_phone.html", {"phone": services.recipient_phone_reveal(by=request.user, order=order)}
    )


def _float(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _visit_action(request: AuthedRequest, pk: int, act: Any) -> JsonResponse:
    """A check-in or check-out sent from the phone's queue: JSON in, JSON out (422 names the field)."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"errors": {"body": [_("The request is not valid JSON.")]}}, status=400)
    device_at = parse_datetime(body.get("device_at") or "") if body.get("device_at") else None
    if device_at is not None and timezone.is_naive(device_at):
        device_at = timezone.make_aware(device_at)
    order = selectors.order_get(user=request.user, pk=pk)
    try:
        done = act(
            order,
            {
                "latitude": _float(body.get("latitude")),
                "longitude": _float(body.get("longitude")),
                "device_at": device_at,
                "client_action": str(body.get("client_action") or "")[:40] or None,
            },
            body,
        )
    except ValidationError as exc:
        return JsonResponse({"errors": exc.message_dict}, status=422)
    return JsonResponse({"status": done.status, "flags": done.flag_labels})


@scoped_view(permission="homecare.provide")
@require_POST
def visit_check_in(request: AuthedRequest, pk: int) -> JsonResponse:
    return _visit_action(
        request, pk, lambda order, common, _body: services.order_check_in(by=request.user, order=order, **common)
    )


@scoped_view(permission="homecare.provide")
@require_POST
def visit_check_out(request: AuthedRequest, pk: int) -> JsonResponse:
    def act(order: Order, common: dict[str, Any], body: dict[str, Any]) -> Order:
        return services.order_check_out(
            by=request.user,
            order=order,
            tasks_done=[str(t) for t in body.get("tasks_done") or []],
            notes=str(body.get("notes") or ""),
            recipient_confirmed=bool(body.get("recipient_confirmed")),
            **common,
        )

    return _visit_action(request, pk, act)


@scoped_view(permission="homecare.supervise")
def complaint_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    return render(
        request,
        "homecare/complaints.html",
        {"page": paginate(request, selectors.complaint_list(user=request.user, status=status)), "status": status},
    )


@scoped_view(permission="homecare.supervise")
def complaint_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    """An open complaint's decision form; a settled one's outcome, and no form (a second tab's save is
    refused at the top of the page, not beside a field)."""
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.complaint_resolve(
                by=request.user, complaint=complaint, upheld=data["upheld"], resolution=data["resolution"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            complaint = selectors.complaint_get(user=request.user, pk=pk)  # settled meanwhile: say by whom
        else:
            return redirect("homecare:complaints")
    return render(
        request,
        "homecare/complaint.html",
        {
            "complaint": complaint,
            "form": form,
            "settled": selectors.complaint_settlement(user=request.user, complaint=complaint),
        },
    )
