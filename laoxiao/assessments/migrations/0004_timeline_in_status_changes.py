"""An assessment's timeline is read from the status changes every workflow writes (core.StatusChange):
its rows are copied there, with their time, person and note, and the assessment's own table goes."""

from django.db import migrations


def copy_timeline(apps, schema_editor):
    Timeline = apps.get_model("assessments", "StatusChange")
    if not Timeline.objects.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.get_or_create(app_label="assessments", model="assessment")[0]
    changes = apps.get_model("core", "StatusChange")._meta.db_table
    with schema_editor.connection.cursor() as cursor:  # SQL, so `at` keeps its time (the model would set now)
        cursor.execute(
            f"INSERT INTO {changes} (content_type_id, object_id, from_status, to_status, by_id, at, note) "
            f"SELECT %s, assessment_id, from_status, to_status, by_id, at, note FROM {Timeline._meta.db_table} "
            "ORDER BY at, id",
            [kind.pk],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_basic_info"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0007_status_change_note_500"),
    ]

    operations = [
        migrations.RunPython(copy_timeline, migrations.RunPython.noop),
        migrations.DeleteModel(name="StatusChange"),
    ]
