"""A kept upload moves from one value to rows of a megabyte (`ImportChunk`): the whole file in one value
cost a second copy in memory on every write and read."""

import django.db.models.deletion
from django.db import migrations, models

CHUNK = 1 << 20


def split_kept_files(apps, schema_editor):
    ImportBatch = apps.get_model("core", "ImportBatch")
    ImportChunk = apps.get_model("core", "ImportChunk")
    for pk in ImportBatch.objects.filter(content_sealed__isnull=False).values_list("pk", flat=True):
        sealed = memoryview(ImportBatch.objects.values_list("content_sealed", flat=True).get(pk=pk))
        for n, start in enumerate(range(0, len(sealed), CHUNK)):
            ImportChunk.objects.create(batch_id=pk, n=n, data=sealed[start : start + CHUNK])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_status_change_note_500"),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportChunk",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("n", models.PositiveIntegerField()),
                ("data", models.BinaryField()),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="chunks", to="core.importbatch"
                    ),
                ),
            ],
            options={
                "ordering": ["batch", "n"],
                "constraints": [models.UniqueConstraint(fields=("batch", "n"), name="one_chunk_per_place")],
            },
        ),
        migrations.RunPython(split_kept_files, migrations.RunPython.noop),
        migrations.RemoveField(model_name="importbatch", name="content_sealed"),
    ]
