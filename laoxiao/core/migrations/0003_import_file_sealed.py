"""Uploaded import files were kept in plaintext; they are sealed like the identifiers they hold."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


def seal_kept_files(apps, schema_editor):
    from laoxiao.core.crypto import seal_raw

    ImportBatch = apps.get_model("core", "ImportBatch")
    for pk in ImportBatch.objects.values_list("pk", flat=True):
        batch = ImportBatch.objects.get(pk=pk)
        batch.content_key, batch.content_sealed = seal_raw(bytes(batch.content))
        batch.save(update_fields=["content_key", "content_sealed"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_population_source_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="content_key",
            field=models.CharField(blank=True, max_length=20, verbose_name="key"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="content_sealed",
            field=models.BinaryField(null=True, verbose_name="file (encrypted)"),
        ),
        migrations.RunPython(seal_kept_files, migrations.RunPython.noop),
        migrations.RemoveField(model_name="importbatch", name="content"),
        migrations.AddField(
            model_name="importbatch",
            name="committed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="imported at"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="committed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="imported by",
            ),
        ),
    ]
