from django.urls import path

from zhijian.apps.assembly import views

app_name = "assembly"
urlpatterns = [
    path("", views.city_list, name="city"),
    path("buildings/<uuid:building_id>/", views.building_detail, name="building"),
    path("buildings/<uuid:building_id>/evaluate/", views.building_evaluate, name="evaluate"),
    path("evaluations/<uuid:evaluation_id>/", views.evaluation_detail, name="evaluation"),
    path("evaluations/<uuid:evaluation_id>/sheet/", views.evaluation_sheet, name="sheet"),
    path("evaluations/<uuid:evaluation_id>/declaration/", views.evaluation_declaration, name="declaration"),
]
