"""List pages: pagination that stays fast on large registries, and filtered xlsx export."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from laoxiao.core.tabular import export_xlsx

logger = logging.getLogger("laoxiao.export")

EXPORT_LIMIT = 200_000
MAX_PAGE_SIZE = 100  # the house rule: no list page shows more rows than this


class ListPage(Page):
    """A page that also carries the rest of the request's query, for the links and the page jump."""

    param = "page"
    query = ""
    hidden: Sequence[tuple[str, str]] = ()


class ListPaginator(Paginator):
    def _get_page(self, *args: Any, **kwargs: Any) -> ListPage:
        return ListPage(*args, **kwargs)


def paginate(
    request: HttpRequest, queryset: QuerySet[Any] | Sequence[Any], *, param: str = "page", per_page: int = 0
) -> ListPage:
    """One page of `queryset` (`param` names the page number, for a second paged section on a page)."""
    size = min(per_page or settings.LAOXIAO_PAGE_SIZE, MAX_PAGE_SIZE)
    page = ListPaginator(queryset, size).get_page(request.GET.get(param))
    assert isinstance(page, ListPage)
    page.param = param
    page.query = query_without_page(request, param)
    page.hidden = [(k, v) for k, values in request.GET.lists() if k != param for v in values]
    return page


def xlsx_response(
    *,
    request: HttpRequest,
    queryset: QuerySet[Any],
    headers: Sequence[str],
    row: Callable[[Any], Sequence[Any]],
    file_name: str,
) -> HttpResponse:
    """The filtered list as xlsx; who exported what (the filters are in the query) goes to the log."""
    logger.info("export %s by %s: %s", file_name, request.user, request.GET.urlencode() or "-")
    rows = (row(obj) for obj in queryset[:EXPORT_LIMIT].iterator(chunk_size=2000))
    return xlsx_attachment(export_xlsx(headers, rows, sheet_title=file_name[:31]), file_name)


def xlsx_attachment(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}.xlsx"
    return response


def query_without_page(request: HttpRequest, param: str = "page") -> str:
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()
