from django.urls import path

from zhijian.apps.prefab import views

app_name = "prefab"
urlpatterns = [
    # The QR labels carry /c/<code>: keep it short and stable.
    path("c/<str:code>/", views.component_scan, name="scan"),
    path("c/<str:code>/qr.svg", views.component_qr, name="qr"),
    path("prefab/factory/", views.factory_board, name="factory_board"),
    path("prefab/factory/ship/", views.factory_ship, name="factory_ship"),
    path("prefab/factories/<uuid:organization_id>/", views.factory_board, name="factory"),
    path("prefab/projects/<uuid:project_id>/", views.project_progress, name="project"),
    path("prefab/projects/<uuid:project_id>/registry/", views.registry_build, name="registry_build"),
    path("prefab/orders/<uuid:order_id>/", views.order_detail, name="order"),
    path("prefab/orders/<uuid:order_id>/labels/", views.order_labels, name="order_labels"),
    path("prefab/orders/<uuid:order_id>/cancel/", views.order_cancel, name="order_cancel"),
    path("prefab/shipments/<uuid:shipment_id>/", views.shipment_detail, name="shipment"),
    path("prefab/shipments/<uuid:shipment_id>/deliver/", views.shipment_deliver, name="shipment_deliver"),
    path("prefab/label-sheets/<uuid:sheet_id>/", views.label_sheet, name="label_sheet"),
    path("prefab/label-sheets/<uuid:sheet_id>/file/", views.label_sheet_file, name="label_sheet_file"),
]
