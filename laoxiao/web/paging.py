"""List pages: pagination that stays fast on large registries, and filtered xlsx export."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.functional import cached_property

from laoxiao.core.exporting import download, xlsx_chunks
from laoxiao.core.scope import AuthedRequest
from laoxiao.core.services import export_record

logger = logging.getLogger("laoxiao.export")

EXPORT_LIMIT = 200_000
MAX_PAGE_SIZE = 100  # the house rule: no list page shows more rows than this


class ListPage(Page):
    """A page that also carries the rest of the request's query, for the links and the page jump."""

    param = "page"
    query = ""
    hidden: Sequence[tuple[str, str]] = ()


class ListPaginator(Paginator):
    """Counts a list no further than LAOXIAO_LIST_COUNT_CAP rows, as large registries do ("more than
    10,000"): an exact count of a city's register reads all of it on every page, while nobody pages past
    the first few hundred rows of a list that long; they filter it, or export it."""

    capped = False

    def _get_page(self, *args: Any, **kwargs: Any) -> ListPage:
        return ListPage(*args, **kwargs)

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        cap = settings.LAOXIAO_LIST_COUNT_CAP
        counted = self.object_list.order_by()[: cap + 1].count()
        self.capped = counted > cap
        return min(counted, cap)


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


def list_export(
    *,
    request: AuthedRequest,
    kind: str,
    filters: str,
    headers: Sequence[object],
    rows: Iterable[Sequence[Any]],
    count: int,
) -> StreamingHttpResponse:
    """A filtered list as a streamed xlsx of at most EXPORT_LIMIT rows, logged first (who, which list and
    filter, how many rows) in the export log and the `laoxiao.export` logger."""
    count = min(count, EXPORT_LIMIT)
    entry = export_record(by=request.user, kind=kind, filters=filters, rows=count)
    logger.info("export %s by %s: %s rows, %s", kind, request.user, count, entry.filters or "-")
    return download(xlsx_chunks(headers, islice(rows, count), title=kind), f"{kind}.xlsx")


def query_without_page(request: HttpRequest, param: str = "page") -> str:
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()
