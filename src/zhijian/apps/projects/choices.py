"""Choice lists of the projects app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijian.apps.accounts.choices import OrgType


class ParticipantRole(models.TextChoices):
    """A place in the project team: Changsha's "1+2+N" plus owner and review agency.

    1 = the general contractor (EPC) at the core; 2 = the design and the production
    enterprises; N = digital enterprises. The construction unit (建设单位) owns the project
    and is the legal submitter; the review agency (审图机构) reviews its drawings and model.
    """

    EPC = "epc", _("General contractor (EPC, core)")
    DESIGN = "design", _("Design enterprise")
    PRODUCTION = "production", _("Production enterprise")
    DIGITAL = "digital", _("Digital enterprise")
    CONSTRUCTION_UNIT = "construction_unit", _("Construction unit")
    REVIEW_AGENCY = "review_agency", _("Review agency")


# Which organisation types may hold a place in the team.
ALLOWED_ORG_TYPES: dict[str, tuple[str, ...]] = {
    ParticipantRole.EPC: (OrgType.GENERAL_CONTRACTOR,),
    ParticipantRole.DESIGN: (OrgType.DESIGN,),
    ParticipantRole.PRODUCTION: (OrgType.COMPONENT_PRODUCER,),
    ParticipantRole.DIGITAL: (OrgType.DIGITAL, OrgType.EQUIPMENT),
    ParticipantRole.CONSTRUCTION_UNIT: (OrgType.CONSTRUCTION_UNIT,),
    ParticipantRole.REVIEW_AGENCY: (OrgType.REVIEW_AGENCY,),
}

# Places held by exactly one organisation per project (the rest may be many: the "N").
SINGLE_PLACES = (ParticipantRole.EPC, ParticipantRole.CONSTRUCTION_UNIT, ParticipantRole.REVIEW_AGENCY)


class BuildingUse(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    PUBLIC = "public", _("Public")
    INDUSTRIAL = "industrial", _("Industrial")
