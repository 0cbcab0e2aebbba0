"""An application's documents are sealed with SM4 and kept under a random name (they were plain files in
media, under the name they were uploaded as); the files already kept are sealed here."""

import uuid

from django.core.files.base import ContentFile
from django.db import migrations, models


def seal_kept_documents(apps, schema_editor):
    from laoxiao.core.crypto import seal_raw

    ApplicationDocument = apps.get_model("benefits", "ApplicationDocument")
    for document in ApplicationDocument.objects.filter(content_key=""):
        if not document.file:
            continue
        with document.file.open("rb") as plain:
            key_id, sealed = seal_raw(plain.read())
        old = document.file.name
        document.file_name = old.rsplit("/", 1)[-1][:255]
        document.content_key = key_id
        document.file.save(f"{uuid.uuid4().hex}.sm4", ContentFile(bytes(sealed)), save=False)
        document.save(update_fields=["file", "file_name", "content_key"])
        document.file.storage.delete(old)


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0007_batch_sent_to_the_bank"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationdocument",
            name="content_key",
            field=models.CharField(blank=True, max_length=20, verbose_name="key"),
        ),
        migrations.AddField(
            model_name="applicationdocument",
            name="file_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="file name"),
        ),
        migrations.RunPython(seal_kept_documents, migrations.RunPython.noop),
    ]
