"""The 普惠托位 grant is national policy (quoted by 黔江's plan, not made by it): its code says so, and
a city other than 黔江 no longer sees another city's name in its address."""

from django.db import migrations


def rename(apps, schema_editor, old="qianjiang-inclusive-place", new="national-inclusive-place"):
    apps.get_model("benefits", "Programme").objects.filter(code=old).update(code=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old="national-inclusive-place", new="qianjiang-inclusive-place")


class Migration(migrations.Migration):
    dependencies = [("benefits", "0008_sealed_documents")]
    operations = [migrations.RunPython(rename, rename_back)]
