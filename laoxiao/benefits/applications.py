"""Applications: submit → first review (street/community) → county review → approved → paid in a batch.
Each step has a time limit (REVIEW_DAYS), a reason on rejection, and an audit entry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.benefits.facts import facility_facts
from laoxiao.benefits.models import Application, ApplicationDocument, Payment, PaymentBatch, Programme
from laoxiao.benefits.policy import require_covered, rule_in_force
from laoxiao.benefits.rules import decide
from laoxiao.core import areacode
from laoxiao.core.models import Area
from laoxiao.core.scope import area_range_q
from laoxiao.core.transitions import Workflow, status_change_record
from laoxiao.core.uploads import sealed_file
from laoxiao.core.writes import service
from laoxiao.facilities.models import Facility

A = Application.Status
APPLICATION_FLOW = Workflow(
    {A.SUBMITTED: {A.FIRST_APPROVED, A.REJECTED}, A.FIRST_APPROVED: {A.APPROVED, A.REJECTED}, A.APPROVED: {A.PAID}}
)


@service
def application_submit(
    *,
    by: User,
    programme: Programme,
    facility: Facility,
    stated: dict[str, Any],
    documents: dict[str, UploadedFile] | None = None,
) -> Application:
    """Apply for a facility programme with the documents its rule requires; the rule in force decides
    eligibility and the amount at once."""
    if programme.beneficiary != Programme.Beneficiary.FACILITY or programme.mode != Programme.Mode.APPLICATION:
        raise ValidationError({"programme": _("This programme is not applied for by a facility.")})
    require_covered(programme, facility.area_id, "facility")
    version = rule_in_force(programme)
    documents = documents or {}
    if missing := [title for title in version.rule.get("documents", []) if title not in documents]:
        raise ValidationError({"documents": [_("Attach: %(title)s") % {"title": title} for title in missing]})
    facts = {**facility_facts(facility), **{k: v for k, v in stated.items() if v not in (None, "")}}
    decision = decide(version.rule, facts)
    if not decision.eligible:
        raise ValidationError({"programme": [_("Not eligible: %(why)s") % {"why": "；".join(decision.reasons)}]})
    application = Application(
        programme=programme,
        rule_version=version,
        beneficiary_type="facility",
        beneficiary_id=facility.pk,
        facility=facility,
        beneficiary_name=facility.name,
        area_id=facility.area_id,
        facts=stated,
        amount=decision.amount,
        instalments=[str(i) for i in decision.instalments] or [str(decision.amount)],
        submitted_by=by,
    )
    try:
        with transaction.atomic():
            application.save()
            status_change_record(application, "", A.SUBMITTED, by=by)
            for title, upload in documents.items():
                key_id, sealed = sealed_file(upload)
                ApplicationDocument.objects.create(
                    application=application,
                    title=title,
                    file=sealed,
                    file_name=(upload.name or title)[:255],
                    content_key=key_id,
                )
    except IntegrityError:  # the constraint one_open_application: a second click, a second tab
        raise ValidationError(
            {"programme": _("This facility already has an application for this programme under way.")}
        ) from None
    return application


@service
def application_review(*, by: User, application: Application, approve: bool, reason: str = "") -> Application:
    """First review by street or community staff, then county review by someone else; a rejection needs a reason."""
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    application = APPLICATION_FLOW.lock(application)
    first = application.status == A.SUBMITTED
    if application.status not in (A.SUBMITTED, A.FIRST_APPROVED):
        raise ValidationError({"status": _("This application has been decided.")})
    county_level = by.area is not None and by.area.level in (
        Area.Level.COUNTY,
        Area.Level.CITY,
        Area.Level.PROVINCE,
    )
    if not first and (not county_level or application.first_review_by_id == by.pk):
        raise PermissionDenied
    if not approve:
        APPLICATION_FLOW.move(application, A.REJECTED, by=by, note=reason)
        application.rejection_reason = reason[:300]
    elif first:
        APPLICATION_FLOW.move(application, A.FIRST_APPROVED, by=by)
        application.first_review_by = by
    else:
        APPLICATION_FLOW.move(application, A.APPROVED, by=by)
        application.county_review_by = by
    application.save()
    return application


def _shares_due(programme: Programme, prefix: str, year: int) -> list[tuple[Application, int]]:
    """(application, share number) to pay in `year`: the first share of newly approved applications, and
    the next share of grants paid in instalments, one share a year after the first."""
    due = [
        (a, 1)
        for a in Application.objects.filter(
            area_range_q("area_id", prefix), programme=programme, status=Application.Status.APPROVED
        )
    ]
    started = Application.objects.filter(
        area_range_q("area_id", prefix), programme=programme, status=Application.Status.PAID
    )
    for application in started:
        periods = sorted(
            Payment.objects.filter(
                programme=programme,
                beneficiary_type=application.beneficiary_type,
                beneficiary_id=application.beneficiary_id,
                period__contains=f"-A{application.pk}-",
            ).values_list("period", flat=True)
        )
        paid, first_year = len(periods), int(periods[0][:4]) if periods else year
        if paid < len(application.instalments) and year >= first_year + paid:
            due.append((application, paid + 1))
    return due


@service
def batch_from_applications(*, by: User, programme: Programme, area: Area, year: int) -> PaymentBatch:
    """The shares due in `year` go into one batch, each a separate payment whose period names the
    application and the share (YEAR-A<id>-<share>), so no share can be paid twice."""
    require_covered(programme, area.code, "status")
    due = _shares_due(programme, areacode.prefix(area.code, area.level), year)
    if not due:
        raise ValidationError({"status": _("No approved application waits for payment.")})
    try:
        with transaction.atomic():
            batch = PaymentBatch(
                programme=programme,
                area=area,
                period=str(year),
                created_by=by,
                changes={"new": sum(1 for _a, share in due if share == 1), "dropped": {}, "already_paid": 0},
            )
            batch.save()
            status_change_record(batch, "", batch.status, by=by)
            for application, share in due:
                payment = Payment(
                    programme=programme,
                    rule_version=application.rule_version,
                    batch=batch,
                    beneficiary_type=application.beneficiary_type,
                    beneficiary_id=application.beneficiary_id,
                    beneficiary_name=application.beneficiary_name,
                    area=application.area,
                    period=f"{year}-A{application.pk}-{share}",
                    amount=Decimal(application.instalments[share - 1]),
                )
                payment.save()
                if application.status != A.PAID:
                    APPLICATION_FLOW.move(application, A.PAID, by=by)
                    application.save()
    except IntegrityError:
        raise ValidationError({"status": _("These shares have already been paid.")}) from None
    return batch
