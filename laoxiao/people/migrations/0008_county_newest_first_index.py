"""On PostgreSQL, a county's people newest first (people/selectors.py `_newest_first`): the county and the
negated id, which only this index orders, so that the planner walks it instead of every id backwards."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX person_county_newest_idx ON people_person (substring(area_id, 1, 6), (id * -1))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX person_county_newest_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_profile_area"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
