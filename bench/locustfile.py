"""Locust users for bench/bench_load.py: the API's endpoints beside a bare Django view.

Each user loops without waiting (saturation). Every 201 of POST /api/v1/assessments is kept
(id and body) and written to BENCH_WRITES_FILE when the run stops, so bench_load.py can read
each one back and compare. Tags pick one endpoint for the throughput comparison runs.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, events, tag, task

from bench.answer_sets import ANSWER_SETS

BODIES = [json.dumps({"answers": answers}) for answers in ANSWER_SETS.values()]
HEADERS = {"Content-Type": "application/json"}
WRITES: list[tuple[str, str]] = []


class Visitor(FastHttpUser):
    @tag("questionnaire")
    @task(2)
    def questionnaire(self) -> None:
        self.client.get("/api/v1/questionnaire", name="GET questionnaire")

    @tag("recommendations")
    @task(3)
    def recommend(self) -> None:
        self.client.post(
            "/api/v1/recommendations?what_if=false",
            data=random.choice(BODIES),
            headers=HEADERS,
            name="POST recommendations (no what-if)",
        )

    @tag("assessments")
    @task(1)
    def store(self) -> None:
        with self.client.post(
            "/api/v1/assessments",
            data=random.choice(BODIES),
            headers=HEADERS,
            name="POST assessments",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                WRITES.append((response.json()["id"], response.text))
                response.success()
            else:
                response.failure(f"status {response.status_code}")

    @tag("assessments")
    @task(2)
    def read(self) -> None:
        if WRITES:
            assessment_id = random.choice(WRITES)[0]
            self.client.get(f"/api/v1/assessments/{assessment_id}", name="GET assessment")

    @tag("assessments")
    @task(1)
    def diagram(self) -> None:
        if WRITES:  # the first few stored assessments: their pictures are in the cache
            assessment_id = WRITES[random.randrange(min(len(WRITES), 5))][0]
            self.client.get(
                f"/api/v1/assessments/{assessment_id}/diagram.svg", name="GET diagram SVG (cached)"
            )

    @tag("bare")
    @task(3)
    def bare(self) -> None:
        self.client.post(
            "/bench/bare", data=random.choice(BODIES), headers=HEADERS, name="POST bare view"
        )


@events.test_stop.add_listener
def save_writes(**_: object) -> None:
    target = os.environ.get("BENCH_WRITES_FILE")
    if target:
        Path(target).write_text("\n".join(json.dumps(write) for write in WRITES))
