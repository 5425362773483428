"""The comparison page, growth copies and re-runs, through Django's test client."""

from __future__ import annotations

import re

import pytest

from advisor import services
from advisor.models import Assessment
from tests.conftest import ONE_WEB_APP

pytestmark = pytest.mark.django_db

GROWN_TRAFFIC = {**ONE_WEB_APP, "peak_rps": 800}


def stored(answers: dict) -> Assessment:
    return services.create_assessment(answers=answers)


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    return response.content.decode()


def test_differences_come_first_with_the_rules_that_made_them(client):
    a = stored(ONE_WEB_APP)
    b = stored({**ONE_WEB_APP, "architecture_style": "microservices"})

    html = page(client, f"/compare/?a={a.id}&b={b.id}")

    differ = html.index('id="differ-title"')
    same = html.index('id="same-title"')
    assert differ < html.index('id="differs-service_communication"') < same
    assert 'href="/rules/network-calls-between-microservices/"' in html
    assert "How is the backend structured" in html[html.index('id="answers-title"') :]
    assert f"/compare/?a={a.id}&amp;b={b.id}" in html  # the permalink
    assert html.count('class="diagram-frame"') == 2 and html.count("<svg") >= 2


def test_identical_assessments_say_so(client):
    a, b = stored(ONE_WEB_APP), stored(ONE_WEB_APP)

    html = page(client, f"/compare/?a={a.id}&b={b.id}")

    assert 'id="no-difference"' in html
    assert "These two results are identical" in html
    assert 'id="differs-' not in html
    assert 'id="answers-title"' not in html


def test_without_ids_the_page_asks_for_two_results(client):
    html = page(client, "/compare/")

    assert 'name="a"' in html and 'name="b"' in html


def test_an_unknown_id_is_a_404_that_says_which(client):
    a = stored(ONE_WEB_APP)

    html = page(client, f"/compare/?a={a.id}&b=AAAAAAAAAAAAAAAAAAAAAA", status=404)

    assert 'id="error_b"' in html and 'id="error_a"' not in html
    assert "No result has this id" in html


def test_a_traffic_growth_copy_keeps_every_answer_but_peak_traffic(client):
    original = stored(GROWN_TRAFFIC)

    response = client.post(f"/a/{original.id}/grow/traffic/")

    copy = Assessment.objects.exclude(id=original.id).get()
    assert response.status_code == 302
    assert response["Location"] == f"/compare/?a={original.id}&b={copy.id}"
    assert copy.id != original.id
    assert (copy.parent_id, copy.origin) == (original.id, Assessment.Origin.GROWN)
    assert copy.answers == {**original.answers, "peak_rps": 8000}
    assert copy.pack_version == original.pack_version
    html = page(client, response["Location"])
    assert "After growing" in html and "8,000" in html


def test_a_team_growth_copy_triples_teams_and_adds_mobile_apps(client):
    original = stored({**ONE_WEB_APP, "backend_teams": 2})

    client.post(f"/a/{original.id}/grow/teams/")

    copy = Assessment.objects.get(parent=original)
    assert copy.answers["backend_teams"] == 6
    assert copy.answers["clients"] == ["web", "mobile"]
    assert {k: v for k, v in copy.answers.items() if k not in ("backend_teams", "clients")} == {
        k: v for k, v in original.answers.items() if k not in ("backend_teams", "clients")
    }


def test_growth_that_has_nothing_to_grow_says_why_and_stores_nothing(client):
    original = stored(ONE_WEB_APP)  # no peak traffic given

    response = client.post(f"/a/{original.id}/grow/traffic/")

    assert response.status_code == 422
    assert "peak requests per second" in response.content.decode()
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/a/{id}/grow/traffic/", 405),
        ("post", "/a/{id}/grow/sideways/", 404),
        ("post", "/a/AAAAAAAAAAAAAAAAAAAAAA/grow/traffic/", 404),
        ("get", "/a/AAAAAAAAAAAAAAAAAAAAAA/rerun/", 404),
    ],
)
def test_wrong_growth_requests_store_nothing(client, method, url, status):
    original = stored(GROWN_TRAFFIC)

    response = getattr(client, method)(url.format(id=original.id))

    assert response.status_code == status
    assert Assessment.objects.count() == 1


def test_rerun_on_the_same_rules_says_nothing_changed(client):
    original = stored(ONE_WEB_APP)

    html = page(client, f"/a/{original.id}/rerun/")

    assert "would give the same result" in html
    assert 'id="save-rerun"' not in html


def test_rerun_after_a_new_pack_version_shows_and_stores_the_difference(
    client, publish_changed_pack
):
    original = stored(ONE_WEB_APP)
    old_result = original.result
    version = publish_changed_pack()

    html = page(client, f"/a/{original.id}/rerun/")
    assert re.search(r"1 decision\s+would now differ", html)
    assert 'id="differs-bff"' in html
    change = services.rules_change(assessment=original)
    assert change is not None and change.differing == 1

    response = client.post(f"/a/{original.id}/rerun/save/")

    rerun = Assessment.objects.get(parent=original)
    assert (rerun.origin, rerun.pack_version) == (Assessment.Origin.RERUN, version)
    assert response["Location"] == f"/compare/?a={original.id}&b={rerun.id}"
    compared = page(client, response["Location"])
    assert "With the current rules" in compared and 'id="differs-bff"' in compared
    # The old permalink still reproduces the old result with the old version.
    original.refresh_from_db()
    assert original.result == old_result
    assert original.pack_version != version
    api = client.get(f"/api/v1/assessments/{original.id}").json()
    assert api["result"]["decisions"][0]["option"] == "none"


def test_links_to_results_are_accepted_as_well_as_ids(client):
    a, b = stored(ONE_WEB_APP), stored(GROWN_TRAFFIC)

    html = page(client, f"/compare/?a=https://example.com/a/{a.id}/&b=/a/{b.id}/?x=1")

    assert "Two results side by side" in html
    assert f"/compare/?a={a.id}&amp;b={b.id}" in html


def test_growth_stays_within_the_questions_limits(client):
    original = stored({**ONE_WEB_APP, "peak_rps": 9_000_000, "backend_teams": 400})

    client.post(f"/a/{original.id}/grow/traffic/")
    client.post(f"/a/{original.id}/grow/teams/")

    traffic, teams = Assessment.objects.filter(parent=original).order_by("created")
    assert traffic.answers["peak_rps"] == 10_000_000
    assert teams.answers["backend_teams"] == 500


def test_the_result_page_offers_growth_and_no_rerun_on_current_rules(client):
    original = stored(GROWN_TRAFFIC)

    html = page(client, f"/a/{original.id}/")

    assert 'id="grow-title"' in html
    assert f'action="/a/{original.id}/grow/traffic/"' in html
    assert f'action="/a/{original.id}/grow/teams/"' in html
    assert 'id="rules-changed"' not in html


def test_the_result_page_says_when_the_rules_changed_and_offers_a_rerun(
    client, publish_changed_pack
):
    original = stored(ONE_WEB_APP)
    publish_changed_pack()

    html = page(client, f"/a/{original.id}/")

    notice = html[html.index('id="rules-changed"') :]
    assert "The rules have changed since this result" in notice
    assert re.search(r"1 decision\s+would now differ", notice)
    assert f'href="/a/{original.id}/rerun/"' in notice


def test_a_copy_names_its_origin_and_links_to_the_comparison(client):
    original = stored(GROWN_TRAFFIC)
    client.post(f"/a/{original.id}/grow/traffic/")
    copy = Assessment.objects.get(parent=original)

    html = page(client, f"/a/{copy.id}/")

    assert "Grown from" in html
    assert f"/compare/?a={original.id}&amp;b={copy.id}" in html
