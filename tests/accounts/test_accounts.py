"""Account management by the platform's administrator: the services' rules and the pages that call them."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client

from laoxiao.accounts import selectors, services
from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.core.personal import unsealed
from tests import factories

WRONG = "wrong-password-123"


@pytest.fixture
def city_admin(areas):
    return factories.make_user(Role.ADMIN, factories.CITY)


@pytest.fixture
def xingqing_admin(areas):
    return factories.make_user(Role.ADMIN, factories.XINGQING)


def _sign_in(username: str, password: str, client: Client | None = None, ip: str = "10.0.0.9"):
    client = client or Client()
    return client, client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _api(key: str) -> int:
    return Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/people/").status_code


def _create(by: User, **values):
    return services.account_create(by=by, **({"username": "lixiaohong", "full_name": "李晓红"} | values))


# --- services ---------------------------------------------------------------------------------


def test_a_new_account_has_a_generated_password_to_change_and_a_sealed_phone(city_admin):
    account, password = _create(city_admin, role="civil_affairs", area_code=factories.XINGQING, phone="13895001234")
    assert re.fullmatch(r"\w{4}-\w{4}-\w{4}", password)
    assert account.check_password(password) and account.must_change_password
    assert (account.role, account.area_id, account.first_name) == ("civil_affairs", factories.XINGQING, "李晓红")
    assert account.phone_masked == "138********" and "13895001234" not in account.phone_cipher
    assert unsealed(account, "phone") == "13895001234"
    created = selectors.account_history(account=account)[-1]
    assert (created.action, created.user) == ("新建", city_admin)


def test_an_organisation_role_needs_an_organisation_of_its_kind(city_admin):
    home = factories.make_facility(by=city_admin)
    with pytest.raises(ValidationError) as refused:
        _create(city_admin, role="assessor", organisation_id=home.pk)
    assert "不能作为“评估员”的所属机构" in refused.value.message_dict["organisation_id"][0]
    with pytest.raises(ValidationError) as missing:
        _create(city_admin, role="institution_operator")
    assert "须属于一个机构" in missing.value.message_dict["organisation_id"][0]
    operator, _ = _create(city_admin, role="institution_operator", organisation_id=home.pk, area_code=factories.CITY)
    assert list(operator.organisations.all()) == [home] and operator.area is None  # an operator has no area
    assert not User.objects.filter(role="assessor", username="lixiaohong").exists()


def test_bad_input_names_the_field_and_creates_nothing(city_admin, xingqing_admin):
    before = User.objects.count()
    with pytest.raises(ValidationError) as refused:
        _create(city_admin, username="li xiao", full_name="", role="civil_affairs", phone="1389")
    errors = refused.value.message_dict
    assert set(errors) == {"username", "full_name", "phone", "area_code"}
    assert "字母、数字" in errors["username"][0] and "手机号码" in errors["phone"][0]
    assert "须有负责区域" in errors["area_code"][0]
    # A district's administrator gives no responsibility outside their district.
    with pytest.raises(ValidationError) as outside:
        _create(xingqing_admin, role="civil_affairs", area_code=factories.JINFENG)
    assert outside.value.message_dict["area_code"] == ["该区划代码不存在或不在您的负责范围内。"]
    with pytest.raises(ValidationError) as resident:
        _create(city_admin, role="resident")
    assert "本人档案" in resident.value.message_dict["role"][0]
    assert User.objects.count() == before


def test_a_login_already_taken_is_told_as_such_whatever_its_case(city_admin):
    _create(city_admin, role="civil_affairs", area_code=factories.XINGQING)
    with pytest.raises(ValidationError) as taken:
        _create(city_admin, username="LiXiaoHong", role="civil_affairs", area_code=factories.XINGQING)
    assert taken.value.message_dict["username"] == ["登录名“LiXiaoHong”已被占用，请换一个。"]
    assert User.objects.filter(username__iexact="lixiaohong").count() == 1


def test_a_disabled_account_cannot_sign_in_and_its_tokens_end(city_admin):
    account, password = _create(city_admin, role="civil_affairs", area_code=factories.XINGQING)
    _, key = services.api_token_create(user=account, name="county system")
    session, signed_in = _sign_in(account.username, password)
    assert signed_in.status_code == 302 and _api(key) == 200

    services.account_disable(by=city_admin, account=account)
    assert _api(key) == 401
    assert session.get("/").status_code == 302  # the open session ends at its next request
    _, refused = _sign_in(account.username, password)
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session

    services.account_enable(by=city_admin, account=account)
    assert _sign_in(account.username, password)[1].status_code == 302
    assert _api(key) == 401  # enabling again does not bring a token back
    changes = [c for e in selectors.account_history(account=account) for c in e.changes]
    assert ("有效", "是", "否") in changes and ("有效", "否", "是") in changes


def test_the_administrator_cannot_disable_themselves_or_remove_the_last_city_administrator(city_admin, xingqing_admin):
    with pytest.raises(ValidationError) as self_disable:
        services.account_disable(by=city_admin, account=city_admin)
    assert self_disable.value.messages == ["不能停用自己的账号。"]
    with pytest.raises(ValidationError) as self_reset:
        services.account_password_reset(by=city_admin, account=city_admin)
    assert self_reset.value.messages == ["自己的密码请在“修改密码”页面修改。"]
    # Narrowing their own area to a district would leave the city without an administrator: a district's
    # administrator does not count (and cannot reach the city's account at all).
    with pytest.raises(ValidationError) as last:
        services.account_update(
            by=city_admin, account=city_admin, full_name="市管理员", role="admin", area_code=factories.XINGQING
        )
    assert last.value.messages == [f"{city_admin.first_name}是银川市最后一名市级管理员：请先为本市另设一名管理员。"]
    with pytest.raises(Http404):
        selectors.account_get(user=xingqing_admin, pk=city_admin.pk)
    city_admin.refresh_from_db()
    assert city_admin.is_active and city_admin.area_id == factories.CITY

    second = factories.make_user(Role.ADMIN, factories.CITY)
    services.account_disable(by=second, account=city_admin)
    city_admin.refresh_from_db()
    assert not city_admin.is_active


def test_a_district_administrator_manages_only_their_district(
    city_admin, xingqing_admin, jinfeng_civil, xingqing_civil
):
    home = factories.make_facility(by=city_admin)  # in 兴庆区
    operator = factories.make_user(Role.INSTITUTION_OPERATOR, None)
    operator.organisations.set([home])
    listed = set(selectors.account_list(user=xingqing_admin, filters=selectors.AccountFilter()))
    assert {xingqing_admin, xingqing_civil, operator} <= listed
    assert city_admin not in listed and jinfeng_civil not in listed
    with pytest.raises(Http404):
        selectors.account_get(user=xingqing_admin, pk=jinfeng_civil.pk)
    assert selectors.account_list(user=xingqing_civil, filters=selectors.AccountFilter()).count() == 0


def test_edits_resets_and_unlocks_are_audited(city_admin, xingqing_civil, settings):
    services.account_update(
        by=city_admin,
        account=xingqing_civil,
        full_name="王建国",
        role="community_worker",
        area_code=factories.XINGQING_TOWNSHIP,
    )
    unchanged = {"full_name": "王建国", "role": "community_worker", "area_code": factories.XINGQING_TOWNSHIP}
    services.account_update(by=city_admin, account=xingqing_civil, **unchanged)  # saving as it is writes no entry
    password = services.account_password_reset(by=city_admin, account=xingqing_civil)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(xingqing_civil.username, WRONG)
    assert selectors.account_locked(account=xingqing_civil)
    assert _sign_in(xingqing_civil.username, password)[1].status_code == 429
    services.account_unlock(by=city_admin, account=xingqing_civil)
    assert not selectors.account_locked(account=xingqing_civil)
    assert _sign_in(xingqing_civil.username, password)[1].status_code == 302

    entries = selectors.account_history(account=xingqing_civil)
    assert [e.reason for e in entries[:2]] == ["解除登录锁定", "管理员重置密码"]
    edit = entries[2]
    assert edit.user == city_admin
    shown = {(label, str(before), str(after)) for label, before, after in edit.changes}
    assert {("角色", "民政工作人员", "街道/社区工作人员"), ("负责区域", "兴庆区", "凤凰北街街道")} <= shown


def test_an_account_made_before_its_history_shows_its_first_change_field_by_field(city_admin):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("laoxiao.accounts.migrations.0004_user_history_phone")
    (old,) = User.objects.bulk_create(  # as the command made it before accounts had a history: no row
        [User(username="old-account", first_name="老账号", role="civil_affairs", area_id=factories.XINGQING)]
    )
    migration.history_baseline(apps, None)
    services.account_update(
        by=city_admin, account=old, full_name="老账号", role="civil_affairs", area_code=factories.JINFENG
    )
    change, baseline = selectors.account_history(account=old)
    assert [(label, str(a), str(b)) for label, a, b in change.changes] == [("负责区域", "兴庆区", "金凤区")]
    assert (baseline.reason, baseline.who) == ("变更记录自此开始", "系统")


# --- pages ------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    return client


def test_the_list_pages_searches_and_filters_within_scope(admin_client, city_admin, settings):
    settings.LAOXIAO_PAGE_SIZE = 5
    for _ in range(6):
        factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    jinfeng = factories.make_user(Role.CIVIL_AFFAIRS, factories.JINFENG)
    User.objects.filter(pk=jinfeng.pk).update(first_name="金凤民政")
    page = admin_client.get("/account/users/").content.decode()
    assert page.count("data-account=") == 5 and "共 8 条记录" in page
    assert "账号管理" in admin_client.get("/").content.decode()  # the menu and the start page lead here

    found = admin_client.get("/account/users/", {"q": "金凤民"}).content.decode()
    assert found.count("data-account=") == 1 and jinfeng.username in found
    by_login = admin_client.get("/account/users/", {"q": jinfeng.username.upper()}).content.decode()
    assert by_login.count("data-account=") == 1
    workers = admin_client.get("/account/users/", {"role": "community_worker", "area": factories.XINGQING})
    assert "共 6 条记录" in workers.content.decode()
    home = factories.make_facility(by=city_admin, name="凤凰北街颐养院")
    other = factories.make_facility(by=city_admin, name="崇安社区颐养院")
    operator = factories.make_user(Role.INSTITUTION_OPERATOR, None)
    operator.organisations.set([home])
    staffed = admin_client.get("/account/users/", {"organisation": home.pk}).content.decode()
    assert staffed.count("data-account=") == 1 and operator.username in staffed and home.name in staffed
    assert other.name not in staffed  # the filter offers the organisations that have accounts
    services.account_disable(by=city_admin, account=jinfeng)
    disabled = admin_client.get("/account/users/", {"active": "0"}).content.decode()
    assert disabled.count("data-account=") == 1 and "停用" in disabled

    bad = admin_client.get("/account/users/", {"area": "999999999999"})
    assert bad.status_code == 400 and "data-account=" not in bad.content.decode()
    assert "所属区划" in bad.content.decode() and "不在您的辖区内" in bad.content.decode()


def test_a_civil_affairs_officer_has_no_accounts_pages(client, xingqing_civil):
    client.force_login(xingqing_civil)
    assert client.get("/account/users/").status_code == 403
    assert client.get("/account/users/new/").status_code == 403
    assert "账号管理" not in client.get("/").content.decode()


def test_an_account_made_on_the_page_signs_in_once_with_its_password_and_then_sets_its_own(admin_client):
    form = {"username": "zhang-wei", "full_name": "张伟", "role": "call_centre", "area_code": "", "phone": ""}
    forgotten = admin_client.post("/account/users/new/", form)  # the probe got a city-wide account so
    assert forgotten.status_code == 400 and "须有负责区域" in forgotten.content.decode()
    assert not User.objects.filter(username="zhang-wei").exists()
    form |= {"whole_area": "on"}
    shown = admin_client.post("/account/users/new/", form)
    html = shown.content.decode()
    assert shown.status_code == 200 and "账号已创建" in html and "只显示这一次" in html
    password = re.search(r'data-test="password">([^<]+)<', html).group(1)
    account = User.objects.get(username="zhang-wei")
    assert account.area_id == factories.CITY  # ticked: all of the administrator's area
    assert re.search(
        r'name="whole_area"[^>]* checked', admin_client.get(f"/account/users/{account.pk}/").content.decode()
    )

    again = admin_client.post("/account/users/new/", form)
    assert again.status_code == 400 and "登录名“zhang-wei”已被占用" in again.content.decode()

    user_client, signed_in = _sign_in("zhang-wei", password)
    assert signed_in.status_code == 302
    sent = user_client.get("/people/")
    assert sent.status_code == 302 and sent["Location"] == "/account/password/"
    assert "您的密码由管理员设置" in user_client.get("/account/password/").content.decode()
    new = "my-own-long-passphrase-5"
    changed = user_client.post(
        "/account/password/", {"old_password": password, "new_password1": new, "new_password2": new}
    )
    assert changed.status_code == 302
    assert user_client.get("/").status_code == 200
    account.refresh_from_db()
    assert not account.must_change_password
    assert selectors.account_history(account=account)[0].reason == "本人修改密码"


def test_the_account_page_edits_disables_and_resets(admin_client, city_admin, xingqing_civil):
    url = f"/account/users/{xingqing_civil.pk}/"
    assert "重置密码" in admin_client.get(url).content.decode()
    bad = admin_client.post(url, {"full_name": "王建国", "role": "civil_affairs", "area_code": "640000000000"})
    assert bad.status_code == 400 and "不在您的辖区内" in bad.content.decode()
    xingqing_civil.refresh_from_db()
    assert xingqing_civil.first_name != "王建国"

    saved = admin_client.post(url, {"full_name": "王建国", "role": "civil_affairs", "area_code": factories.JINFENG})
    assert saved.status_code == 302
    xingqing_civil.refresh_from_db()
    assert (xingqing_civil.first_name, xingqing_civil.area_id) == ("王建国", factories.JINFENG)

    reset = admin_client.post(f"{url}password-reset/").content.decode()
    password = re.search(r'data-test="password">([^<]+)<', reset).group(1)
    assert "密码已重置" in reset
    disabled = admin_client.post(f"{url}disable/", follow=True).content.decode()
    assert "账号已停用" in disabled
    assert _sign_in(xingqing_civil.username, password)[1].status_code == 200  # refused: the form again

    own = admin_client.post(f"/account/users/{city_admin.pk}/disable/", follow=True).content.decode()
    assert "不能停用自己的账号。" in own
    history = admin_client.get(f"{url}history/").content.decode()
    assert "管理员重置密码" in history and "金凤区" in history and "True" not in history
