from ninja import Router, Schema

from laoxiao.api.main import answers
from laoxiao.core import selectors
from laoxiao.core.scope import AuthedRequest

router = Router(tags=["areas"])


class AreaOut(Schema):
    code: str
    name: str
    level: str
    parent_id: str | None


class PopulationOut(Schema):
    year: int
    resident_total: int
    aged_60_plus: int
    aged_65_plus: int
    aged_80_plus: int
    under_3: int
    births: int


@router.get("/", response=answers({200: list[AreaOut]}, 422))
def list_areas(request: AuthedRequest, parent: str = "", level: str = "") -> object:
    return selectors.area_list(user=request.user, parent=parent or None, level=level or None)[:5000]


@router.get("/{code}", response=answers({200: AreaOut}, 404, 422))
def get_area(request: AuthedRequest, code: str) -> object:
    return selectors.area_get(user=request.user, code=code)


@router.get("/{code}/population", response=answers({200: list[PopulationOut]}, 404, 422))
def get_population(request: AuthedRequest, code: str) -> object:
    area = selectors.area_get(user=request.user, code=code)
    return selectors.population_stats(user=request.user, area=area)
