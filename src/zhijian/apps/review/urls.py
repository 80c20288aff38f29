from django.urls import path

from zhijian.apps.review import agency_views, views

app_name = "review"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("projects/<uuid:project_id>/submissions/new/", views.submission_create, name="submission_create"),
    path("submissions/<uuid:submission_id>/", views.submission_detail, name="submission"),
    path("submissions/<uuid:submission_id>/upload/", views.submission_upload, name="submission_upload"),
    path("submissions/<uuid:submission_id>/transition/", views.submission_transition, name="submission_transition"),
    path("submissions/<uuid:submission_id>/assign/", views.submission_assign, name="submission_assign"),
    path("submissions/<uuid:submission_id>/scope/", views.submission_scope, name="submission_scope"),
    path("findings/<uuid:finding_id>/waive/", views.finding_waive, name="finding_waive"),
    path("rounds/<uuid:round_id>/comments/", views.round_comment, name="round_comment"),
    path("rounds/<uuid:round_id>/diff/", views.round_diff, name="round_diff"),
    path("rounds/<uuid:round_id>/report.<str:fmt>", views.round_report, name="round_report"),
    path("rounds/<uuid:round_id>/bcf/", views.round_bcf_import, name="round_bcf_import"),
    path("rounds/<uuid:round_id>/letter/", views.round_letter, name="round_letter"),
    path("rounds/<uuid:round_id>/letter.pdf", views.round_letter_pdf, name="round_letter_pdf"),
    path("models/<uuid:model_version_id>/download/", views.model_download, name="model_download"),
    path("agencies/<uuid:organization_id>/reviewers/", agency_views.agency_reviewers, name="agency_reviewers"),
]
