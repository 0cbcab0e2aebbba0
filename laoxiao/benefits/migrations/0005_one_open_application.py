"""One application under way per programme and beneficiary. Twins that a double submission made before
this rule are rejected with a reason saying so (the first one stands), so the constraint can hold."""

from django.db import migrations, models

OPEN = ["submitted", "first_approved", "approved"]


def reject_twins(apps, schema_editor):
    Application = apps.get_model("benefits", "Application")
    seen = set()
    for application in Application.objects.filter(status__in=OPEN).order_by("submitted_at", "id"):
        key = (application.programme_id, application.beneficiary_type, application.beneficiary_id)
        if key in seen:
            application.status = "rejected"
            application.rejection_reason = "重复提交的申请（与先提交的一份相同），已由系统驳回"
            application.save(update_fields=["status", "rejection_reason"])
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [("benefits", "0004_hold_back_payee_accounts_programme_city")]

    operations = [
        migrations.RunPython(reject_twins, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(status__in=OPEN),
                fields=("programme", "beneficiary_type", "beneficiary_id"),
                name="one_open_application",
            ),
        ),
    ]
