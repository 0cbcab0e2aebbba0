from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from laoxiao.api.main import Paged, answers, require
from laoxiao.core.identifiers import age_on
from laoxiao.core.scope import AuthedRequest
from laoxiao.people import selectors, services
from laoxiao.people.models import ElderlyProfile, Person

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    name: str
    id_number_masked: str
    phone_masked: str
    sex: str
    age: int  # not the birth date: beside the masked ID it would give the number away
    address: str
    area_id: str
    latitude: Decimal | None
    longitude: Decimal | None
    status: str
    categories: list[str]
    ability_level: int | None

    @staticmethod
    def resolve_age(obj: Person) -> int:
        return age_on(obj.birth_date, timezone.localdate())

    @staticmethod
    def resolve_categories(obj: Person) -> list[str]:
        profile = _profile(obj)
        return [c.value for c in profile.categories()] if profile else []

    @staticmethod
    def resolve_ability_level(obj: Person) -> int | None:
        profile = _profile(obj)
        return profile.ability_level if profile else None


def _profile(obj: Person) -> ElderlyProfile | None:
    try:
        return obj.elderly_profile
    except ElderlyProfile.DoesNotExist:
        return None


class PersonIn(Schema):
    name: str
    id_number: str
    area_code: str
    phone: str = ""
    address: str = ""
    latitude: str | None = None
    longitude: str | None = None
    categories: list[str] = []
    ability_level: int | None = None


class PersonPatch(Schema):
    name: str
    area_code: str
    phone: str | None = None
    address: str = ""
    latitude: str | None = None
    longitude: str | None = None
    categories: list[str] = []
    ability_level: int | None = None
    status: str | None = None


class PersonQuery(Schema):
    kind: str = "all"
    q: str = ""
    area: str = ""
    category: str = ""
    status: str = "active"


@router.get("/", response=answers({200: list[PersonOut]}, 403, 422))
@paginate(Paged)
def list_people(request: AuthedRequest, filters: Query[PersonQuery]) -> object:
    require(request, "person.view")
    return selectors.person_list(user=request.user, filters=selectors.PersonFilter(**filters.dict()))


@router.get("/{pk}", response=answers({200: PersonOut}, 403, 404, 422))
def get_person(request: AuthedRequest, pk: int) -> object:
    require(request, "person.view")
    return selectors.person_get(user=request.user, pk=pk)


@router.post("/", response=answers({201: PersonOut}, 400, 403, 422))
def create_person(request: AuthedRequest, payload: PersonIn) -> object:
    require(request, "person.edit")
    return Status(201, services.person_create(by=request.user, **payload.dict()))


@router.put("/{pk}", response=answers({200: PersonOut}, 400, 403, 404, 422))
def update_person(request: AuthedRequest, pk: int, payload: PersonPatch) -> object:
    require(request, "person.edit")
    person = selectors.person_get(user=request.user, pk=pk)
    services.person_update(by=request.user, person=person, **payload.dict())
    return selectors.person_get(user=request.user, pk=pk)
