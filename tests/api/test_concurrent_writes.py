"""Assessments stored in parallel: every 201 is stored once, and reads back as it was answered.

Run on SQLite by `make test` and on PostgreSQL by `make test-postgres` (a real connection per
thread, committed transactions).
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client

from advisor.models import Assessment
from advisor.packs import default_rules_path, import_pack

THREADS = 6
WRITES_PER_THREAD = 5


@pytest.fixture
def many_writes_allowed(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"writes": "10000/minute"},
    }


def write_some(thread: int) -> list[tuple[str, dict]]:
    """Store assessments from one thread; (id, body of the 201) for each."""
    client = Client()
    stored = []
    try:
        for n in range(WRITES_PER_THREAD):
            answers = {"project_name": f"t{thread}-{n}", "backend_teams": thread * 10 + n + 1}
            response = client.post(
                "/api/v1/assessments", {"answers": answers}, content_type="application/json"
            )
            assert response.status_code == 201, response.content
            stored.append((response.json()["id"], response.json()))
    finally:
        connections.close_all()
    return stored


@pytest.mark.django_db(transaction=True)
def test_parallel_writes_are_all_stored_and_read_back_identical(many_writes_allowed):
    import_pack(default_rules_path())

    with ThreadPoolExecutor(THREADS) as pool:
        created = [item for batch in pool.map(write_some, range(THREADS)) for item in batch]

    client = Client()
    assert len({assessment_id for assessment_id, _ in created}) == THREADS * WRITES_PER_THREAD
    assert Assessment.objects.count() == THREADS * WRITES_PER_THREAD
    for assessment_id, body in created:
        read = client.get(f"/api/v1/assessments/{assessment_id}")
        assert json.loads(read.content) == body
