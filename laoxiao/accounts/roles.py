"""Roles of product.md and what each may do. Which rows they see is the scope's business (core.scope)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADING_OFFICE = "leading_office", _("leading-group office")
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs staff")
    HEALTH_COMMISSION = "health_commission", _("health commission staff")
    COMMUNITY_WORKER = "community_worker", _("street / community worker")
    INSTITUTION_OPERATOR = "institution_operator", _("institution operator")
    PROVIDER = "provider", _("service provider")
    ASSESSOR = "assessor", _("assessor")
    INSPECTOR = "inspector", _("inspector")
    CALL_CENTRE = "call_centre", _("call-centre operator")
    RESIDENT = "resident", _("elderly person / family / parent")
    VOLUNTEER = "volunteer", _("volunteer")
    ADMIN = "admin", _("platform administrator")


AREA_ROLES = frozenset(
    {
        Role.LEADING_OFFICE,
        Role.CIVIL_AFFAIRS,
        Role.HEALTH_COMMISSION,
        Role.COMMUNITY_WORKER,
        Role.INSPECTOR,
        Role.CALL_CENTRE,
        Role.ADMIN,
    }
)
ORGANISATION_ROLES = frozenset({Role.INSTITUTION_OPERATOR, Role.PROVIDER, Role.ASSESSOR})
SELF_ROLES = frozenset({Role.RESIDENT, Role.VOLUNTEER})
# The kinds of organisation (facilities.FacilityKind values; the facilities app imports this module) each
# organisation role works for.
ROLE_ORGANISATION_KINDS = {
    Role.ASSESSOR: frozenset({"assessment_agency"}),
    Role.PROVIDER: frozenset({"home_care_provider"}),
    Role.INSTITUTION_OPERATOR: frozenset(
        {
            "care_home",
            "community_center",
            "day_care_center",
            "rural_happiness_house",
            "meal_point",
            "childcare_center",
            "nursery_class",
            "home_childcare_point",
            "elderly_school",
        }
    ),
}

_REGISTRY_STAFF = {Role.CIVIL_AFFAIRS, Role.HEALTH_COMMISSION, Role.COMMUNITY_WORKER, Role.ADMIN}

PERMISSIONS: dict[str, frozenset[str]] = {
    "person.view": frozenset(
        _REGISTRY_STAFF
        | {Role.LEADING_OFFICE, Role.INSTITUTION_OPERATOR, Role.CALL_CENTRE, Role.INSPECTOR}
        | SELF_ROLES  # their own record and their household's (the scope sees to it)
    ),
    # The registry as a list, with its export: staff only; residents and families start on their own page.
    "person.list": frozenset(
        _REGISTRY_STAFF | {Role.LEADING_OFFICE, Role.INSTITUTION_OPERATOR, Role.CALL_CENTRE, Role.INSPECTOR}
    ),
    "person.edit": frozenset(_REGISTRY_STAFF),
    "person.reveal": frozenset(_REGISTRY_STAFF | {Role.CALL_CENTRE}),
    "person.import": frozenset({Role.CIVIL_AFFAIRS, Role.HEALTH_COMMISSION, Role.ADMIN}),
    # Who exported what (core.ExportLog); shown to city-level users only (core.selectors.export_log_visible).
    "export.log": frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN}),
    # API tokens are for staff and the systems they connect: residents, families and volunteers use the pages.
    "account.own_tokens": frozenset(set(Role) - SELF_ROLES),
    "facility.view": frozenset(
        _REGISTRY_STAFF | {Role.LEADING_OFFICE, Role.INSTITUTION_OPERATOR, Role.INSPECTOR, Role.CALL_CENTRE}
    ),
    "facility.edit": frozenset({Role.CIVIL_AFFAIRS, Role.HEALTH_COMMISSION, Role.INSTITUTION_OPERATOR, Role.ADMIN}),
    # Registering a new institution places it in an area, so only an area role may: an operator's scope is
    # its own institutions (it edits them), the civil affairs office registers new ones.
    "facility.register": frozenset({Role.CIVIL_AFFAIRS, Role.HEALTH_COMMISSION, Role.ADMIN}),
    "facility.import": frozenset({Role.CIVIL_AFFAIRS, Role.HEALTH_COMMISSION, Role.ADMIN}),
    "area.view": frozenset(AREA_ROLES),
    "overview.view": frozenset(AREA_ROLES | {Role.INSTITUTION_OPERATOR}),
    "assessment.view": frozenset(_REGISTRY_STAFF | {Role.LEADING_OFFICE, Role.ASSESSOR, Role.INSTITUTION_OPERATOR}),
    "assessment.request": frozenset(_REGISTRY_STAFF | {Role.INSTITUTION_OPERATOR}),
    "assessment.assign": frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN}),
    "assessment.assess": frozenset({Role.ASSESSOR}),
    "assessment.review": frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN}),
    "assessment.import": frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN}),
    "assessment.configure": frozenset({Role.ADMIN}),
    "plan.view": frozenset(AREA_ROLES - {Role.CALL_CENTRE}),
    "benefit.view": frozenset(
        {
            Role.CIVIL_AFFAIRS,
            Role.LEADING_OFFICE,
            Role.HEALTH_COMMISSION,
            Role.ADMIN,
            Role.COMMUNITY_WORKER,
            Role.INSTITUTION_OPERATOR,
        }
    ),
    "benefit.run": frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN}),
    "benefit.approve": frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN}),
    "benefit.apply": frozenset({Role.INSTITUTION_OPERATOR, Role.CIVIL_AFFAIRS, Role.COMMUNITY_WORKER, Role.ADMIN}),
    "benefit.review": frozenset({Role.COMMUNITY_WORKER, Role.CIVIL_AFFAIRS, Role.ADMIN}),
    "benefit.configure": frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN}),
    "plan.report": frozenset({Role.LEADING_OFFICE, Role.CIVIL_AFFAIRS, Role.HEALTH_COMMISSION, Role.ADMIN}),
    "area.edit": frozenset({Role.ADMIN, Role.LEADING_OFFICE}),
    "account.tokens": frozenset({Role.ADMIN}),
    # create, change, disable and reset the accounts of the area (a district's administrator, their district's)
    "account.manage": frozenset({Role.ADMIN}),  # see and revoke the API tokens of every user in the area
    "homecare.view": frozenset(
        {
            Role.CIVIL_AFFAIRS,
            Role.LEADING_OFFICE,
            Role.COMMUNITY_WORKER,
            Role.CALL_CENTRE,
            Role.PROVIDER,
            Role.RESIDENT,
            Role.INSPECTOR,
            Role.ADMIN,
        }
    ),
    "homecare.order": frozenset(
        {Role.COMMUNITY_WORKER, Role.CALL_CENTRE, Role.CIVIL_AFFAIRS, Role.RESIDENT, Role.ADMIN}
    ),
    "homecare.provide": frozenset({Role.PROVIDER}),
    "homecare.configure": frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN}),
    "homecare.settle": frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN}),
    # a provider's monthly statements: its manager and the bureau that pays it (a caregiver is refused in the view)
    "homecare.statements": frozenset({Role.CIVIL_AFFAIRS, Role.PROVIDER, Role.ADMIN}),
    "homecare.supervise": frozenset({Role.INSPECTOR, Role.CIVIL_AFFAIRS, Role.ADMIN}),
    "homecare.visit": frozenset({Role.COMMUNITY_WORKER, Role.VOLUNTEER, Role.CIVIL_AFFAIRS, Role.ADMIN}),
    "homecare.meals": frozenset(
        {Role.INSTITUTION_OPERATOR, Role.PROVIDER, Role.COMMUNITY_WORKER, Role.CIVIL_AFFAIRS, Role.ADMIN}
    ),
    "homecare.beds": frozenset({Role.COMMUNITY_WORKER, Role.CIVIL_AFFAIRS, Role.PROVIDER, Role.ADMIN}),
    "alert.view": frozenset({Role.CALL_CENTRE, Role.COMMUNITY_WORKER, Role.CIVIL_AFFAIRS, Role.ADMIN}),
}


# Why a role is refused a page, where the general "your role may not open this page" would not say it.
REFUSALS = {
    "account.own_tokens": _(
        "API tokens let another system read the platform with a staff member's rights; the accounts of residents, "
        "families and volunteers have none. Use the pages of the platform instead."
    ),
    "task.report": _(
        "A task of a plan is reported on by its lead and supporting departments, as the plan names them, and by "
        "the leading-group office, which coordinates every task."
    ),
    "facility.register": _(
        "New institutions are registered by the civil affairs office of their area. An operator edits its own "
        "institutions from their pages; ask the civil affairs office to register a new one."
    ),
}
