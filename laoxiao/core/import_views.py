"""The import pages every registry shares: upload and report, then import all or valid rows."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from laoxiao.core.exporting import download, template_chunks, xlsx_chunks
from laoxiao.core.importing import (
    IMPORTERS,
    Importer,
    example_row,
    import_batch_commit,
    import_batch_create,
    rejected_rows,
)
from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.core.selectors import import_batch_get
from laoxiao.core.uploads import SealedUpload

REPORT_ROWS = 100  # problems listed on the page; the xlsx error report holds every rejected row


def upload(request: AuthedRequest, *, importer: Importer, title: str, batch_url: str) -> HttpResponse:
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if not isinstance(upload, SealedUpload):
            error = _("Choose a file to upload.")
        elif upload.too_large or upload.sealed is None:
            error = _("The file is larger than %(n)d MB; split it into smaller files.") % {
                "n": settings.LAOXIAO_UPLOAD_MAX_MB
            }
        else:
            try:
                batch = import_batch_create(
                    by=request.user,
                    importer=importer,
                    file_name=upload.name or "",
                    content=(upload.key_id, upload.sealed),
                )
            except ValidationError as exc:
                error = "; ".join(exc.message_dict.get("file", exc.messages))
            else:
                return redirect(batch_url, batch_id=batch.pk)
    return render(request, "core/import_upload.html", {"title": title, "importer": importer, "error": error})


def batch(request: AuthedRequest, *, importer: Importer, batch_id: int, title: str, list_url: str) -> HttpResponse:
    item = import_batch_get(user=request.user, kind=importer.kind, pk=batch_id)
    if request.method == "POST":
        try:
            item = import_batch_commit(
                by=request.user,
                importer=importer,
                batch=item,
                valid_only=request.POST.get("valid_only") == "1",
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.message_dict.get("file", exc.messages)))
            return redirect(request.path)
        messages.success(request, _("%(n)d rows imported.") % {"n": item.rows_imported})
        return redirect(list_url)
    shown = item.errors[:REPORT_ROWS]
    return render(
        request,
        "core/import_batch.html",
        {"title": title, "batch": item, "errors": shown, "more": len(item.errors) - len(shown)},
    )


def template(importer: Importer, file_name: str) -> HttpResponse:
    """A registry's own template URL: the shared download, which builds the example for the user."""
    return redirect(reverse("imports:template", args=[importer.kind]) + "?" + urlencode({"name": file_name}))


def _importer(request: AuthedRequest, kind: str) -> Importer:
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise Http404
    if not request.user.has_role_permission(importer.permission):
        raise PermissionDenied
    return importer


@scoped_view()
def template_download(request: AuthedRequest, kind: str) -> HttpResponseBase:
    """The template with an example row that passes for this user (an area code of their scope)."""
    importer = _importer(request, kind)
    name = (request.GET.get("name") or _("import template"))[:31]
    return download(template_chunks(importer.columns, name, example_row(importer, request.user)), f"{name}.xlsx")


@scoped_view()
def error_report(request: AuthedRequest, kind: str, batch_id: int) -> HttpResponseBase:
    """The rejected rows of an uploaded file with a column naming each problem, to correct and re-upload."""
    importer = _importer(request, kind)
    item = import_batch_get(user=request.user, kind=kind, pk=batch_id)
    try:
        headers, rows = rejected_rows(importer, item)
    except ValidationError as exc:  # the kept file was deleted after LAOXIAO_IMPORT_KEEP_DAYS
        context = {"title": _("The rejected rows are no longer available"), "explanation": exc.messages[0]}
        return render(request, "error.html", context, status=410)
    name = _("rejected rows") + f"-{item.pk}"
    return download(xlsx_chunks(headers, rows, title=name), f"{name}.xlsx")
