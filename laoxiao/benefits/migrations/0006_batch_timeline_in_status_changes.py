"""A batch's timeline is read from the status changes every workflow writes (core.StatusChange): its
rows are copied there, with their time, person and note, and the batch's own table goes."""

from django.db import migrations


def copy_events(apps, schema_editor):
    BatchEvent = apps.get_model("benefits", "BatchEvent")
    if not BatchEvent.objects.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    batch = ContentType.objects.get_or_create(app_label="benefits", model="paymentbatch")[0]
    line = ContentType.objects.get_or_create(app_label="benefits", model="payment")[0]
    changes = apps.get_model("core", "StatusChange")._meta.db_table
    with schema_editor.connection.cursor() as cursor:  # SQL, so `at` keeps its time (the model would set now)
        cursor.execute(
            f"INSERT INTO {changes} (content_type_id, object_id, from_status, to_status, by_id, at, note) "
            f"SELECT CASE WHEN payment_id IS NULL THEN %s ELSE %s END, COALESCE(payment_id, batch_id), "
            f"from_status, to_status, by_id, at, note FROM {BatchEvent._meta.db_table} ORDER BY at, id",
            [batch.pk, line.pk],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0005_one_open_application"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_status_change"),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="BatchEvent"),
    ]
