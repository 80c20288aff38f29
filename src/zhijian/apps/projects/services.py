"""Project changes: create a project, place organisations in its team, add buildings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhijian.apps.accounts.models import Membership, Organization
from zhijian.apps.audit.services import record, snapshot
from zhijian.apps.common.errors import Conflict, Forbidden, InvalidInput
from zhijian.apps.projects.choices import ALLOWED_ORG_TYPES, SINGLE_PLACES, ParticipantRole
from zhijian.apps.projects.models import Building, Project, ProjectParticipant

PROJECT_FIELDS = ("code", "name", "district", "address", "latitude", "longitude")
BUILDING_FIELDS = ("name", "use", "height_m", "storeys_above", "storeys_below", "floor_area_m2")


def _validated(instance: Any, exclude: tuple[str, ...] = ()) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()), code="invalid") from exc


def _may_manage(actor: Any, project: Project | None) -> bool:
    """Platform admins; and the admins of the project's construction unit or EPC contractor."""
    if actor is None or actor.is_superuser:
        return True
    if project is None:
        return False
    return ProjectParticipant.objects.filter(
        project=project,
        role__in=[ParticipantRole.CONSTRUCTION_UNIT, ParticipantRole.EPC],
        organization__memberships__user=actor,
        organization__memberships__role="org_admin",
    ).exists()


@transaction.atomic
def create_project(actor: Any, *, owner: Organization, system: str = "", **fields: Any) -> Project:
    """A new project owned by a construction unit (建设单位), which joins its team at once."""
    if actor is not None and not actor.is_superuser and not Membership.objects.filter(
        user=actor, organization=owner, role="org_admin"
    ).exists():
        raise Forbidden(_("Only an administrator of the construction unit may create its projects."), code="not_permitted")
    if owner.org_type not in ALLOWED_ORG_TYPES[ParticipantRole.CONSTRUCTION_UNIT]:
        raise InvalidInput(_("The owner of a project must be a construction unit."), code="wrong_org_type")
    project = Project(created_by=actor, **{k: v for k, v in fields.items() if k in PROJECT_FIELDS})
    _validated(project, exclude=("created_by",))
    project.save()
    record(actor=actor, system=system, action="project.create", obj=project, after=snapshot(project, PROJECT_FIELDS),
           organization=owner, project=project)
    add_participant(actor, project, owner, ParticipantRole.CONSTRUCTION_UNIT, system=system)
    return project


@transaction.atomic
def add_participant(actor: Any, project: Project, organization: Organization, role: str, *,
                    system: str = "") -> ProjectParticipant:
    """Place an organisation in the team; its type must fit the place (EPC ← general contractor…)."""
    if not _may_manage(actor, project):
        raise Forbidden(_("Only the construction unit or the EPC contractor may change the project team."),
                        code="not_permitted")
    if role not in ParticipantRole.values:
        raise InvalidInput(_("Unknown place in the project team: %(role)s") % {"role": role}, code="invalid")
    if organization.org_type not in ALLOWED_ORG_TYPES[role]:
        raise InvalidInput(
            _("A %(type)s cannot be the project's %(role)s.")
            % {"type": organization.get_org_type_display(), "role": ParticipantRole(role).label},
            code="wrong_org_type",
        )
    existing = ProjectParticipant.objects.filter(project=project, organization=organization, role=role).first()
    if existing:
        return existing
    if role in SINGLE_PLACES and ProjectParticipant.objects.filter(project=project, role=role).exists():
        raise Conflict(_("The project already has its %(role)s.") % {"role": ParticipantRole(role).label},
                       code="place_taken")
    try:
        with transaction.atomic():
            participant = ProjectParticipant.objects.create(project=project, organization=organization, role=role)
    except IntegrityError as exc:  # a concurrent request took the place first
        raise Conflict(_("The project already has its %(role)s.") % {"role": ParticipantRole(role).label},
                       code="place_taken") from exc
    record(actor=actor, system=system, action="project.add_participant", obj=participant,
           after={"organization": str(organization.id), "role": role}, organization=organization, project=project)
    return participant


@transaction.atomic
def add_building(actor: Any, project: Project, *, system: str = "", **fields: Any) -> Building:
    if not _may_manage(actor, project):
        raise Forbidden(_("Only the construction unit or the EPC contractor may add buildings."), code="not_permitted")
    building = Building(project=project, **{k: v for k, v in fields.items() if k in BUILDING_FIELDS})
    _validated(building)
    building.save()
    record(actor=actor, system=system, action="building.add", obj=building, after=snapshot(building, BUILDING_FIELDS),
           project=project)
    return building
