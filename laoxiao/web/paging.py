"""List pages: pagination that stays fast on large registries, and filtered xlsx export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from laoxiao.core.tabular import export_xlsx

EXPORT_LIMIT = 200_000


def paginate(request: HttpRequest, queryset: QuerySet[Any]) -> Page:
    paginator = Paginator(queryset, settings.LAOXIAO_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def xlsx_response(
    *, queryset: QuerySet[Any], headers: Sequence[str], row: Callable[[Any], Sequence[Any]], file_name: str
) -> HttpResponse:
    rows = (row(obj) for obj in queryset[:EXPORT_LIMIT].iterator(chunk_size=2000))
    return xlsx_attachment(export_xlsx(headers, rows, sheet_title=file_name[:31]), file_name)


def xlsx_attachment(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}.xlsx"
    return response


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
