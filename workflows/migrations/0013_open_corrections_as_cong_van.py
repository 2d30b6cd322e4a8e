"""Open demands for correction will be issued as công văn (Mẫu 1.5), not thông báo.

Only statements not yet released change: an issued document keeps its type, number and PDF.
"""

from django.db import migrations

OPEN = ("drafting", "review", "signoff")


def forwards(apps, schema_editor):
    Statement = apps.get_model("workflows", "Statement")
    Statement.objects.filter(
        kind="correction_response", doc_type="thong_bao", status__in=OPEN, document__isnull=True
    ).update(doc_type="cong_van")


def backwards(apps, schema_editor):
    Statement = apps.get_model("workflows", "Statement")
    Statement.objects.filter(
        kind="correction_response", doc_type="cong_van", status__in=OPEN, document__isnull=True
    ).update(doc_type="thong_bao")


class Migration(migrations.Migration):
    dependencies = [("workflows", "0012_statement_annual_report")]

    operations = [migrations.RunPython(forwards, backwards)]
