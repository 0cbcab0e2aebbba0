from django.db import migrations

from laoxiao.core.personal import remask_stored


def remask(apps, schema_editor):
    for name in ("Person", "HistoricalPerson", "EmergencyContact", "HistoricalEmergencyContact"):
        remask_stored(apps.get_model("people", name))


class Migration(migrations.Migration):
    """The masks stop showing an ID number's and a phone's last four (see core.identifiers)."""

    dependencies = [("people", "0003_emergency_contact")]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
