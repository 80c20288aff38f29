"""Choice lists of the review app; the states are the domain workflow's."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijian.domain.review.deadlines import review_classes
from zhijian.domain.review.workflow import Action, State

# The time-limit classes of deadlines.review_deadline; labels come from the data file (zh, en).
REVIEW_CLASSES = [(key, en) for key, _zh, en, _days in review_classes()]


class SubmissionState(models.TextChoices):
    DRAFT = State.DRAFT.value, _("Draft")
    SUBMITTED = State.SUBMITTED.value, _("Submitted")
    CHECKING = State.CHECKING.value, _("Checking")
    IN_REVIEW = State.IN_REVIEW.value, _("In review")
    RETURNED = State.RETURNED.value, _("Returned")
    APPROVED = State.APPROVED.value, _("Approved")


ACTION_LABELS = {
    Action.SUBMIT: _("Submit for review"),
    Action.START_CHECK: _("Start check"),
    Action.FINISH_CHECK: _("Finish check"),
    Action.FAIL_CHECK: _("Check failed"),
    Action.RETURN: _("Return with opinions"),
    Action.APPROVE: _("Approve"),
}


class Decision(models.TextChoices):
    NONE = "", _("Pending")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class CheckStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class FindingStatus(models.TextChoices):
    FAIL = "fail", _("Fails")
    MISSING_DATA = "missing_data", _("Missing data")
