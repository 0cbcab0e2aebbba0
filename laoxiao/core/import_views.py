"""The import pages every registry shares: upload and report, then import all or valid rows."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from laoxiao.core.importing import Importer, import_batch_commit, import_batch_create
from laoxiao.core.models import ImportBatch
from laoxiao.core.scope import AuthedRequest
from laoxiao.core.tabular import template_xlsx
from laoxiao.web.paging import xlsx_attachment

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def upload(request: AuthedRequest, *, importer: Importer, title: str, batch_url: str) -> HttpResponse:
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a file to upload.")
        elif upload.size and upload.size > MAX_UPLOAD_BYTES:
            error = _("The file is larger than 50 MB; split it into smaller files.")
        else:
            try:
                batch = import_batch_create(
                    by=request.user,
                    importer=importer,
                    file_name=upload.name or "",
                    content=upload.read(),
                )
            except ValidationError as exc:
                error = "; ".join(exc.message_dict.get("file", exc.messages))
            else:
                return redirect(batch_url, batch_id=batch.pk)
    return render(request, "core/import_upload.html", {"title": title, "importer": importer, "error": error})


def batch(request: AuthedRequest, *, importer: Importer, batch_id: int, title: str, list_url: str) -> HttpResponse:
    item = get_object_or_404(ImportBatch, pk=batch_id, created_by=request.user, kind=importer.kind)
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
    return render(request, "core/import_batch.html", {"title": title, "batch": item})


def template(importer: Importer, file_name: str) -> HttpResponse:
    return xlsx_attachment(template_xlsx(importer.columns, sheet_title=file_name), file_name)
