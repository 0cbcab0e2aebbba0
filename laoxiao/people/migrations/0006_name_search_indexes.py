"""Indexes on PostgreSQL for the list's name search (people/selectors.py `_name_q`), which otherwise reads
every name: 1.2–3.5 s at scale 5 (docs/scaling.md). Three characters or more: a trigram index (pg_trgm, a
trusted extension since PostgreSQL 13, so the database's owner can create it). Two, which hold no trigram:
the name's start, its end (reversed) and the few names of four or more characters, with statistics on the
name's length so that the planner knows how few. SQLite has none of these; there the search reads the
names, fast enough at a city's size."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = [
    "CREATE INDEX person_name_trgm_idx ON people_person USING gin (name gin_trgm_ops)",
    "CREATE INDEX person_name_reversed_idx ON people_person (reverse(name) text_pattern_ops)",
    "CREATE INDEX person_long_name_idx ON people_person (name) WHERE length(name) >= 4",
    "CREATE STATISTICS person_name_length_stats ON (length(name)) FROM people_person",
]
DROP = [
    "DROP STATISTICS person_name_length_stats",
    "DROP INDEX person_long_name_idx",
    "DROP INDEX person_name_reversed_idx",
    "DROP INDEX person_name_trgm_idx",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_a_small_index_per_category"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(run(CREATE), run(DROP), elidable=False),
    ]
