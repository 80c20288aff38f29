from django.urls import path

from zhijian.apps.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("<uuid:project_id>/", views.project_detail, name="detail"),
]
