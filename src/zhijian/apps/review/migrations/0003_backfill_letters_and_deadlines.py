"""Rounds from before the letter counter and the deadlines: store what they already showed.

Decided rounds get the number their letter was printed with (the serial counted the agency's
decided rounds of the year, in order), and each agency's counters start after the highest such
serial, so no number is issued twice. Rounds still under review get their deadline.
"""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from zhijian.domain.errors import InputError
    from zhijian.domain.review.deadlines import review_deadline
    from zhijian.domain.review.letter_numbering import format_letter_number

    Round = apps.get_model("review", "Round")
    Participant = apps.get_model("projects", "ProjectParticipant")
    Counter = apps.get_model("review", "LetterCounter")
    agency_of: dict = {}
    for p in Participant.objects.filter(role="review_agency").order_by("id"):
        agency_of.setdefault(p.project_id, p.organization_id)
    serials: dict = {}
    decided = Round.objects.exclude(decision="").filter(letter_serial__isnull=True, decided_at__isnull=False)
    for r in decided.select_related("submission__project").order_by("decided_at", "id"):
        agency = agency_of.get(r.submission.project_id)
        if agency is None:
            continue
        year = timezone.localtime(r.decided_at).year
        serial = serials[(agency, year)] = serials.get((agency, year), 0) + 1
        kind = "opinion" if r.decision == "returned" else "approval"
        try:
            number = format_letter_number(kind, project_number=r.submission.project.code, serial=serial, year=year,
                                          round_number=r.number)
        except InputError:
            number = ""
        Round.objects.filter(id=r.id).update(letter_agency_id=agency, letter_year=year, letter_serial=serial,
                                             letter_number=number)
    for (agency, year), last in serials.items():
        for kind in ("opinion", "approval"):
            counter, _ = Counter.objects.get_or_create(agency_id=agency, kind=kind, year=year)
            if counter.last_serial < last:
                Counter.objects.filter(id=counter.id).update(last_serial=last)
    for r in Round.objects.filter(decision="", due_on__isnull=True).select_related("submission"):
        try:
            due = review_deadline(timezone.localtime(r.submitted_at).date(), r.submission.review_class)
        except InputError:
            continue
        Round.objects.filter(id=r.id).update(due_on=due.due, due_advisory=due.advisory)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_disciplines_letters_deadlines"),
        ("projects", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
