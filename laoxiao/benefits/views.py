from __future__ import annotations

import json
import mimetypes
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laoxiao.benefits import applications, integrity, policy, selectors, services
from laoxiao.benefits.forms import (
    ApplicationForm,
    BatchSearchForm,
    ReconcileForm,
    ReviewForm,
    RunForm,
    stated_facts,
)
from laoxiao.benefits.models import PaymentBatch, Programme
from laoxiao.benefits.rule_text import rule_text
from laoxiao.benefits.rules import facility_kinds
from laoxiao.core import areacode
from laoxiao.core.crypto import unsealed_chunks
from laoxiao.core.exporting import download, xlsx_chunks
from laoxiao.core.scope import AuthedRequest, area_scope, scoped_view
from laoxiao.core.selectors import area_names
from laoxiao.facilities.models import FacilityKind
from laoxiao.web.forms import add_service_errors
from laoxiao.web.paging import paginate, query_without_page

MISSING_PER_PAGE = 20


def _programme(request: AuthedRequest, code: str) -> Programme:
    try:
        return selectors.programme_get(user=request.user, code=code)
    except Programme.DoesNotExist:
        raise Http404 from None


@scoped_view(permission="benefit.view")
def programme_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "benefits/list.html", {"programmes": selectors.programme_list(user=request.user)})


@scoped_view(permission="benefit.view")
def programme_detail(request: AuthedRequest, code: str) -> HttpResponse:
    programme = _programme(request, code)
    form = RunForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not request.user.has_role_permission("benefit.run"):
            raise Http404
        if form.is_valid():
            try:
                batch = services.proactive_run(by=request.user, programme=programme, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("benefits:batch", pk=batch.pk)
    version = policy.rule_in_force(programme)
    return render(
        request,
        "benefits/programme.html",
        {
            "programme": programme,
            "version": version,
            "rule": json.dumps(version.rule, ensure_ascii=False, indent=1),
            "rule_text": rule_text(version.rule),
            "page": paginate(request, selectors.batch_list(user=request.user, programme=programme)),
            "query": query_without_page(request),
            "form": form,
            # The home-care allowance is drawn on by orders, never run in batches: no run form that always refuses.
            "can_run": request.user.has_role_permission("benefit.run")
            and programme.mode == Programme.Mode.PROACTIVE
            and version.rule.get("delivery") != services.SERVICE_ALLOWANCE,
            "applications": selectors.application_list(user=request.user, programme=programme)[:50],
            "can_apply": request.user.has_role_permission("benefit.apply")
            and programme.mode == Programme.Mode.APPLICATION,
            "can_batch": request.user.has_role_permission("benefit.run")
            and programme.mode == Programme.Mode.APPLICATION,
        },
    )


@scoped_view(permission="benefit.view")
def batches(request: AuthedRequest) -> HttpResponse:
    """Every programme's batches in scope, e.g. the drafts waiting for approval (?status=draft)."""
    status = request.GET.get("status", "")
    statuses = PaymentBatch.Status.choices
    if status not in dict(statuses):
        status = ""
    page = paginate(request, selectors.batch_list(user=request.user, status=status))
    context = {"page": page, "status": status, "statuses": statuses, "query": query_without_page(request)}
    return render(request, "benefits/batches.html", context)


@scoped_view(permission="benefit.view")
def batch_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    search = BatchSearchForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {}
    page = paginate(request, selectors.batch_payments(user=request.user, batch=batch, **filters))
    lines = list(page)
    missing_page = paginate(  # a short list: the batch's own lines follow it
        request,
        selectors.batch_lines_without_account(user=request.user, batch=batch),
        param="missing_page",
        per_page=MISSING_PER_PAGE,
    )
    missing = list(missing_page)
    details = selectors.payment_line_details(user=request.user, payments=lines + missing)
    can_approve = request.user.has_role_permission("benefit.approve")
    return render(
        request,
        "benefits/batch.html",
        {
            "batch": batch,
            "page": page,
            "lines": [(p, details[p.pk]) for p in lines],
            "missing_page": missing_page,
            "missing": [(p, details[p.pk]) for p in missing],
            "search": search,
            "summary": selectors.batch_summary(user=request.user, batch=batch),
            "events": selectors.batch_events(user=request.user, batch=batch),
            "query": query_without_page(request),
            "reconcile_form": ReconcileForm(),
            "dropped": list(batch.changes.get("dropped", {}).values())[:100],  # the count says how many in all
            "dropped_n": len(batch.changes.get("dropped", {})),
            "can_approve": can_approve,
            "can_hold": can_approve and batch.status == batch.Status.DRAFT,
            "layouts": list(policy.payment_layouts()),
        },
    )


@scoped_view(permission="benefit.approve")
@require_POST
def payment_hold(request: AuthedRequest, pk: int) -> HttpResponse:
    """Hold a line of a draft batch back with a reason, or release it (``release=1``)."""
    payment = selectors.payment_get(user=request.user, pk=pk)
    try:
        if request.POST.get("release") == "1":
            services.payment_release(by=request.user, payment=payment)
        else:
            services.payment_hold(by=request.user, payment=payment, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{payment.beneficiary_name}：{message}")
    return redirect(f"{reverse('benefits:batch', args=[payment.batch_id])}?{request.POST.get('back', '')}")


def _confirm(
    request: AuthedRequest, batch: PaymentBatch, summary: dict[str, Any], *, title: str, label: str, warning: str
) -> HttpResponse:
    """The step before a batch's money moves: what it pays, how much and from which funds, with 确认 and 返回."""
    facts = [
        (_("programme"), f"{batch.programme.name} · {batch.period} · {batch.area.name}"),
        (
            _("to be paid"),
            _("%(n)s payments, %(total)s yuan")
            % {"n": f"{summary['approvable_n']:,}", "total": f"{summary['approvable_total']:,.2f}"},
        ),
        (_("funding source"), batch.programme.funding_source),
    ]
    back = reverse("benefits:batch", args=[batch.pk])
    context = {"title": title, "facts": facts, "warning": warning, "confirm_label": label, "back": back}
    return render(request, "web/confirm.html", {**context, "action": request.path, "fields": []})


@scoped_view(permission="benefit.approve")
def batch_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    """Approval pays out public money: the first request shows what it pays; only the confirmed POST approves."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    if request.method != "POST" or request.POST.get("confirmed") != "1":
        summary = selectors.batch_summary(user=request.user, batch=batch)
        held = (
            _("Approval holds back %(n)s lines without a payee account (%(total)s yuan), unpaid in this batch.")
            % {"n": f"{summary['no_account']:,}", "total": f"{summary['no_account_total']:,.2f}"}
            if summary["no_account"]
            else ""
        )
        return _confirm(
            request,
            batch,
            summary,
            title=_("Approve this payment batch?"),
            label=_("Confirm the approval"),
            warning=held,
        )
    try:
        services.batch_approve(by=request.user, batch=batch)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        summary = selectors.batch_summary(user=request.user, batch=batch)
        total = f"{summary['total']:,.2f}"
        messages.success(request, _("Approved: %(n)s payments, %(total)s yuan.") % {"n": summary["n"], "total": total})
        if summary["held_no_account"]:
            messages.warning(
                request,
                _("%(n)s lines without a payee account are held back and not paid.")
                % {"n": summary["held_no_account"]},
            )
    return redirect("benefits:batch", pk=pk)


@scoped_view(permission="benefit.approve")
def batch_send(request: AuthedRequest, pk: int) -> HttpResponse:
    """Say that the payment file has gone to the bank (downloading it is not sending), after a confirmation."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    if request.method != "POST" or request.POST.get("confirmed") != "1":
        return _confirm(
            request,
            batch,
            selectors.batch_summary(user=request.user, batch=batch),
            title=_("Has the payment file been handed to the bank?"),
            label=_("Confirm: handed to the bank"),
            warning=_("Confirm only once the bank has the file: the batch then waits for the bank's result file."),
        )
    try:
        services.batch_send(by=request.user, batch=batch)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The batch is recorded as sent to the bank."))
    return redirect("benefits:batch", pk=pk)


@scoped_view(permission="benefit.approve")
def batch_file(request: AuthedRequest, pk: int) -> HttpResponseBase:
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        layout = policy.payment_layouts().get(request.GET.get("layout", "default"))
        if layout is None:
            raise Http404
        content = services.payment_file(by=request.user, batch=batch, layout=layout)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("benefits:batch", pk=pk)
    return download(content, f"payments-{batch.pk}-{batch.period}.csv")


@scoped_view(permission="benefit.approve")
@require_POST
def batch_reconcile(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    form = ReconcileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            result = services.batch_reconcile(by=request.user, batch=batch, content=form.cleaned_data["file"].read())
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(paid)d paid, %(failed)d failed.") % result)
    return redirect("benefits:batch", pk=pk)


def _rule_facts(rule: dict[str, object]) -> list[str]:
    """The application facts a rule reads, in the order it reads them."""
    names = [c["fact"] for c in rule.get("eligibility", [])]  # type: ignore[attr-defined,index]
    amount = rule.get("amount", {})
    names += [amount.get("unit", "")] if isinstance(amount, dict) else []
    return [n for n in dict.fromkeys(names) if n.startswith("application.")]


@scoped_view(permission="benefit.apply")
def application_create(request: AuthedRequest, code: str) -> HttpResponse:
    programme = _programme(request, code)
    version = policy.rule_in_force(programme)
    facilities = selectors.facilities_to_apply(user=request.user, rule=version.rule)
    if not facilities.exists():  # say so, rather than a form whose facility list is empty
        admitted = facility_kinds(version.rule) or frozenset()
        kinds = [kind.label for kind in FacilityKind if kind in admitted]
        return render(request, "benefits/apply_none.html", {"programme": programme, "kinds": kinds})
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        facilities=facilities,
        facts=_rule_facts(version.rule),
        documents=version.rule.get("documents", []),
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = applications.application_submit(
                by=request.user,
                programme=programme,
                facility=form.cleaned_data["facility"],
                stated=form.stated(),
                documents=form.documents(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("benefits:application", pk=application.pk)
    return render(
        request,
        "web/simple_form.html",
        {
            "form": form,
            "back": ("benefits:programme", programme.code),
            "title": _("Apply: %(name)s") % {"name": programme.name},
            "multipart": True,
        },
    )


@scoped_view(permission="benefit.view")
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_role_permission("benefit.review"):
            raise Http404
        if form.is_valid():
            try:
                applications.application_review(by=request.user, application=application, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied:
                form.add_error(None, _("The county review is made by county staff other than the first reviewer."))
            else:
                return redirect("benefits:application", pk=pk)
    return render(
        request,
        "benefits/application.html",
        {
            "application": application,
            "facts": stated_facts(application.facts),
            "form": form,
            "overdue": policy.application_overdue(application),
            "can_review": request.user.has_role_permission("benefit.review"),
        },
    )


@scoped_view(permission="benefit.run")
@require_POST
def applications_batch(request: AuthedRequest, code: str) -> HttpResponse:
    programme = _programme(request, code)
    area = request.user.area
    if area is None:
        raise Http404
    try:
        batch = applications.batch_from_applications(
            by=request.user, programme=programme, area=area, year=timezone.localdate().year
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("benefits:programme", code=code)
    return redirect("benefits:batch", pk=batch.pk)


@scoped_view(permission="benefit.configure")
def rule_simulator(request: AuthedRequest, code: str) -> HttpResponse:
    """Try a draft rule against the registry, then publish it as a new version."""
    programme = _programme(request, code)
    draft_text = request.POST.get("rule") or json.dumps(
        policy.rule_in_force(programme).rule, ensure_ascii=False, indent=1
    )
    result, error = None, ""
    if request.method == "POST":
        try:
            draft = json.loads(draft_text)
            if not isinstance(draft, dict):
                raise ValueError
        except ValueError:
            error = _("The rule is not a JSON object.")
        else:
            try:
                if request.POST.get("publish"):
                    version = services.rule_publish(by=request.user, programme=programme, rule=draft)
                    messages.success(request, _("Version %(v)d is now in force.") % {"v": version.version})
                    return redirect("benefits:programme", code=code)
                area = request.user.area
                if area is None:
                    raise Http404
                scope = area_scope(request.user, area)
                result = policy.simulate(programme=programme, scope=scope, rule=draft, on=timezone.localdate())
            except ValidationError as exc:
                error = "；".join(exc.messages)
    totals = None
    if result:
        totals = {
            key: sum(row[key] for row in result.values()) for key in ("draft_n", "draft_cost", "now_n", "now_cost")
        }
    names = area_names(areacode.code_of(c) for c in (result or {}))
    rows = [(names.get(areacode.code_of(c), c), r) for c, r in sorted((result or {}).items())]
    return render(
        request,
        "benefits/simulator.html",
        {"programme": programme, "draft": draft_text, "rows": rows, "totals": totals, "error": error},
    )


@scoped_view(permission="benefit.view")
def spending_report(request: AuthedRequest) -> HttpResponseBase:
    year = request.GET.get("year") or str(timezone.localdate().year)
    if not year.isdigit():
        raise Http404
    rows = selectors.spending(user=request.user, year=year)
    names = area_names(areacode.code_of(str(r["county"])) for r in rows)
    for row in rows:
        row["county_name"] = names.get(areacode.code_of(str(row["county"])), row["county"])
    if request.GET.get("format") == "xlsx":
        headers = [
            _("programme"),
            _("funding source"),
            _("payment period"),
            _("county"),
            _("payments"),
            _("amount (yuan)"),
            _("budget (yuan)"),
        ]
        table = [
            [
                r["programme__name"],
                r["programme__funding_source"],
                r["period"],
                r["county_name"],
                r["n"],
                float(r["total"] or 0),
                float(r["programme__budget"]) if r["programme__budget"] else None,
            ]
            for r in rows
        ]
        return download(xlsx_chunks(headers, table, title="spending"), f"spending-{year}.xlsx")
    by_programme: dict[str, float] = {}
    for row in rows:
        by_programme[row["programme__name"]] = by_programme.get(row["programme__name"], 0.0) + float(row["total"] or 0)
    return render(request, "benefits/spending.html", {"rows": rows, "year": year, "chart": list(by_programme.items())})


@scoped_view(permission="benefit.approve")
def integrity_report(request: AuthedRequest) -> HttpResponse:
    """Overpayments to recover, and payments that look wrong, for a person to review."""
    return render(
        request,
        "benefits/integrity.html",
        {
            "overpayments": integrity.overpayments(user=request.user),
            "signals": integrity.fraud_signals(user=request.user),
        },
    )


@scoped_view(permission="benefit.view")
def application_document(request: AuthedRequest, pk: int) -> StreamingHttpResponse:
    """A document of an application in the user's scope; documents are never public files."""
    document = selectors.document_get(user=request.user, pk=pk)
    with document.file.open("rb") as stored:
        sealed = stored.read()  # a document is a few megabytes at most: read whole, decrypted as sent
    response = StreamingHttpResponse(
        unsealed_chunks(document.content_key, sealed),
        content_type=mimetypes.guess_type(document.file_name)[0] or "application/octet-stream",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(document.file_name or document.title)}"
    return response
