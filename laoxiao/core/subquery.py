"""Counting related rows inside one query, for lists that show a count per row."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def row_count(rows: QuerySet[Any], link: str) -> Coalesce:
    """How many of `rows` point at each listed row, as a correlated subquery: computed for the rows of
    one page only, and left out of the page count (a joined Count would group the whole scope)."""
    counted = rows.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)
