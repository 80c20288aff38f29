"""Rounds store their diff counts against the previous round (the review queue orders by them).

Filled for every round whose check is done, as ``services.store_diff_counts`` does from then on.
"""

from django.db import migrations, models


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from zhijian.domain.review.round_diff import FindingFact, diff_rounds

    Round = apps.get_model("review", "Round")
    Finding = apps.get_model("review", "Finding")
    rounds = list(Round.objects.filter(check_run__status="done").values_list("id", "submission_id", "number"))
    by_number = {(sid, number): rid for rid, sid, number in Round.objects.values_list("id", "submission_id", "number")}
    facts: dict = {}
    rows = Finding.objects.order_by("ordinal").values_list(
        "check_run__round_id", "id", "rule_id", "guid", "status", "measured", "unit")
    for round_id, ref, rule_id, guid, status, measured, unit in rows.iterator(chunk_size=5000):
        facts.setdefault(round_id, []).append(
            FindingFact(rule_id=rule_id, guid=guid, status=status, measured=measured, unit=unit, ref=ref))
    changed = []
    for rid, sid, number in rounds:
        before = by_number.get((sid, number - 1))
        r = Round(id=rid)
        r.diff_counts = diff_rounds(facts.get(before, []) if before else [], facts.get(rid, [])).counts
        changed.append(r)
    Round.objects.bulk_update(changed, ["diff_counts"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("review", "0003_backfill_letters_and_deadlines")]

    operations = [
        migrations.AddField(
            model_name="round",
            name="diff_counts",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
