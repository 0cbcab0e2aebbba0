"""A visit carries when it was recorded and keeps no history table: its "+" history row, the only one a visit
ever had, gives the moment before the table goes (or the visit's own time, where none was written)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def recorded_from_history(apps, schema_editor):
    Visit = apps.get_model("homecare", "Visit")
    HistoricalVisit = apps.get_model("homecare", "HistoricalVisit")
    first = HistoricalVisit.objects.filter(id=OuterRef("pk"), history_type="+").order_by("history_date")
    Visit.objects.update(recorded_at=Coalesce(Subquery(first.values("history_date")[:1]), "visited_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("homecare", "0004_visit_plan_index_in_the_pair"),
    ]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="recorded_at",
            field=models.DateTimeField(null=True, verbose_name="recorded at"),
        ),
        migrations.RunPython(recorded_from_history, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="visit",
            name="recorded_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
        ),
        migrations.DeleteModel(name="HistoricalVisit"),
    ]
