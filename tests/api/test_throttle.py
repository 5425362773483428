"""The anonymous write throttle on POST /api/v1/assessments (SECURITY.md row 17)."""

from __future__ import annotations

import pytest

from advisor.models import Assessment

URL = "/api/v1/assessments"
BODY = {"answers": {"clients": ["web"], "backend_teams": 1, "architecture_style": "monolith"}}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_per_minute(settings):
    # A new dict, so setting_changed fires and DRF reloads its api_settings.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"writes": "3/minute"},
    }


def create(client, **extra):
    return client.post(URL, BODY, content_type="application/json", **extra)


def test_the_fourth_write_in_a_minute_is_a_429_with_retry_after(client):
    assert [create(client).status_code for _ in range(3)] == [201, 201, 201]

    response = create(client)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["message"]
    assert Assessment.objects.count() == 3


def test_a_forged_x_forwarded_for_does_not_reset_the_limit(client):
    statuses = [
        create(client, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, 198.51.100.{i}").status_code
        for i in range(1, 7)
    ]

    assert statuses == [201, 201, 201, 429, 429, 429]


def test_the_limit_is_per_client_address(client):
    for _ in range(3):
        create(client)
    assert create(client).status_code == 429

    assert create(client, REMOTE_ADDR="192.0.2.10").status_code == 201


def test_recommendations_store_nothing_and_are_not_throttled(client):
    statuses = {
        client.post("/api/v1/recommendations", BODY, content_type="application/json").status_code
        for _ in range(6)
    }

    assert statuses == {200}


def test_invalid_writes_count_too(client):
    for _ in range(3):
        bad = client.post(URL, {"answers": {"clients": "web"}}, content_type="application/json")
        assert bad.status_code == 400

    assert create(client).status_code == 429
