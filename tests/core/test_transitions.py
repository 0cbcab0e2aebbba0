"""Every workflow changes state one way (core/transitions.py): its allowed moves are one table, the
service moves along that table only, and no module sets a status by hand beside it."""

import re
from pathlib import Path

import pytest

from laoxiao.assessments.models import Assessment
from laoxiao.assessments.services import ASSESSMENT_FLOW
from laoxiao.benefits.applications import APPLICATION_FLOW
from laoxiao.benefits.models import Application, Payment, PaymentBatch, Programme
from laoxiao.benefits.services import BATCH_FLOW, PAYMENT_FLOW
from laoxiao.core.importing import IMPORT_FLOW
from laoxiao.core.models import ImportBatch
from laoxiao.homecare.models import Complaint, Order
from laoxiao.homecare.orders.services import COMPLAINT_FLOW, ORDER_FLOW

ROOT = Path(__file__).resolve().parents[2] / "laoxiao"
# (workflow, its model, the status a record is made in)
FLOWS = [
    (IMPORT_FLOW, ImportBatch, ImportBatch.Status.VALIDATED),
    (BATCH_FLOW, PaymentBatch, PaymentBatch.Status.DRAFT),
    (PAYMENT_FLOW, Payment, Payment.Status.PROPOSED),
    (APPLICATION_FLOW, Application, Application.Status.SUBMITTED),
    (COMPLAINT_FLOW, Complaint, Complaint.Status.OPEN),
    (ORDER_FLOW, Order, Order.Status.UNASSIGNED),
    (ASSESSMENT_FLOW, Assessment, Assessment.Status.REQUESTED),
]
# The modules that write the workflows' records.
WRITERS = [
    "core/importing.py",
    "benefits/services.py",
    "benefits/applications.py",
    "homecare/orders/services.py",
    "assessments/services.py",
    "assessments/importing.py",
]
# `x.status = …` or `x.a, x.status = …`, not `==`
SETS_STATUS = re.compile(r"^\s*(?:[\w.]+\s*,\s*)*[\w.]+\.status\s*(?:,\s*[\w.]+\s*)*=(?!=)", re.M)


@pytest.mark.parametrize(("flow", "model", "start"), FLOWS, ids=[model.__name__ for _f, model, _s in FLOWS])
def test_each_workflow_table_moves_between_its_models_statuses_and_reaches_every_one(flow, model, start):
    statuses = set(model.Status.values)
    named = set(flow.allowed) | {to for targets in flow.allowed.values() for to in targets}
    assert named <= statuses, f"{model.__name__}: the table names statuses the model does not have"
    reached, frontier = {start}, [start]
    while frontier:
        for to in flow.allowed.get(frontier.pop(), ()):
            if to not in reached:
                reached.add(to)
                frontier.append(to)
    assert reached == statuses, f"{model.__name__}: {statuses - reached} cannot be reached"
    assert model._meta.get_field(flow.field).choices == model.Status.choices


def test_no_workflow_module_sets_a_status_but_through_its_workflow():
    found = [
        f"{module}:{text[: match.start()].count(chr(10)) + 1}: {match.group().strip()}"
        for module in WRITERS
        for text in [(ROOT / module).read_text(encoding="utf-8")]
        for match in SETS_STATUS.finditer(text)
    ]
    assert found == []


def test_the_code_check_finds_a_status_set_by_hand():
    assert SETS_STATUS.search("    order.status = Order.Status.DONE\n")
    assert SETS_STATUS.search("    order.provider, order.status, order.offer = p, s, None\n")
    assert not SETS_STATUS.search("    if order.status == S.OFFERED:\n")


@pytest.mark.django_db(transaction=True)
def test_the_timelines_batches_and_assessments_kept_apart_are_moved_into_the_status_changes():
    import datetime as dt

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    from laoxiao.accounts.roles import Role
    from laoxiao.assessments import services as assessments
    from laoxiao.benefits import services as benefits
    from laoxiao.core.models import Area
    from laoxiao.core.transitions import status_changes
    from tests import factories

    factories.load_test_areas()
    benefits.programmes_sync()
    officer = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)
    person = factories.make_person(by=officer, age=85)
    batch = benefits.proactive_run(
        by=officer,
        programme=Programme.objects.get(code="advanced-age-allowance"),
        area=Area.objects.get(code=factories.XINGQING),
        period="2026-11",
    )
    line = batch.payments.get()
    assessment = assessments.assessment_request(by=officer, person=person, reason="first", requester_kind="family")
    before = [("benefits", "0005_one_open_application"), ("assessments", "0003_basic_info")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        at = timezone.now() - dt.timedelta(days=40)
        rows = [
            old.get_model("benefits", "BatchEvent").objects.create(
                batch_id=batch.pk, from_status="draft", to_status="approved", by_id=officer.pk, note="2 行暂缓"
            ),
            old.get_model("benefits", "BatchEvent").objects.create(
                batch_id=batch.pk, payment_id=line.pk, from_status="proposed", to_status="held", note="死亡待核实"
            ),
            old.get_model("assessments", "StatusChange").objects.create(
                assessment_id=assessment.pk, from_status="requested", to_status="cancelled", note="更换原因" * 100
            ),
        ]
        for row in rows:
            type(row).objects.filter(pk=row.pk).update(at=at)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    moved = [
        (c.from_status, c.to_status, c.by, c.note, c.at)
        for record in (batch, line, assessment)
        for c in status_changes(record)
        if c.at == at
    ]
    assert moved == [
        ("draft", "approved", officer, "2 行暂缓", at),
        ("proposed", "held", None, "死亡待核实", at),
        ("requested", "cancelled", None, "更换原因" * 100, at),  # 400 characters: the longer notes fit
    ]
