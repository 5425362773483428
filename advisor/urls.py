from __future__ import annotations

from django.contrib.auth.views import LogoutView
from django.urls import include, path

from advisor import health
from advisor.api import urls as api_urls
from advisor.editor.signin import SignInView
from advisor.web import urls as web_urls

handler400 = "advisor.api.errors.bad_request"
handler404 = "advisor.api.errors.not_found"
handler500 = "advisor.api.errors.server_error"

urlpatterns = [
    path("", include(web_urls)),
    path("editor/", include("advisor.editor.urls")),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("api/v1/", include(api_urls.v1)),
    path("api/", include(api_urls.docs)),
    path("healthz", health.healthz, name="healthz"),
    path("", include("advisor.web.compare_urls")),
    path("", include("advisor.web.rules_urls")),
]
