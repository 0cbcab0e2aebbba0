"""Loads the instrument versions shipped in laoxiao/assessments/instruments; the newest of each is current.
(services.instruments_sync does the same at run time for a database these rows were flushed from; a
migration keeps to the historical model so later schema changes cannot break it.)"""

import json
from pathlib import Path

from django.db import migrations

DIRECTORY = Path(__file__).resolve().parent.parent / "instruments"


def load(apps, schema_editor):
    Instrument = apps.get_model("assessments", "Instrument")
    for path in sorted(DIRECTORY.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        Instrument.objects.get_or_create(
            code=data["code"], version=data["version"], defaults={"name": data["name"], "definition": data}
        )
    for code in set(Instrument.objects.values_list("code", flat=True)):
        newest = Instrument.objects.filter(code=code).order_by("-version").first()
        Instrument.objects.filter(code=code).exclude(pk=newest.pk).update(is_current=False)
        Instrument.objects.filter(pk=newest.pk).update(is_current=True)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
