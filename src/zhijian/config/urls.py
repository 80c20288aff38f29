"""URLs: pages (zh-Hans by default, language switcher at /i18n/), API v1, admin."""

from django.contrib import admin
from django.urls import include, path, re_path

from zhijian.config.api import api, not_found_view

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", not_found_view),
    path("accounts/", include("zhijian.apps.accounts.urls")),
    path("projects/", include("zhijian.apps.projects.urls")),
    path("assembly/", include("zhijian.apps.assembly.urls")),
    path("insights/", include("zhijian.apps.insights.urls")),
    path("", include("zhijian.apps.prefab.urls")),
    path("", include("zhijian.apps.review.urls")),
]
