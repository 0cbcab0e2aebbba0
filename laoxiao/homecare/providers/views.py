"""Pages of providers (register, detail with caregivers) and of the monthly statements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.homecare.forms import (
    CaregiverForm,
    MonthForm,
    ProviderForm,
)
from laoxiao.homecare.providers import selectors, services
from laoxiao.homecare.visits import selectors as visits_selectors
from laoxiao.web.forms import add_service_errors, simple_form
from laoxiao.web.paging import paginate, query_without_page


@scoped_view(permission="homecare.view")
def provider_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "homecare/providers.html",
        {
            "page": paginate(request, selectors.provider_list(user=request.user)),
            "can_configure": request.user.has_role_permission("homecare.configure"),
        },
    )


@scoped_view(permission="homecare.configure")
def provider_register(request: AuthedRequest) -> HttpResponse:
    form = ProviderForm(request.POST or None, facilities=selectors.organisations_to_register(user=request.user))

    def save(data: dict[str, Any]) -> object:
        return services.provider_register(
            by=request.user,
            facility=data["facility"],
            kinds=list(data["kinds"]),
            area_codes=[c.strip() for c in data["area_codes"].split() if c.strip()],
            daily_capacity=data["daily_capacity"],
        )

    return simple_form(request, form, save, title=_("Register a home-care provider"), back=("homecare:providers", None))


@scoped_view(permission="homecare.view")
def provider_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_get(user=request.user, pk=pk)
    can_edit = request.user.has_role_permission("homecare.configure") or pk in request.user.organisation_ids
    staff = selectors.provider_care_staff(user=request.user, provider=provider)
    form = CaregiverForm(request.POST or None, staff=staff, kinds=provider.kinds.all())
    if request.method == "POST" and can_edit and form.is_valid():
        data = form.cleaned_data
        try:
            services.caregiver_register(
                by=request.user,
                provider=provider,
                staff=data["staff"],
                skills=list(data["skills"]),
                username=data["username"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("homecare:provider", pk=pk)
    return render(
        request,
        "homecare/provider.html",
        {
            "provider": provider,
            "page": paginate(request, selectors.provider_caregivers(user=request.user, provider=provider)),
            "form": form,
            "can_edit": can_edit,
        },
    )


def _refuse_caregiver(request: AuthedRequest) -> None:
    """A caregiver signs in with the provider role but is not its manager: the provider's accounts are not theirs."""
    if selectors.is_caregiver(user=request.user):
        raise PermissionDenied


@scoped_view(permission="homecare.statements")
def statement_list(request: AuthedRequest) -> HttpResponse:
    _refuse_caregiver(request)
    # Statements are made on the 1st for the month before: open on the last whole month, not an empty one.
    month = request.GET.get("month") or visits_selectors.latest_whole_month(timezone.localdate())
    form = MonthForm(request.POST or None, initial={"month": month})
    if request.method == "POST":
        if not request.user.has_role_permission("homecare.settle"):
            raise Http404
        if form.is_valid():
            try:
                built = services.statements_build(by=request.user, month=form.cleaned_data["month"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(n)s statements built.") % {"n": built})
                return redirect(f"{request.path}?month={form.cleaned_data['month']}")
    statements = selectors.statement_list(user=request.user, month=month)
    totals = {
        "government": sum((s.government_amount for s in statements), Decimal(0)),
        "personal": sum((s.personal_amount for s in statements), Decimal(0)),
        "disputed": sum((s.disputed_amount for s in statements), Decimal(0)),
        "held": sum((s.held_amount for s in statements), Decimal(0)),
    }
    return render(
        request,
        "homecare/statements.html",
        {
            "page": paginate(request, statements),
            "month": month,
            "form": form,
            "totals": totals,
            "can_settle": request.user.has_role_permission("homecare.settle"),
        },
    )


@scoped_view(permission="homecare.statements")
def statement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _refuse_caregiver(request)
    statement = selectors.statement_get(user=request.user, pk=pk)
    if request.method == "POST" and request.user.has_role_permission("homecare.settle"):
        try:
            services.statement_confirm(by=request.user, statement=statement)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            if any(error.code == "rebuilt" for error in exc.error_dict.get("statement", [])):  # this one is gone
                return redirect(f"{reverse('homecare:statements')}?month={statement.month}")
        return redirect("homecare:statement", pk=pk)
    return render(
        request,
        "homecare/statement.html",
        {
            "statement": statement,
            "page": paginate(request, selectors.statement_orders(user=request.user, statement=statement)),
            "query": query_without_page(request),
            "can_settle": request.user.has_role_permission("homecare.settle"),
        },
    )
