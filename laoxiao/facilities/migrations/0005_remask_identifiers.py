from django.db import migrations

from laoxiao.core.personal import remask_stored


def remask(apps, schema_editor):
    for name in ("StaffMember", "HistoricalStaffMember"):
        remask_stored(apps.get_model("facilities", name))


class Migration(migrations.Migration):
    """The masks stop showing an ID number's last four (see core.identifiers)."""

    dependencies = [("facilities", "0004_facility_name_label")]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
