"""What the brand does with published work besides watching it: verify a segment's provenance (the stream
verifier and its ledger entry, render/provenance.py), shown as sentences. Every reader of the job may verify
(auditors included): it reads and changes nothing. A POST, since it reads every file of the stream."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from accounts.models import User
from render import selectors
from render.provenance import verify_segment


@login_required
@require_POST
def segment_verify(request: HttpRequest, job_id: str, sequence: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    job = selectors.get_visible_job(user, job_id)
    segment = selectors.list_segments(job).filter(sequence=sequence).first()
    if segment is None:
        raise Http404("No such segment.")
    context = {"job": job, "verdict": verify_segment(segment), "active_nav": "render"}
    return render(request, "render/segment_verification.html", context)
