"""Pages: the comment feed panel /streams/<id>/comments/ (a separate page until the console takes it in) and the
brand's FAQ quality page /streams/brands/<id>/faq-quality/. Static HTML plus interaction/static/interaction/
comments.js (the CSP forbids inline script): it refreshes the feed from the API, draws the viewer and order curves
on a canvas and posts the operator's replies."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from accounts.selectors import get_visible_organisation
from interaction.faq_quality import faq_quality
from interaction.feed_labels import label_feed_rows
from interaction.feed_selectors import comment_feed
from streaming import stream_selectors


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def comments(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    stream = stream_selectors.get_visible_stream(_user(request), public_id)
    feed = comment_feed(stream)
    label_feed_rows(feed["comments"])
    return render(
        request,
        "interaction/comments.html",
        {"stream": stream, "brand": stream.organisation, "feed": feed, "feed_json": feed},
    )


@login_required
def quality(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    brand = get_visible_organisation(_user(request), public_id)
    return render(request, "interaction/faq_quality.html", {"brand": brand, **faq_quality(brand)})
