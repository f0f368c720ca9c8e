"""Segment.grant names the consent grant as RenderJob.grant does (a foreign key, was the public id as text), and
segments record their wall-clock start (EXT-X-PROGRAM-DATE-TIME)."""

import django.db.models.deletion
from django.db import migrations, models


def _link_grants(apps, schema_editor):
    Segment = apps.get_model("render", "Segment")
    ConsentGrant = apps.get_model("consent", "ConsentGrant")
    by_public_id = {str(g.public_id): g.pk for g in ConsentGrant.objects.only("pk", "public_id")}
    for segment in Segment.objects.exclude(grant_public_id="").only("pk", "grant_public_id"):
        Segment.objects.filter(pk=segment.pk).update(grant_id=by_public_id.get(segment.grant_public_id))


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0001_initial"),
        ("render", "0001_render_domain"),
    ]

    operations = [
        migrations.RenameField(model_name="segment", old_name="grant_id", new_name="grant_public_id"),
        migrations.AddField(
            model_name="segment",
            name="grant",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="consent.consentgrant",
            ),
        ),
        migrations.RunPython(_link_grants, migrations.RunPython.noop),
        migrations.RemoveField(model_name="segment", name="grant_public_id"),
        migrations.AddField(
            model_name="segment",
            name="wall_clock_start",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
