"""Entries published by an issued decision keep their place in the directory.

The directory now shows a spokesperson only with the signed decision that names them
(roles.SpokespersonAssignment.decision_issued_at). Assignments whose QĐ / GUQ was already
issued through the release engine get its number and issue time; the others (published by
hand, without a decision) leave the public directory until their decision is issued.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    IssuedDocument = apps.get_model("release", "IssuedDocument")
    Assignment = apps.get_model("roles", "SpokespersonAssignment")
    ct = ContentType.objects.filter(app_label="roles", model="spokespersonassignment").first()
    if ct is None:
        return
    documents = IssuedDocument.objects.filter(
        subject_content_type=ct, status="issued", issued_at__isnull=False
    ).order_by("issued_at")
    for document in documents:
        assignment = Assignment.objects.filter(pk=document.subject_object_id).first()
        if assignment is None or assignment.decision_issued_at is not None:
            continue
        assignment.decision_issued_at = document.issued_at
        assignment.decision_reference = f"{document.number:02d}/{document.symbol}"[:100]
        if assignment.published_at is None or assignment.published_at < document.issued_at:
            assignment.published_at = document.issued_at
        assignment.save(
            update_fields=["decision_issued_at", "decision_reference", "published_at"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("release", "0006_incoming_register"),
        ("roles", "0006_spokesperson_decision_issued_at"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
