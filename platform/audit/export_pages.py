"""The auditor exports page (/audit/exports/): choose a scope, follow each export's progress, download it.

The page only reads and calls audit.exports; progress is polled from the export API by audit/static/audit/exports.js
(the site's CSP forbids inline scripts)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit import export_selectors, exports
from audit.models import AuditExport
from common.api import DomainError

_LOCAL_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


class ExportForm(forms.Form):
    organisation = forms.SlugField(label=_("Organisation"), max_length=80)
    subject = forms.CharField(
        label=_("Stream or other ledger subject (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example render_job:<id>; leave empty for the whole organisation."),
    )
    influencer = forms.UUIDField(label=_("Influencer id (optional)"), required=False)
    since = forms.DateTimeField(label=_("From (optional)"), required=False, input_formats=_LOCAL_INPUT)
    until = forms.DateTimeField(label=_("Until (optional)"), required=False, input_formats=_LOCAL_INPUT)
    include_media = forms.BooleanField(label=_("Include the segment files"), required=False)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _row(export: AuditExport, user: User) -> dict[str, Any]:
    url = None
    if export.status == AuditExport.Status.DONE:
        token = exports.download_token(export=export, user=user)
        url = reverse("ledger:ledger-export-download", args=[export.public_id]) + f"?token={token}"
    return {"export": export, "download_url": url}


@login_required
def exports_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    error = ""
    status = 200
    form = ExportForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            values = form.cleaned_data
            try:
                exports.request_export(
                    user=user,
                    organisation=values["organisation"],
                    subject=values["subject"],
                    influencer=str(values["influencer"]) if values["influencer"] else None,
                    since=values["since"],
                    until=values["until"],
                    include_media=values["include_media"],
                )
            except DomainError as exc:
                error, status = str(exc.detail), int(exc.status_code)
            else:
                return redirect("audit-exports:list")
        else:
            status = 400
    if not export_selectors.may_export(user) and not error:
        error, status = str(_("Exports are open to auditors of an organisation and to platform staff.")), 403
    context = {
        "form": form,
        "error": error,
        "organisations": export_selectors.exportable_organisations(user),
        "rows": [_row(export, user) for export in export_selectors.list_exports_for(user)[:50]]
        if export_selectors.may_export(user)
        else [],
        "link_minutes": exports.link_ttl_seconds() // 60,
        "active_nav": "audit",
    }
    return render(request, "audit/exports.html", context, status=status)
