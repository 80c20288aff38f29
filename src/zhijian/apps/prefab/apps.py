from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrefabConfig(AppConfig):
    name = "zhijian.apps.prefab"
    label = "prefab"
    verbose_name = _("Precast components")
