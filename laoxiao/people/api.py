from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator, model_validator

from laoxiao.api.main import Paged, answers, require
from laoxiao.core.identifiers import IDENTIFYING, age_on
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


class PersonSearch(Schema):
    kind: str = "all"
    q: str = ""
    area: str = ""
    category: str = ""
    status: str = "active"

    @model_validator(mode="wrap")
    @classmethod
    def an_object(cls, data: Any, handler: Any) -> Any:
        # Every field has a default, and a Schema reads attributes: a JSON list would pass as "no filter".
        if data is None or isinstance(data, list | str | int | float | bool):
            raise ValueError("the filters are a JSON object")
        return handler(data)


class PersonQuery(PersonSearch):
    @field_validator("q")
    @classmethod
    def not_identifying(cls, value: str) -> str:
        if IDENTIFYING.search(value):  # a URL is written to access logs
            raise ValueError("search by ID number or phone with POST /api/v1/people/search")
        return value


@router.get("/", response=answers({200: list[PersonOut]}, 403, 422))
@paginate(Paged)
def list_people(request: AuthedRequest, filters: Query[PersonQuery]) -> object:
    require(request, "person.view")
    return selectors.person_list(user=request.user, filters=selectors.PersonFilter(**filters.dict()))


@router.post("/search", response=answers({200: list[PersonOut]}, 400, 403, 422))
@paginate(Paged)
def search_people(request: AuthedRequest, filters: PersonSearch) -> object:
    """The list with its filters in the body: how to search by an ID number or phone."""
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
