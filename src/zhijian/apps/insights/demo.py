"""The demo city's review history, so that the statistics dashboard has decided rounds to show.

The review seed leaves one submission in review; this adds, through the same services as the
pages (checks run here and now), two earlier reviews of the demo projects:

======================================  ===============================================
开福区示范保障性住房项目 配套用房         round 1 returned (undersized bedroom), revised,
                                        round 2 checked and in review
岳麓区示范安置房项目 地下车库             round 1 returned, revised; round 2 staffed, the
                                        remaining mandatory findings waived with a reason,
                                        approved
岳麓区示范安置房项目 门卫室               round 1 returned, waiting for the revision
======================================  ===============================================

The decided rounds are then dated back (round 1 submitted 75, 40 and 20 days ago and decided
a few days later; the approval a month ago) so that the monthly series span several months:
the only rows this module writes without a service, and only timestamps of demo data.
Idempotent: a submission found by its title is left as it is.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from zhijian.apps.accounts.models import User
from zhijian.apps.projects.models import Project
from zhijian.apps.review import services as review
from zhijian.apps.review.models import Finding, Round, Submission

# (project code, title, designer, reviewer, days ago round 1 was submitted, days to decide, then)
HISTORY = (
    ("430105-2025-0002", "配套用房 施工图BIM审查", "designer2", "reviewer2", 75, 6, "revised"),
    ("430104-2025-0001", "地下车库 施工图BIM审查", "designer", "reviewer", 40, 4, "approved"),
    ("430104-2025-0001", "门卫室 施工图BIM审查", "designer", "reviewer", 20, 2, ""),
)
WAIVER = "经专家论证，按审查意见采取的补强措施满足规范要求（演示）"
OPINION = "主卧使用面积不足 9 m²（GB 50096-2011 第 5.2.1 条），请修改后重新送审"


def _submit(designer: User, submission: Submission, path: Path, reason: str) -> None:
    from zhijian.apps.review.tasks import check_model_version

    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/x-step")
    version = review.upload_model_version(designer, submission.id, upload)
    review.transition_submission(designer, submission.id, "submit", reason)
    check_model_version.apply(args=[str(version.id)])  # the worker's code, here and now


def _date_back(submission: Submission, number: int, days_ago: int, days_to_decide: int) -> None:
    """Round ``number`` submitted ``days_ago`` days ago and decided ``days_to_decide`` days later."""
    round_ = Round.objects.get(submission=submission, number=number)
    submitted = timezone.now() - dt.timedelta(days=days_ago)
    shift = round_.submitted_at - submitted
    changes = {"submitted_at": submitted, "decided_at": submitted + dt.timedelta(days=days_to_decide, hours=3)}
    if any(f.name == "due_on" for f in Round._meta.get_fields()):  # the round's review deadline moves with it
        changes["due_on"] = F("due_on") - dt.timedelta(days=shift.days)
    Round.objects.filter(id=round_.id).update(**changes)
    if number == 1:
        Submission.objects.filter(id=submission.id).update(created_at=submitted - dt.timedelta(days=1))


def _approve(reviewer: User, submission: Submission) -> None:
    """Staff the round (the review seed's way), waive what still blocks, with the reason, approve."""
    from zhijian.apps.review.demo import _staff
    from zhijian.apps.review.selectors import BLOCKING

    _staff(submission)
    for finding in Finding.objects.filter(check_run__round__submission=submission,
                                          check_run__round__number=2).filter(BLOCKING):
        review.waive_finding(reviewer, finding.id, WAIVER)
    review.transition_submission(reviewer, submission.id, "approve", "")


def seed_review_history(created: list[str]) -> list[Submission]:
    """Create what is missing of the history above; returns its submissions."""
    from zhijian.apps.review.demo import write_small_model

    found = []
    with tempfile.TemporaryDirectory() as tmp:
        failing = fixed = None
        for code, title, designer_name, reviewer_name, days_ago, days_to_decide, then in HISTORY:
            project = Project.objects.filter(code=code).first()
            if project is None:
                continue
            submission = Submission.objects.filter(project=project, title=title).first()
            if submission is not None:
                found.append(submission)
                continue
            designer, reviewer = User.objects.get(username=designer_name), User.objects.get(username=reviewer_name)
            failing = failing or write_small_model(Path(tmp) / "history-round1.ifc")
            submission = review.create_submission(designer, project_id=project.id, title=title)
            _submit(designer, submission, failing, "首次送审")
            review.transition_submission(reviewer, submission.id, "return", OPINION)
            _date_back(submission, 1, days_ago, days_to_decide)
            if then:
                fixed = fixed or write_small_model(Path(tmp) / "history-round2.ifc", fixed=True)
                _submit(designer, submission, fixed, "按审查意见修改主卧面积")
            if then == "approved":
                _approve(reviewer, submission)
                _date_back(submission, 2, days_ago - 10, 3)
            created.append(f"submission {title}")
            submission.refresh_from_db()
            found.append(submission)
    return found
