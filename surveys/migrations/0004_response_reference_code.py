import secrets

from django.db import migrations, models

import surveys.models

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def give_random_references(apps, schema_editor):
    """Replace the id-based references of existing responses by random ones (each unique)."""
    Response = apps.get_model("surveys", "Response")
    used = set()
    for response in Response.objects.only("pk").iterator():
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        while code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        used.add(code)
        Response.objects.filter(pk=response.pk).update(reference_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_cycle_opened_closed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="reference_code",
            field=models.CharField(editable=False, max_length=8, null=True),
        ),
        migrations.RunPython(give_random_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="response",
            name="reference_code",
            field=models.CharField(
                default=surveys.models.new_reference_code, editable=False, max_length=8, unique=True
            ),
        ),
    ]
