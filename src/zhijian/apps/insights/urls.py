from django.urls import path

from zhijian.apps.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
