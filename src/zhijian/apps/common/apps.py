from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "zhijian.apps.common"
    label = "common"
    verbose_name = "Common"
