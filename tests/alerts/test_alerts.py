"""The alert desk: an alert is closed only with what was done (处置情况), which its history shows."""

from laoxiao.accounts.roles import Role
from laoxiao.alerts.models import Alert
from laoxiao.alerts.services import alert_raise
from laoxiao.core.transitions import status_changes
from tests import factories


def test_an_alert_is_closed_only_with_a_note_shown_in_its_history(client, xingqing_civil):
    person = factories.make_person(by=xingqing_civil)
    alert = alert_raise(by=xingqing_civil, person=person, source=Alert.Source.CALL, detail="老人来电称胸闷")
    desk = factories.make_user(Role.CALL_CENTRE, factories.XINGQING)
    desk.first_name = "李接线"
    desk.save(update_fields=["first_name"])
    client.force_login(desk)
    listing = client.get("/alerts/").content.decode()
    assert f'href="/alerts/{alert.pk}/"' in listing and "老人来电称胸闷" in listing

    for empty in ("", "   "):
        refused = client.post(f"/alerts/{alert.pk}/", {"note": empty}).content.decode()
        assert "请填写处置情况后再办结告警" in refused.split('data-field="note"')[1]
    alert.refresh_from_db()
    assert alert.status == "open" and status_changes(alert).count() == 1

    client.post(f"/alerts/{alert.pk}/", {"note": "已拨打120送医，通知子女"})
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    history = page.split('data-test="alert-events"')[1].split("</ol>")[0]
    assert "已发出告警 · 老人来电称胸闷" in history and "李接线 · 办结 · 处置情况：已拨打120送医，通知子女" in history
    assert 'data-test="alert-close"' not in page and "已处置" in page
    again = client.post(f"/alerts/{alert.pk}/", {"note": "再次办结"}).content.decode()
    assert "该告警已办结" in again and status_changes(alert).count() == 2


def test_the_alerts_list_shows_each_status_and_keeps_the_action_in_its_own_column(client, xingqing_civil):
    person = factories.make_person(by=xingqing_civil)
    alert = alert_raise(by=xingqing_civil, person=person, source=Alert.Source.CALL, detail="来电")
    client.force_login(xingqing_civil)

    def row(url: str) -> tuple[str, str]:
        """The row's status cell and the action cell beside it."""
        cells = client.get(url).content.decode().split("<tbody><tr>")[1].split("</tr>")[0].split("</td>")
        return cells[0].split(">", 1)[1], cells[1].split(">", 1)[1]

    assert row("/alerts/") == (
        '<span class="tag">办理中</span>',
        f'<a href="/alerts/{alert.pk}/" class="button">办结告警</a>',
    )
    client.post(f"/alerts/{alert.pk}/", {"note": "已联系家属"})
    assert row("/alerts/?status=handled") == (
        "已处置",
        f'<a href="/alerts/{alert.pk}/">处置记录</a>',
    )
