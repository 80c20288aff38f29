"""Choice lists of the accounts app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgType(models.TextChoices):
    CONSTRUCTION_UNIT = "construction_unit", _("Construction unit")  # 建设单位
    DESIGN = "design", _("Design enterprise")  # 设计单位
    GENERAL_CONTRACTOR = "general_contractor", _("General contractor")  # 施工总承包
    COMPONENT_PRODUCER = "component_producer", _("Component producer")  # 构件生产
    REVIEW_AGENCY = "review_agency", _("Drawing review agency")  # 审图机构
    AUTHORITY = "authority", _("Housing authority")  # 主管部门
    DIGITAL = "digital", _("Digital enterprise")  # 数字化企业
    EQUIPMENT = "equipment", _("Equipment manufacturer")  # 装备制造


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Organisation admin")
    DESIGNER = "designer", _("Designer")
    REVIEWER = "reviewer", _("Reviewer")
    AUTHORITY = "authority", _("Authority officer")
    FACTORY_OPERATOR = "factory_operator", _("Factory operator")
    CONTRACTOR = "contractor", _("Contractor")


class District(models.TextChoices):
    """Changsha's districts and counties (长沙市辖区、县、县级市)."""

    FURONG = "furong", _("Furong District")  # 芙蓉区
    TIANXIN = "tianxin", _("Tianxin District")  # 天心区
    YUELU = "yuelu", _("Yuelu District")  # 岳麓区
    KAIFU = "kaifu", _("Kaifu District")  # 开福区
    YUHUA = "yuhua", _("Yuhua District")  # 雨花区
    WANGCHENG = "wangcheng", _("Wangcheng District")  # 望城区
    CHANGSHA_COUNTY = "changsha_county", _("Changsha County")  # 长沙县
    LIUYANG = "liuyang", _("Liuyang")  # 浏阳市
    NINGXIANG = "ningxiang", _("Ningxiang")  # 宁乡市
