from __future__ import annotations

from django.urls import include, path

from advisor.api import urls as api_urls
from advisor.web import urls as web_urls

handler400 = "advisor.api.errors.bad_request"
handler404 = "advisor.api.errors.not_found"
handler500 = "advisor.api.errors.server_error"

urlpatterns = [
    path("", include(web_urls)),
    path("api/v1/", include(api_urls.v1)),
    path("api/", include(api_urls.docs)),
]
