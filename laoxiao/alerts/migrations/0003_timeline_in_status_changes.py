"""An alert's timeline is read from the status changes every workflow writes (core.StatusChange): its
rows are copied there, with their time, person and note, and the alert's own table goes."""

from django.db import migrations


def copy_timeline(apps, schema_editor):
    Timeline = apps.get_model("alerts", "AlertEvent")
    if not Timeline.objects.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.get_or_create(app_label="alerts", model="alert")[0]
    changes = apps.get_model("core", "StatusChange")._meta.db_table
    with schema_editor.connection.cursor() as cursor:  # SQL, so `at` keeps its time (the model would set now)
        cursor.execute(
            f"INSERT INTO {changes} (content_type_id, object_id, from_status, to_status, by_id, at, note) "
            f"SELECT %s, alert_id, from_status, to_status, by_id, at, note FROM {Timeline._meta.db_table} "
            "ORDER BY at, id",
            [kind.pk],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_alert_events"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0008_import_file_in_chunks"),
    ]

    operations = [
        migrations.RunPython(copy_timeline, migrations.RunPython.noop),
        migrations.DeleteModel(name="AlertEvent"),
    ]
