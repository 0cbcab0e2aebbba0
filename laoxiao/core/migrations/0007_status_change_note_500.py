from django.db import migrations, models


class Migration(migrations.Migration):
    """An assessment's timeline notes (a change of assessors with its reason, a review) run to 500."""

    dependencies = [("core", "0006_export_log")]

    operations = [
        migrations.AlterField(
            model_name="statuschange",
            name="note",
            field=models.CharField(blank=True, max_length=500, verbose_name="note"),
        ),
    ]
