"""Reading the platform's own pages in tests, the way a user reads them."""

from __future__ import annotations

import re


def start_page_items(html: str) -> dict[str, tuple[int, str]]:
    """The start page's items as label -> (count, link)."""
    items = re.findall(r'<li class="[^"]*"><a href="([^"]+)"><span class="n">([\d,]+)</span><span>([^<]+)</span>', html)
    return {label: (int(n.replace(",", "")), url.replace("&amp;", "&")) for url, n, label in items}
