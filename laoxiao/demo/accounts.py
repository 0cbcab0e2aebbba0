"""One demo account per role, scoped as a real bureau would scope it; passwords kept in var/."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.accounts.services import user_create
from laoxiao.assessments.models import Assessor
from laoxiao.core import areacode
from laoxiao.core.models import Area
from laoxiao.core.scope import area_range_q
from laoxiao.demo.homecare import demo_provider, demo_resident
from laoxiao.facilities.models import Facility, FacilityKind
from laoxiao.homecare.models import Caregiver, VisitPlan
from laoxiao.people.models import Guardianship, Person

ACCOUNTS_FILE = settings.PROJECT_DIR / "var" / "demo-accounts.txt"

# (username, role, area code or None, full name, department)
DEMO_USERS = (
    ("leading", Role.LEADING_OFFICE, "640100000000", "市一老一小领导小组办公室", "银川市发展和改革委员会"),
    ("civil-city", Role.CIVIL_AFFAIRS, "640100000000", "市民政局养老服务科", "银川市民政局"),
    ("civil-xingqing", Role.CIVIL_AFFAIRS, "640104000000", "兴庆区民政局", "兴庆区民政局"),
    ("civil-jinfeng", Role.CIVIL_AFFAIRS, "640106000000", "金凤区民政局", "金凤区民政局"),
    ("health", Role.HEALTH_COMMISSION, "640100000000", "市卫健委人口家庭科", "银川市卫生健康委员会"),
    ("street", Role.COMMUNITY_WORKER, "640104001000", "凤凰北街街道社工", "凤凰北街街道办事处"),
    ("inspector", Role.INSPECTOR, "640100000000", "市场监管执法人员", "银川市市场监督管理局"),
    ("hotline", Role.CALL_CENTRE, "640100000000", "12349热线坐席", "银川市12349养老服务热线"),
    ("admin", Role.ADMIN, "640100000000", "平台管理员", "银川市民政局信息中心"),
    ("operator", Role.INSTITUTION_OPERATOR, None, "养老院院长", ""),
    ("provider", Role.PROVIDER, None, "居家养老服务中心负责人", ""),
    ("caregiver", Role.PROVIDER, None, "居家养老护理员", ""),
    ("assessor", Role.ASSESSOR, None, "评估员（护士）", "银川市老年人能力评估中心"),
    ("assessor-2", Role.ASSESSOR, None, "评估员（评估师）", "银川市老年人能力评估中心"),
    ("resident", Role.RESIDENT, None, "老年人本人", ""),
    ("volunteer", Role.VOLUNTEER, None, "时间银行志愿者", ""),
)


def _password() -> str:
    return secrets.token_urlsafe(9)


def demo_accounts_ensure(*, prefix: str = "demo-") -> list[tuple[str, str, str]]:
    """Create the demo accounts that do not exist yet; returns (username, password, role) for all of them."""
    known = _read()
    result = []
    for name, role, area_code, full_name, department in DEMO_USERS:
        username = prefix + name
        if not User.objects.filter(username=username).exists():
            password = _password()
            organisations, person_id = _ties(role)
            user = user_create(
                username=username,
                password=password,
                role=role,
                area=Area.objects.get(code=area_code) if area_code else None,
                organisation_ids=organisations,
                person_id=person_id,
                full_name=full_name,
                department=department,
            )
            if role == Role.ASSESSOR and organisations:
                qualification = (
                    Assessor.Qualification.NURSE if name == "assessor" else Assessor.Qualification.ASSESSOR_CERTIFICATE
                )
                _take_over_assessor(user, organisations[0], qualification)
            if name == "caregiver" and organisations:
                _take_over_caregiver(user, organisations[0])
            if role == Role.VOLUNTEER:
                _take_over_visits(user)
            if role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            known[username] = password
        label = str(_("caregiver")) if name == "caregiver" else str(role.label)
        result.append((username, known.get(username, "(set before; see var/demo-accounts.txt)"), label))
    _write(known)
    return result


def _ties(role: Role) -> tuple[list[int], int | None]:
    if role == Role.INSTITUTION_OPERATOR:
        home = (
            Facility.objects.filter(kind=FacilityKind.CARE_HOME, status=Facility.Status.OPERATING)
            .order_by("id")
            .first()
        )
        return ([home.pk] if home else []), None
    if role == Role.ASSESSOR:
        agency = Facility.objects.filter(kind=FacilityKind.ASSESSMENT_AGENCY).order_by("id").first()
        return ([agency.pk] if agency else []), None
    if role == Role.PROVIDER:
        centre = Facility.objects.filter(kind=FacilityKind.HOME_CARE_PROVIDER).order_by("id").first()
        return ([centre.pk] if centre else []), None
    if role == Role.RESIDENT:
        provider = demo_provider()
        person = (demo_resident(provider) if provider else None) or Person.objects.filter(
            elderly_profile__isnull=False
        ).order_by("id").first()
        return [], person.pk if person else None
    if role == Role.VOLUNTEER:
        guardian = Guardianship.objects.order_by("id").first()
        return [], guardian.guardian_id if guardian else None
    return [], None


def _take_over_caregiver(user: User, provider_id: int) -> None:
    """The demo caregiver signs in as the provider's first caregiver, whose visits the demo has made."""
    caregiver = Caregiver.objects.filter(provider_id=provider_id).order_by("id").first()
    if caregiver is not None:
        Caregiver.objects.filter(pk=caregiver.pk).update(user=user)


VOLUNTEER_ROUND = 3  # older people the demo volunteer visits: of their community, then of their street


def _take_over_visits(user: User) -> None:
    """The demo volunteer takes over a few visit plans near home: their start page is that round."""
    person = user.person
    if person is None:
        return
    street = VisitPlan.objects.filter(
        area_range_q("area_id", areacode.prefix(person.area_id, "township")), ends_on__isnull=True
    ).order_by("id")
    chosen = list(street.filter(area_id=person.area_id).values_list("pk", flat=True)[:VOLUNTEER_ROUND])
    chosen += street.exclude(area_id=person.area_id).values_list("pk", flat=True)[: VOLUNTEER_ROUND - len(chosen)]
    VisitPlan.objects.filter(pk__in=chosen).update(visitor=user)


def _take_over_assessor(user: User, agency_id: int, qualification: str) -> None:
    """The demo assessor signs in as the agency's first assessor of their qualification, whose assessments
    the demo has made (demo/assessments.py); an agency without one gets a new assessor."""
    made = (
        Assessor.objects.filter(
            organisation_id=agency_id, qualification=qualification, user__username__startswith="assessor-"
        )
        .order_by("id")
        .first()
    )
    if made is None:
        Assessor.objects.create(user=user, organisation_id=agency_id, qualification=qualification, years_of_practice=6)
    else:
        Assessor.objects.filter(pk=made.pk).update(user=user)


def _read() -> dict[str, str]:
    if not ACCOUNTS_FILE.is_file():
        return {}
    pairs = (line.split()[:2] for line in ACCOUNTS_FILE.read_text(encoding="utf-8").splitlines() if line.strip())
    return {p[0]: p[1] for p in pairs if len(p) == 2}


def _write(known: dict[str, str]) -> None:
    ACCOUNTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    ACCOUNTS_FILE.write_text("".join(f"{u} {p}\n" for u, p in sorted(known.items())), encoding="utf-8")
    ACCOUNTS_FILE.chmod(0o600)
