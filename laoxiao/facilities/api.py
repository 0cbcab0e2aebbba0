from decimal import Decimal

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from laoxiao.api.main import Paged, answers, require
from laoxiao.core.scope import AuthedRequest
from laoxiao.facilities import selectors, services

router = Router(tags=["facilities"])


class FacilityOut(Schema):
    id: int
    kind: str
    name: str
    uscc: str | None
    ownership: str
    operator_name: str
    profit_status: str
    is_inclusive: bool
    status: str
    address: str
    area_id: str
    latitude: Decimal | None
    longitude: Decimal | None
    floor_area_m2: Decimal | None
    beds_total: int
    beds_nursing: int
    beds_inclusive: int
    beds_occupied: int
    places_total: int
    places_inclusive: int
    enrolled: int
    filing_status: str
    has_clinic: bool


class FacilityIn(Schema):
    name: str
    kind: str
    ownership: str
    profit_status: str
    address: str
    area_code: str
    uscc: str = ""
    operator_name: str = ""
    is_inclusive: bool = False
    status: str = "operating"
    latitude: str | None = None
    longitude: str | None = None
    phone: str = ""
    floor_area_m2: str | None = None
    beds_total: int = 0
    beds_nursing: int = 0
    beds_inclusive: int = 0
    beds_occupied: int = 0
    places_total: int = 0
    places_inclusive: int = 0
    enrolled: int = 0
    filing_status: str = "not_filed"
    has_clinic: bool = False


class FacilityQuery(Schema):
    kind: str = ""
    q: str = ""
    area: str = ""
    status: str = ""


@router.get("/", response=answers({200: list[FacilityOut]}, 403, 422))
@paginate(Paged)
def list_facilities(request: AuthedRequest, filters: Query[FacilityQuery]) -> object:
    require(request, "facility.view")
    return selectors.facility_list(user=request.user, filters=selectors.FacilityFilter(**filters.dict()))


@router.get("/{pk}", response=answers({200: FacilityOut}, 403, 404, 422))
def get_facility(request: AuthedRequest, pk: int) -> object:
    require(request, "facility.view")
    return selectors.facility_get(user=request.user, pk=pk)


@router.post("/", response=answers({201: FacilityOut}, 400, 403, 422))
def create_facility(request: AuthedRequest, payload: FacilityIn) -> object:
    require(request, "facility.register")
    return Status(201, services.facility_create(by=request.user, values=payload.dict()))


@router.put("/{pk}", response=answers({200: FacilityOut}, 400, 403, 404, 422))
def update_facility(request: AuthedRequest, pk: int, payload: FacilityIn) -> object:
    require(request, "facility.edit")
    facility = selectors.facility_get(user=request.user, pk=pk)
    return services.facility_update(by=request.user, facility=facility, values=payload.dict())
