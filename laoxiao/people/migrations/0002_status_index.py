from django.db import migrations, models


class AddFieldIndex(migrations.AlterField):
    """Only adds the field's index. SQLite's AlterField would copy the whole table (the register and its
    history: millions of rows in a city) to do it; PostgreSQL's AlterField already just creates the index."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[model._meta.get_field(self.name)]))


STATUS = models.CharField(
    choices=[("active", "resident"), ("moved_out", "moved out"), ("deceased", "deceased")],
    db_index=True,
    default="active",
    max_length=10,
    verbose_name="status",
)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        AddFieldIndex(model_name="historicalperson", name="status", field=STATUS),
        AddFieldIndex(model_name="person", name="status", field=STATUS.clone()),
    ]
