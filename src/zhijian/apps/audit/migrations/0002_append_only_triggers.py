"""Make the audit table append-only in the database itself (see apps/common/append_only.py)."""

from django.db import migrations

from zhijian.apps.common.append_only import append_only_operation


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [
        append_only_operation(
            "audit_auditentry", function="zhijian_audit_append_only", message="audit entries are append-only"
        )
    ]
