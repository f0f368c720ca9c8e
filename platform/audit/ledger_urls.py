"""The ledger browser's pages. Included with `path("ledger/", include("audit.ledger_urls"))` in config/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from audit import ledger_pages

app_name = "ledger-pages"
urlpatterns: list[URLPattern] = [
    path("", ledger_pages.event_list, name="events"),
    path("events/<int:pk>/", ledger_pages.event_detail, name="event"),
    path("events/<int:pk>/verify/", ledger_pages.event_verify, name="event-verify"),
]
