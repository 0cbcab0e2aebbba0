"""Searches by an identifier leave the browser by POST and come back as a token: the ID number or phone
never stands in a URL, where access logs, proxies and the browser's history would keep it. The typed
text waits in the session sealed (SM4), for the list's pages and its export, and only for this user."""

from __future__ import annotations

import secrets

from django.http import HttpRequest, QueryDict

from laoxiao.core import crypto
from laoxiao.core.identifiers import IDENTIFYING

SESSION_KEY = "searches"
TOKEN_PARAM = "s"
KEPT = 20  # a user's latest searches stay usable (back button, an export after paging); older ones lapse


def search_redirect_query(request: HttpRequest, field: str = "q") -> str:
    """The posted filters as a query string for the redirect, the identifying text replaced by a token."""
    query = request.POST.copy()
    query.pop("csrfmiddlewaretoken", None)
    text = query.get(field, "")
    if IDENTIFYING.search(text):
        token = secrets.token_urlsafe(9)
        searches = dict(request.session.get(SESSION_KEY, {}))
        searches[token] = crypto.encrypt(text)
        request.session[SESSION_KEY] = dict(list(searches.items())[-KEPT:])
        query.pop(field)
        query[TOKEN_PARAM] = token
    return query.urlencode()


def search_data(request: HttpRequest, field: str = "q") -> QueryDict | None:
    """The list's filters from its URL, a token turned back into what was typed; None when the token
    has lapsed (another session, or too many searches since)."""
    data = request.GET.copy()
    token = data.pop(TOKEN_PARAM, [""])[-1]
    if not token:
        return data
    sealed = request.session.get(SESSION_KEY, {}).get(token)
    if sealed is None:
        return None
    data[field] = crypto.decrypt(sealed)
    return data
