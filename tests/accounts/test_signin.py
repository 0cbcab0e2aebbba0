"""Sign-in resists attack: lockout, tokens that can be revoked and expire, short sessions, safe headers."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

PASSWORD = "not-a-real-password-1"


def _sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.7"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_ten_wrong_passwords_lock_the_user_out_until_an_administrator_resets(client, xingqing_civil):
    for _ in range(10):
        assert _sign_in(client, xingqing_civil.username, "wrong-password-123").status_code in (200, 429)
    refused = _sign_in(client, xingqing_civil.username, PASSWORD)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "密码错误次数过多" in page and "之后再试" in page
    assert "_auth_user_id" not in client.session

    # Another address may still sign in with the same user name: the lock is per user name and address.
    assert _sign_in(Client(), xingqing_civil.username, PASSWORD, ip="10.0.0.8").status_code == 302

    call_command("axes_reset_username", xingqing_civil.username, stdout=io.StringIO())
    accepted = _sign_in(client, xingqing_civil.username, PASSWORD)
    assert accepted.status_code == 302 and client.session["_auth_user_id"] == str(xingqing_civil.pk)


def test_a_session_ends_after_thirty_minutes_without_a_request_and_each_request_extends_it(client, xingqing_civil):
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert _sign_in(client, xingqing_civil.username, PASSWORD).status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    key = client.session.session_key
    expires = Session.objects.get(pk=key).expire_date
    assert dt.timedelta(minutes=29) < expires - timezone.now() <= dt.timedelta(minutes=30)

    # Sliding: a request after a quiet spell pushes the end forward again.
    session = client.session
    session["active_at"] = 0
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    assert client.get("/").status_code == 200
    assert Session.objects.get(pk=key).expire_date - timezone.now() > dt.timedelta(minutes=29)

    # Thirty minutes of nothing: the next request is sent to the sign-in page.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_signed_in_pages_exports_and_api_answers_are_not_stored(client, xingqing_civil):
    from laoxiao.accounts.services import api_token_create

    client.force_login(xingqing_civil)
    for url in ("/", "/people/", "/people/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    _, key = api_token_create(user=xingqing_civil, name="county system")
    api = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/people/")
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]


def test_pages_carry_a_content_security_policy_without_inline_script(client, xingqing_civil):
    client.force_login(xingqing_civil)
    policy = {
        d.split()[0]: d.split()[1:] for d in client.get("/").headers["Content-Security-Policy"].split(";") if d.strip()
    }
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_no_template_holds_an_inline_script_or_event_handler():
    """The policy refuses them, so the browser would drop them (and the role crawler fail on the console error)."""
    from pathlib import Path

    import laoxiao

    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+\s*=", re.I)
    found = [
        f"{path.relative_to(Path(laoxiao.__file__).parent)}: {m.group(0)}"
        for path in Path(laoxiao.__file__).parent.rglob("*.html")
        for m in inline.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def _api(key: str) -> int:
    return Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/people/").status_code


def test_a_password_change_ends_the_users_api_tokens(client, xingqing_civil):
    from laoxiao.accounts.services import api_token_create

    _, key = api_token_create(user=xingqing_civil, name="county system")
    assert _api(key) == 200
    client.force_login(xingqing_civil)
    page = client.get("/")
    assert 'href="/account/password/"' in page.content.decode()
    assert "修改密码" in client.get("/account/password/").content.decode()

    weak = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200 and "密码" in weak.content.decode() and "太短" in weak.content.decode()
    assert _api(key) == 200

    new = "a-new-long-passphrase-7"
    done = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert client.get("/").status_code == 200  # still signed in
    assert _api(key) == 401
    assert _sign_in(Client(), xingqing_civil.username, new).status_code == 302


def test_deactivating_a_user_revokes_their_tokens_for_good(xingqing_civil):
    from laoxiao.accounts.services import api_token_create

    _, key = api_token_create(user=xingqing_civil, name="county system")
    xingqing_civil.is_active = False
    xingqing_civil.save()
    xingqing_civil.is_active = True
    xingqing_civil.save()
    assert _api(key) == 401


def test_the_revoke_command_lists_and_ends_tokens(xingqing_civil):
    from laoxiao.accounts.services import api_token_create

    first, first_key = api_token_create(user=xingqing_civil, name="county system")
    _, second_key = api_token_create(user=xingqing_civil, name="street system")
    out = io.StringIO()
    call_command("api-token", xingqing_civil.username, "--list", stdout=out)
    assert "county system" in out.getvalue() and "street system" in out.getvalue()

    call_command("api-token", xingqing_civil.username, "--revoke", str(first.pk), stdout=io.StringIO())
    assert (_api(first_key), _api(second_key)) == (401, 200)
    call_command("api-token", xingqing_civil.username, "--revoke", "all", stdout=io.StringIO())
    assert _api(second_key) == 401
    with pytest.raises(CommandError, match="no token 999999"):
        call_command("api-token", xingqing_civil.username, "--revoke", "999999")


@pytest.mark.parametrize("days", [0, 91, 3650])
def test_a_token_without_expiry_or_beyond_the_longest_lifetime_is_refused(xingqing_civil, days):
    with pytest.raises(CommandError, match="1 至 90 天"):
        call_command("api-token", xingqing_civil.username, "county system", f"--days={days}", stdout=io.StringIO())
    assert not xingqing_civil.api_tokens.exists()


def test_a_token_issued_by_default_expires_within_the_longest_lifetime(xingqing_civil):
    import datetime as dt

    from django.utils import timezone

    out = io.StringIO()
    call_command("api-token", xingqing_civil.username, "county system", stdout=out)
    assert _api(out.getvalue().strip()) == 200
    token = xingqing_civil.api_tokens.get()
    assert token.expires_at - timezone.now() <= dt.timedelta(days=90)
    token.expires_at = timezone.now() - dt.timedelta(seconds=1)
    token.save()
    assert _api(out.getvalue().strip()) == 401


def test_users_see_and_revoke_their_own_tokens_and_an_administrator_those_of_their_area(
    client, xingqing_civil, jinfeng_civil
):
    from laoxiao.accounts.roles import Role
    from laoxiao.accounts.services import api_token_create
    from tests import factories

    mine, my_key = api_token_create(user=xingqing_civil, name="兴庆区系统")
    theirs, their_key = api_token_create(user=jinfeng_civil, name="金凤区系统")

    client.force_login(xingqing_civil)
    page = client.get("/account/tokens/").content.decode()
    assert "兴庆区系统" in page and "金凤区系统" not in page
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/account/tokens/{mine.pk}/revoke/").status_code == 302
    assert _api(my_key) == 401 and _api(their_key) == 200
    assert "已作废" in client.get("/account/tokens/").content.decode()

    admin = factories.make_user(Role.ADMIN, factories.CITY)
    client.force_login(admin)
    assert "金凤区系统" in client.get("/account/tokens/").content.decode()
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 302
    assert _api(their_key) == 401
    assert xingqing_civil.api_tokens.get().revoked_by == xingqing_civil


def test_production_settings_pass_the_deployment_check_without_a_warning(tmp_path):
    """LAOXIAO_HTTPS=1 (production behind TLS): HSTS, redirect to HTTPS, Secure cookies; the demo leaves it off."""
    import os
    import secrets
    import subprocess
    import sys
    from pathlib import Path

    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "DJANGO_SETTINGS_MODULE": "laoxiao.settings",
        "LAOXIAO_ENV_FILE": "/nonexistent",
        "LAOXIAO_HTTPS": "1",
        "LAOXIAO_SECRET_KEY": secrets.token_urlsafe(50),
        "LAOXIAO_SM4_KEYS": f"k1:{secrets.token_hex(16)}",
        "LAOXIAO_HASH_KEYS": f"h1:{secrets.token_hex(32)}",
        "LAOXIAO_ALLOWED_HOSTS": "ylxm.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    check = [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"]
    done = subprocess.run(check, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout

    demo = subprocess.run(check, env={**env, "LAOXIAO_HTTPS": "0"}, capture_output=True, text=True, timeout=120)
    assert {"security.W004", "security.W008", "security.W012", "security.W016"} <= set(
        re.findall(r"security\.W\d+", demo.stderr)
    )


@pytest.mark.parametrize("role", ["resident", "volunteer"])
def test_residents_families_and_volunteers_have_no_api_tokens(client, xingqing_civil, role):
    from django.core.exceptions import ValidationError

    from laoxiao.accounts.models import ApiToken, User
    from laoxiao.accounts.services import api_token_create
    from tests import factories

    person = factories.make_person(by=xingqing_civil, age=70)
    user = factories.make_user(role, None, person_id=person.pk)
    client.force_login(user)
    assert "接口令牌" not in client.get("/").content.decode()
    refused = client.get("/account/tokens/")
    assert refused.status_code == 403
    assert "接口令牌供工作人员对接其他系统使用，居民、家属和志愿者账号没有接口令牌" in refused.content.decode()
    assert client.post("/account/tokens/1/revoke/").status_code == 403

    with pytest.raises(ValidationError) as not_issued:
        api_token_create(user=user, name="我的系统")
    assert "居民、家属和志愿者账号没有接口令牌" in not_issued.value.messages[0]
    with pytest.raises(CommandError, match="居民、家属和志愿者账号没有接口令牌"):
        call_command("api-token", user.username, "我的系统", stdout=io.StringIO())
    assert not user.api_tokens.exists()
    # a token issued while the account was a staff one no longer opens the API
    User.objects.filter(pk=user.pk).update(role="civil_affairs")
    _, key = api_token_create(user=User.objects.get(pk=user.pk), name="旧系统")
    assert _api(key) == 200
    User.objects.filter(pk=user.pk).update(role=role)
    assert _api(key) == 401 and ApiToken.objects.filter(user=user).count() == 1
