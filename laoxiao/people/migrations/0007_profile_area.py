"""The elderly profile carries its person's area, and each category's index is by area: a district's list
of one category reads the district's range of that index (docs/scaling.md)."""

import django.db.models.deletion
from django.db import migrations, models

CATEGORIES = {  # the field, and the old index's name
    "extreme_poverty": "elderly_extreme_poverty_idx",
    "subsistence_allowance": "elderly_subsistence_allowa_idx",
    "near_subsistence": "elderly_near_subsistence_idx",
    "living_alone": "elderly_living_alone_idx",
    "empty_nest": "elderly_empty_nest_idx",
    "left_behind": "elderly_left_behind_idx",
    "disabled": "elderly_disabled_idx",
    "dementia": "elderly_dementia_idx",
    "family_planning_special": "elderly_family_planning_sp_idx",
    "severe_disability": "elderly_severe_disability_idx",
}


def areas_from_people(apps, schema_editor):
    schema_editor.execute(
        "UPDATE people_elderlyprofile SET area_id ="
        " (SELECT area_id FROM people_person WHERE people_person.id = people_elderlyprofile.person_id)"
    )


def area(on_delete=django.db.models.deletion.PROTECT, **options):
    return models.ForeignKey(on_delete=on_delete, related_name="+", to="core.area", verbose_name="area", **options)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_import_file_in_chunks"),
        ("people", "0006_name_search_indexes"),
    ]

    operations = [
        *(migrations.RemoveIndex(model_name="elderlyprofile", name=old) for old in CATEGORIES.values()),
        migrations.AddField(model_name="elderlyprofile", name="area", field=area(null=True)),
        migrations.RunPython(areas_from_people, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(model_name="elderlyprofile", name="area", field=area()),
        # The history before this change keeps no area: it was not a field of the profile then.
        migrations.AddField(
            model_name="historicalelderlyprofile",
            name="area",
            field=area(django.db.models.deletion.DO_NOTHING, blank=True, db_constraint=False, null=True),
        ),
        *(
            migrations.AddIndex(
                model_name="elderlyprofile",
                index=models.Index(
                    condition=models.Q((field, True)), fields=["area", "person"], name=f"elderly_{field[:12]}_area_idx"
                ),
            )
            for field in CATEGORIES
        ),
    ]
