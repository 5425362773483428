"""The app's URLs and error handlers, plus the bare template page the result page is compared
with."""

from __future__ import annotations

from django.urls import path

from advisor.urls import handler400, handler404, handler500
from advisor.urls import urlpatterns as app_urlpatterns
from bench.web_site import views

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]

urlpatterns = [
    *app_urlpatterns,
    path("bench/page", views.bare_page, name="bench-page"),
]
