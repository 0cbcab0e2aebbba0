import datetime as dt
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.timezone import localtime

from laoxiao.accounts.roles import Role
from laoxiao.assessments import services
from laoxiao.assessments.models import Assessment
from laoxiao.assessments.selectors import ability_current, assessors_available, disabled_count
from laoxiao.core.transitions import status_changes
from tests import factories
from tests.factories import GBT, answers_for_total, complete, confirm_all


def test_full_workflow_puts_the_level_on_the_persons_record(case, xingqing_civil):
    person = case[0]
    assert ability_current(person=person) is None
    signed = complete(case, xingqing_civil, total=50)
    assert (signed.status, signed.total, signed.level) == ("signed", 50, 2)
    approved = services.assessment_review(by=xingqing_civil, assessment=signed, approve=True)
    ability = ability_current(person=person)
    assert (ability.level, ability.level_name, ability.source) == (2, "中度失能", "assessment")
    assert approved.valid_until == approved.assessed_on.replace(year=approved.assessed_on.year + 1)
    assert [(c.to_status, c.note) for c in status_changes(approved)] == [
        ("requested", ""),
        ("assigned", ""),
        ("in_progress", ""),
        ("in_progress", "已签字：第一评估员"),  # the first signature is on the timeline, not only a tick
        ("signed", "已签字：第二评估员"),
        ("approved", ""),
    ]
    assert disabled_count(user=xingqing_civil, area_prefix="640104") == 1


def test_adjustments_are_scored(case, xingqing_civil):
    signed = complete(case, xingqing_civil, total=70, dementia_or_psychiatric=True, risk_events={"跌倒": 2, "走失": 0})
    assert (signed.preliminary_level, signed.level) == (1, 2)
    assert len(signed.level_reasons) == 2


def test_incomplete_form_cannot_be_signed_and_names_the_item(case, xingqing_civil):
    person, assessment, first, second = case
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    answers = answers_for_total(GBT, 60)
    del answers["B.4.5"]
    services.assessment_save_answers(by=first.user, assessment=assessment, answers=answers)
    with pytest.raises(ValidationError) as caught:
        services.assessment_sign(by=first.user, assessment=assessment)
    assert "B.4.5" in caught.value.message_dict and "社会交往能力" in caught.value.message_dict["B.4.5"][0]


def test_out_of_range_answer_is_refused_with_the_item(case, xingqing_civil):
    person, assessment, first, second = case
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    with pytest.raises(ValidationError) as caught:
        services.assessment_save_answers(by=first.user, assessment=assessment, answers={"B.2.4": "4"})
    assert "B.2.4" in caught.value.message_dict and "超出范围" in caught.value.message_dict["B.2.4"][0]
    assessment.refresh_from_db()
    assert assessment.answers == {}


def test_only_the_assigned_assessors_may_fill_and_sign(case, xingqing_civil):
    person, assessment, first, second = case
    _agency, (stranger, _) = factories.make_agency_with_assessors(by=xingqing_civil)
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    with pytest.raises(PermissionDenied):
        services.assessment_save_answers(by=stranger.user, assessment=assessment, answers={"B.1.1": "4"})
    with pytest.raises(PermissionDenied):
        services.assessment_save_answers(by=second.user, assessment=assessment, answers={"B.1.1": "4"})


def test_a_relative_may_not_assess(case, xingqing_civil):
    person, assessment, first, second = case
    from laoxiao.people.models import Household, Person

    household = Household.objects.create(area_id=person.area_id, address="同一户")
    relative = factories.make_person(by=xingqing_civil, age=50)
    Person.objects.filter(pk__in=[person.pk, relative.pk]).update(household=household)
    first.person = relative
    first.save()
    with pytest.raises(ValidationError) as caught:
        services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    assert "亲属" in caught.value.message_dict["assessor_1"][0]


def test_two_distinct_assessors_needed(case, xingqing_civil):
    _person, assessment, first, _second = case
    with pytest.raises(ValidationError):
        services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=first)


def test_one_open_assessment_per_person(case, xingqing_civil):
    person = case[0]
    with pytest.raises(ValidationError):
        services.assessment_request(by=xingqing_civil, person=person, reason="first", requester_kind="family")


def test_the_request_page_says_at_once_that_an_assessment_is_under_way(case, client, xingqing_civil):
    person, under_way = case[0], case[1]
    client.force_login(xingqing_civil)
    page = client.get(f"/assessments/request/{person.pk}/").content.decode()
    assert "该老人已有一项正在进行的能力评估（已申请）" in page and 'name="reason"' not in page
    assert f"/assessments/{under_way.pk}/" in page
    other = factories.make_person(by=xingqing_civil, age=75)
    assert 'name="reason"' in client.get(f"/assessments/request/{other.pk}/").content.decode()


def test_under_60_cannot_be_assessed(xingqing_civil):
    young = factories.make_person(by=xingqing_civil, age=45)
    with pytest.raises(ValidationError):
        services.assessment_request(by=xingqing_civil, person=young, reason="first", requester_kind="self")


def test_objection_opens_a_review_and_return_needs_a_reason(case, xingqing_civil):
    signed = complete(case, xingqing_civil)
    with pytest.raises(ValidationError):
        services.assessment_review(by=xingqing_civil, assessment=signed, approve=False, note="")
    approved = services.assessment_review(by=xingqing_civil, assessment=signed, approve=True)
    review = services.assessment_object(by=xingqing_civil, assessment=approved, reason="家属认为评分偏高")
    assert (review.reason, review.objection_of_id, review.status) == ("review", approved.pk, "requested")


def test_condition_change_and_expiry_open_reassessments(case, xingqing_civil):
    person = case[0]
    approved = services.assessment_review(by=xingqing_civil, assessment=complete(case, xingqing_civil), approve=True)
    opened = services.condition_change_record(by=xingqing_civil, person=person, change="fall", detail="夜间跌倒")
    assert opened.reason == "immediate" and "跌倒" in opened.trigger
    services.assessment_cancel(by=xingqing_civil, assessment=opened, note="已合并")
    assert services.reassessments_open_due(within_days=30, today=approved.valid_until - dt.timedelta(days=60)) == 0
    assert services.reassessments_open_due(within_days=30, today=approved.valid_until - dt.timedelta(days=10)) == 1
    assert Assessment.objects.filter(person=person, reason="routine", requester_kind="system").count() == 1


def test_a_new_instrument_version_leaves_old_results_alone(case, xingqing_civil):
    from laoxiao.assessments.models import Instrument

    approved = services.assessment_review(
        by=xingqing_civil, assessment=complete(case, xingqing_civil, total=70), approve=True
    )
    old = approved.instrument
    changed = dict(old.definition, version=old.version + 1)
    changed["levels"] = [
        dict(level, min=level["min"] + 5) if level["level"] == 1 else level for level in old.definition["levels"]
    ]
    Instrument.objects.filter(pk=old.pk).update(is_current=False)
    Instrument.objects.create(
        code=old.code, version=old.version + 1, name=old.name, definition=changed, is_current=True
    )
    approved.refresh_from_db()
    assert (approved.instrument_id, approved.level) == (old.pk, 1)


def test_a_legacy_combination_the_rules_leave_open_needs_a_reviewers_level(xingqing_civil):
    from laoxiao.assessments.instruments import MZT_039
    from laoxiao.assessments.policy import current_instrument
    from laoxiao.assessments.scoring import items

    person = factories.make_person(by=xingqing_civil, age=77)
    _agency, (first, second) = factories.make_agency_with_assessors(by=xingqing_civil)
    legacy = current_instrument(MZT_039)
    assessment = services.assessment_request(
        by=xingqing_civil, person=person, reason="first", requester_kind="self", instrument=legacy
    )
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    answers = {i["code"]: min(i["options"], key=lambda o: o["points"])["code"] for i in items(legacy.definition)}
    answers.update(
        {
            i["code"]: max(i["options"], key=lambda o: o["points"])["code"]
            for i in items(legacy.definition)
            if i["code"].startswith("B.1.")
        }
    )
    answers.update({f"B.4.{n}": "4" for n in range(1, 6)})  # ADL intact, social participation grade 3: a gap
    services.assessment_save_answers(by=first.user, assessment=assessment, answers=answers)
    services.assessment_sign(by=first.user, assessment=assessment)
    confirm_all(second, assessment)
    signed = services.assessment_sign(by=second.user, assessment=assessment)
    assert signed.level is None
    with pytest.raises(ValidationError):
        services.assessment_review(by=xingqing_civil, assessment=signed, approve=True, level=7, note="判定卡")
    approved = services.assessment_review(
        by=xingqing_civil, assessment=signed, approve=True, level=1, note="按附录D判定卡"
    )
    assert approved.level == 1 and ability_current(person=person).level_name == "轻度失能"


def test_appendix_a_basic_information_is_checked_and_kept(case, xingqing_civil):
    person, assessment, first, second = case
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    with pytest.raises(ValidationError) as caught:
        services.assessment_save_answers(
            by=first.user, assessment=assessment, answers={}, basic_info={"A.2.marital": ["已婚", "丧偶"]}
        )
    assert "A.2.marital" in caught.value.message_dict
    services.assessment_save_answers(
        by=first.user,
        assessment=assessment,
        answers={},
        basic_info={"A.2.marital": "丧偶", "A.2.living": ["独居"], "A.4.diagnoses": ["高血压病", "糖尿病"]},
    )
    services.assessment_save_answers(
        by=first.user, assessment=assessment, answers={}, basic_info={"A.2.education": "小学"}
    )
    stored = Assessment.objects.get(pk=assessment.pk).basic_info
    assert stored == {
        "A.2.marital": "丧偶",
        "A.2.living": ["独居"],
        "A.4.diagnoses": ["高血压病", "糖尿病"],
        "A.2.education": "小学",
    }


def test_a_signed_assessment_offers_only_its_review(case, xingqing_civil, client):
    _person, _request, first, _second = case
    signed = complete(case, xingqing_civil)
    client.force_login(xingqing_civil)
    page = client.get(f"/assessments/{signed.pk}/").content.decode()
    assert "/review/" in page and "/assign/" not in page  # "signed" once matched "assigned" as a substring
    assert signed.level_name == "中度失能" and "中度失能" in client.get("/assessments/?status=signed").content.decode()
    client.force_login(first.user)
    page = client.get(f"/assessments/{signed.pk}/").content.decode()
    assert "/schedule/" not in page and "/form/" not in page
    response = client.get(f"/assessments/{signed.pk}/form/", follow=True)
    assert (
        response.redirect_chain[-1][0] == f"/assessments/{signed.pk}/"
        and "该评估已不能修改" in response.content.decode()
    )


def test_the_second_assessor_signs_only_after_giving_an_opinion_on_every_item(case, xingqing_civil, client):
    person, assessment, first, second = case
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    services.assessment_save_answers(by=first.user, assessment=assessment, answers=answers_for_total(GBT, 50))
    services.assessment_sign(by=first.user, assessment=assessment)
    client.force_login(second.user)
    page = client.post(f"/assessments/{assessment.pk}/sign/", follow=True).content.decode()
    assert "还有 26 项未确认" in page and "B.1.1" in page  # it once signed with 0 / 26 confirmed
    assert Assessment.objects.get(pk=assessment.pk).signed_2_at is None
    confirm_all(second, assessment)
    opinions = Assessment.objects.get(pk=assessment.pk).second_opinions
    del opinions["B.4.5"]
    Assessment.objects.filter(pk=assessment.pk).update(second_opinions=opinions)
    with pytest.raises(ValidationError) as caught:
        services.assessment_sign(by=second.user, assessment=assessment)
    assert caught.value.message_dict["second_opinions"] == ["还有 1 项未确认，请逐项确认同意或记录不同意见：B.4.5"]
    other = next(o["code"] for o in GBT["dimensions"][3]["items"][4]["options"] if o["code"] != "4")
    services.assessment_second_opinion(by=second.user, assessment=assessment, item="B.4.5", agree=False, value=other)
    assert services.assessment_sign(by=second.user, assessment=assessment).status == "signed"


def test_an_assessment_is_assigned_once_even_from_a_stale_page(case, xingqing_civil, client):
    _person, assessment, first, second = case
    _agency, (third, fourth) = factories.make_agency_with_assessors(by=xingqing_civil)
    colleague = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)
    client.force_login(colleague)
    assert f"/assessments/{assessment.pk}/assign/" in client.get(f"/assessments/{assessment.pk}/").content.decode()
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    page = client.post(
        f"/assessments/{assessment.pk}/assign/", {"assessor_1": third.pk, "assessor_2": fourth.pk}, follow=True
    ).content.decode()
    by = xingqing_civil.first_name or xingqing_civil.username
    assert f"该评估已由{by}派单给{first}、{second}" in page and "/assign/" not in page
    row = Assessment.objects.get(pk=assessment.pk)
    assert (row.assessor_1_id, row.assessor_2_id) == (first.pk, second.pk)
    assert status_changes(row).filter(to_status="assigned").count() == 1


def test_a_district_officer_assigns_the_assessors_of_the_city_agency(case, xingqing_civil, jinfeng_civil, client):
    _person, assessment, _first, _second = case
    city_officer = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    _agency, (city_1, city_2) = factories.make_agency_with_assessors(by=city_officer, area=factories.CITY)
    _agency, (neighbour, _) = factories.make_agency_with_assessors(by=jinfeng_civil, area=factories.JINFENG_VILLAGE)
    client.force_login(xingqing_civil)
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    first_choices = re.search(r'<select name="assessor_1".*?</select>', page, re.S).group()
    offered = {int(pk) for pk in re.findall(r'<option value="(\d+)"', first_choices)}
    assert {city_1.pk, city_2.pk} <= offered  # the drop-downs were empty for a district officer
    assert neighbour.pk not in offered  # 金凤区's agency does not serve 兴庆区
    client.post(f"/assessments/{assessment.pk}/assign/", {"assessor_1": city_1.pk, "assessor_2": city_2.pk})
    row = Assessment.objects.get(pk=assessment.pk)
    assert (row.status, row.assessor_1_id, row.assessor_2_id) == ("assigned", city_1.pk, city_2.pk)


def test_levels_are_shown_by_name_and_the_report_carries_its_number_assessors_and_dates(case, xingqing_civil, client):
    person, _request, first, second = case
    signed = complete(case, xingqing_civil, total=50)
    client.force_login(xingqing_civil)
    page = client.get(f"/assessments/{signed.pk}/").content.decode()
    choices = re.search(r'<select name="level".*?</select>', page, re.S).group()
    assert re.findall(r"<option [^>]*>([^<]+)</option>", choices) == [
        "—",
        "能力完好",
        "轻度失能",
        "中度失能",
        "重度失能",
        "完全失能",
    ]
    client.post(f"/assessments/{signed.pk}/review/", {"approve": "1", "level": "", "note": ""})
    approved = Assessment.objects.get(pk=signed.pk)
    report = client.get(f"/assessments/{signed.pk}/report/").content.decode()
    assert f"640104-{approved.assessed_on:%Y}-{approved.pk:06d}" in report.split('data-test="report-number"')[1][:40]
    signatures = report.split('data-test="report-signatures"')[1].split("</table>")[0]
    for label, assessor, at in (
        ("评估员（一）", first, approved.signed_1_at),
        ("评估员（二）", second, approved.signed_2_at),
    ):
        assert f'<th>{label}</th><td>{assessor}</td><td class="date">{localtime(at):%Y-%m-%d}</td>' in signatures
    statistics = client.get("/assessments/statistics/").content.decode()
    assert json.loads(statistics.split('id="level-data" type="application/json">')[1].split("</script>")[0]) == [
        ["中度失能", 1]
    ]


def test_the_assigning_office_changes_the_assessors_before_signing(case, xingqing_civil, client):
    from tests.pages import start_page_items

    person, assessment, first, second = case
    _agency, (third, fourth) = factories.make_agency_with_assessors(by=xingqing_civil)
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    services.assessment_save_answers(by=first.user, assessment=assessment, answers=answers_for_total(GBT, 50))
    jinfeng = factories.make_user(Role.CIVIL_AFFAIRS, factories.JINFENG)
    with pytest.raises(ValidationError) as other_office:
        services.assessment_reassign(
            by=jinfeng, assessment=assessment, assessor_1=third, assessor_2=fourth, reason="请假"
        )
    assert other_office.value.message_dict["status"] == ["只有派单的部门可以更换评估员。"]
    colleague = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)  # the same office
    client.force_login(colleague)
    assert 'data-test="reassign"' in client.get(f"/assessments/{assessment.pk}/").content.decode()
    refused = client.post(
        f"/assessments/{assessment.pk}/reassign/", {"assessor_1": third.pk, "assessor_2": fourth.pk}, follow=True
    )
    assert "更换原因" in refused.content.decode() and Assessment.objects.get(pk=assessment.pk).assessor_1 == first
    client.post(
        f"/assessments/{assessment.pk}/reassign/",
        {"assessor_1": third.pk, "assessor_2": fourth.pk, "reason": "原评估员病假"},
    )
    row = Assessment.objects.get(pk=assessment.pk)
    assert (row.status, row.assessor_1_id, row.assessor_2_id) == ("assigned", third.pk, fourth.pk)
    change = status_changes(row).last()
    assert (change.from_status, change.to_status, change.by) == ("in_progress", "assigned", colleague)
    assert change.note == f"评估员由{first}、{second}更换为{third}、{fourth}：原评估员病假"
    timeline = client.get(f"/assessments/{row.pk}/").content.decode()
    assert "原评估员病假" in timeline
    client.force_login(first.user)
    assert start_page_items(client.get("/").content.decode()).get("分配给您的评估", (0, ""))[0] == 0
    assert client.get(f"/assessments/{row.pk}/form/").status_code in (403, 404)
    client.force_login(third.user)
    count, url = start_page_items(client.get("/").content.decode())["分配给您的评估"]
    assert count == 1 and person.name in client.get(url).content.decode()

    services.assessment_save_answers(by=third.user, assessment=row, answers={"B.1.1": row.answers["B.1.1"]})
    services.assessment_sign(by=third.user, assessment=row)
    with pytest.raises(ValidationError) as signed:
        services.assessment_reassign(by=colleague, assessment=row, assessor_1=first, assessor_2=second, reason="再换回")
    assert signed.value.message_dict["status"] == ["评估表签字后不能再更换评估员。"]


def test_an_answer_changed_after_the_second_assessor_confirmed_it_is_confirmed_again(case, xingqing_civil, client):
    _person, assessment, first, second = case
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    answers = answers_for_total(GBT, 50)
    services.assessment_save_answers(by=first.user, assessment=assessment, answers=answers)
    confirm_all(second, assessment)
    item = "B.1.1"
    other = next(o["code"] for o in GBT["dimensions"][0]["items"][0]["options"] if o["code"] != answers[item])
    services.assessment_save_answers(
        by=first.user, assessment=assessment, answers={item: other, "B.1.2": answers["B.1.2"]}
    )
    services.assessment_sign(by=first.user, assessment=assessment)
    client.force_login(second.user)
    page = client.post(f"/assessments/{assessment.pk}/sign/", follow=True).content.decode()
    assert "第一评估员在您确认后修改了 1 项答案，请重新确认：B.1.1" in page
    state = json.loads(page.split('id="initial-state" type="application/json">')[1].split("</script>")[0])
    assert state["opinions"][item]["reconfirm"] is True and "reconfirm" not in state["opinions"]["B.1.2"]
    assert Assessment.objects.get(pk=assessment.pk).signed_2_at is None
    services.assessment_second_opinion(by=second.user, assessment=assessment, item=item, agree=True)
    assert services.assessment_sign(by=second.user, assessment=assessment).status == "signed"


def test_a_city_centre_located_in_another_district_assesses_where_it_is_commissioned(
    client, xingqing_civil, jinfeng_civil, city_civil
):
    """A district officer assigns the city's centre, located in another district, once the city has
    commissioned it for the whole city (on its page, left at "all"); before, it serves only where it is."""
    person = factories.make_person(by=xingqing_civil, age=80)
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    request = services.assessment_request(by=worker, person=person, reason="first", requester_kind="community")
    agency, (first, second) = factories.make_agency_with_assessors(by=city_civil, area=factories.JINFENG_VILLAGE)
    assert list(assessors_available(user=xingqing_civil)) == []
    assert set(assessors_available(user=jinfeng_civil)) == {first, second}
    with pytest.raises(ValidationError) as refused:
        services.assessment_assign(by=xingqing_civil, assessment=request, assessor_1=first, assessor_2=second)
    assert refused.value.message_dict["assessor_1"] == [f"{agency.name}未受委托评估崇安社区居委会的老年人。"]

    client.force_login(jinfeng_civil)  # a district cannot commission it for the city
    page = client.post(f"/assessments/organisations/{agency.pk}/areas/", {"area": factories.CITY})
    assert (
        page.status_code == 400 and "银川市" not in page.content.decode().split("areas-served")[1].split("</table>")[0]
    )
    client.force_login(city_civil)
    page = client.post(f"/assessments/organisations/{agency.pk}/areas/", {"area": ""}, follow=True)
    assert "银川市" in page.content.decode().split('data-test="areas-served"')[1].split("</table>")[0]

    assert set(assessors_available(user=xingqing_civil)) == {first, second}
    client.force_login(xingqing_civil)  # listed with where it serves; its own page is the city's
    listed = client.get("/assessments/organisations/").content.decode().split('data-test="agencies"')[1]
    assert f"<td>{agency.name}</td>" in listed and "<td>银川市</td><td>2</td>" in listed
    assigned = services.assessment_assign(by=xingqing_civil, assessment=request, assessor_1=first, assessor_2=second)
    assert (assigned.status, assigned.organisation_id) == ("assigned", agency.pk)
    client.force_login(city_civil)
    page = client.post(
        f"/assessments/organisations/{agency.pk}/areas/", {"area": factories.CITY, "remove": "1"}, follow=True
    )
    assert "未设：服务其所在区县。" in page.content.decode()
    assert list(assessors_available(user=xingqing_civil)) == []


def test_a_home_visit_is_booked_for_a_time_still_to_come(case, xingqing_civil):
    person, assessment, first, second = case
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    past = timezone.now() - dt.timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        services.assessment_schedule(by=first.user, assessment=assessment, at=past, place="家中")
    assert refused.value.message_dict == {"at": ["预约时间已过：请选择尚未到来的时间。"]}
    assert Assessment.objects.get(pk=assessment.pk).status == "assigned"
    soon = timezone.now() + dt.timedelta(days=1)
    booked = services.assessment_schedule(by=first.user, assessment=assessment, at=soon, place="家中")
    assert (booked.status, booked.appointment_at) == ("scheduled", soon)


def signed_by_the_first(case, civil):
    """Assigned, answered for a total of 50 and signed by the first assessor: (assessment, first, second,
    answers)."""
    _person, assessment, first, second = case
    services.assessment_assign(by=civil, assessment=assessment, assessor_1=first, assessor_2=second)
    answers = answers_for_total(GBT, 50)
    services.assessment_save_answers(by=first.user, assessment=assessment, answers=answers)
    services.assessment_sign(by=first.user, assessment=assessment)
    return assessment, first, second, answers


def test_a_signature_withdrawn_by_a_later_change_is_said_on_the_form_and_the_timeline(case, xingqing_civil, client):
    assessment, first, second, answers = signed_by_the_first(case, xingqing_civil)
    client.force_login(first.user)
    assert "您已在此表单上签字" in client.get(f"/assessments/{assessment.pk}/form/").content.decode()
    # the tablet resending the same answers is no change: the signature stands
    services.assessment_save_answers(by=first.user, assessment=assessment, answers={"B.1.1": answers["B.1.1"]})
    assert Assessment.objects.get(pk=assessment.pk).signed_1_at is not None
    other = next(o["code"] for o in GBT["dimensions"][0]["items"][0]["options"] if o["code"] != answers["B.1.1"])
    services.assessment_save_answers(by=first.user, assessment=assessment, answers={"B.1.1": other})
    assert Assessment.objects.get(pk=assessment.pk).signed_1_at is None
    notes = [c.note for c in status_changes(assessment)]
    assert notes[-2:] == ["已签字：第一评估员", "签字后表单有修改，已撤销签字：第一评估员"]
    client.force_login(xingqing_civil)
    assert "签字后表单有修改，已撤销签字：第一评估员" in client.get(f"/assessments/{assessment.pk}/").content.decode()


def test_the_reviewing_officer_sees_where_the_second_assessor_disagreed(case, xingqing_civil, client):
    assessment, first, second, answers = signed_by_the_first(case, xingqing_civil)
    confirm_all(second, assessment)
    item = GBT["dimensions"][0]["items"][0]
    mine = next(o for o in item["options"] if o["code"] != answers["B.1.1"])
    services.assessment_second_opinion(
        by=second.user, assessment=assessment, item="B.1.1", agree=False, value=mine["code"], note="进食需喂"
    )
    services.assessment_sign(by=second.user, assessment=assessment)
    client.force_login(xingqing_civil)
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    section = page.split('data-test="disagreements"')[1].split("</section>")[0]
    assert "第二评估员对 1 项有不同意见" in section and "B.1.1 进食" in section and "进食需喂" in section
    assert f"{mine['points']}分 · {mine['text']}" in section


def test_a_level_the_rules_decided_is_not_replaced_at_review_without_a_word(case, xingqing_civil):
    signed = complete(case, xingqing_civil, total=50)
    with pytest.raises(ValidationError) as refused:
        services.assessment_review(by=xingqing_civil, assessment=signed, approve=True, level=0)
    assert refused.value.message_dict["level"] == ["该评估的等级由规则确定；如需更改，请退回更正。"]
    assert Assessment.objects.get(pk=signed.pk).status == "signed"
    approved = services.assessment_review(by=xingqing_civil, assessment=signed, approve=True, level=signed.level)
    assert (approved.status, approved.level) == ("approved", 2)


def test_a_refused_assignment_keeps_the_assessors_chosen_and_a_done_one_says_so(case, xingqing_civil, client):
    _person, assessment, first, second = case
    client.force_login(xingqing_civil)
    url = f"/assessments/{assessment.pk}/assign/"
    refused = client.post(url, {"assessor_1": first.pk, "assessor_2": first.pk})
    page = refused.content.decode()
    assert refused.status_code == 422 and "需要两名不同的评估员。" in page
    assert page.count(f'<option value="{first.pk}" selected>') == 2  # what was chosen stays chosen
    done = client.post(url, {"assessor_1": first.pk, "assessor_2": second.pk}, follow=True).content.decode()
    assert "已保存。" in done and Assessment.objects.get(pk=assessment.pk).status == "assigned"
