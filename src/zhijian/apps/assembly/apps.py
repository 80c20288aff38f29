from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssemblyConfig(AppConfig):
    name = "zhijian.apps.assembly"
    label = "assembly"
    verbose_name = _("Assembly rate")
