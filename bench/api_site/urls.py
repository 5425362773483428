"""The app's URLs and error handlers, plus the two reference views the API is compared with."""

from __future__ import annotations

from django.urls import path

from advisor.urls import handler400, handler404, handler500
from advisor.urls import urlpatterns as app_urlpatterns
from bench.api_site import views

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]

urlpatterns = [
    *app_urlpatterns,
    path("bench/bare", views.bare_json, name="bench-bare"),
    path("bench/drf", views.SerializerApi.as_view(), name="bench-drf"),
]
