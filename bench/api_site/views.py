"""Reference views for bench/bench_api.py, each given the same answer-set JSON.

`bare_json` is the least Django can do with a JSON body. `SerializerApi` is what a typical DRF
endpoint does instead: an ordinary Serializer with one field per answered question, under the
app's own DRF settings (parser, renderer, exception handler).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


@csrf_exempt
@require_POST
def bare_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(json.loads(request.body))


def _choice(*options: str, **kwargs: object) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=options, required=False, **kwargs)


def _multi(*options: str) -> serializers.MultipleChoiceField:
    return serializers.MultipleChoiceField(choices=options, required=False)


def _flag() -> serializers.BooleanField:
    return serializers.BooleanField(required=False)


def _count(minimum: int, maximum: int) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=minimum, max_value=maximum, required=False)


class AnswersSerializer(serializers.Serializer):
    """33 fields: the questions a realistic founder answers, typed as the questionnaire says."""

    project_name = serializers.CharField(max_length=120, required=False)
    clients = _multi("web", "mobile", "desktop", "third_party", "internal_tools", "devices")
    client_needs_differ = _choice("similar", "somewhat", "very")
    frontend_team_per_client = _flag()
    typescript_fullstack = _flag()
    screen_data_sources = _choice("one", "few", "many")
    backend_teams = _count(1, 500)
    architecture_style = _choice("monolith", "modular_monolith", "microservices")
    internal_traffic = _choice("low", "moderate", "high")
    internal_streaming = _flag()
    independent_domains = _flag()
    parallel_teams_on_api = _flag()
    polyglot = _flag()
    peak_rps = _count(0, 10_000_000)
    traffic_pattern = _choice("steady", "spiky")
    latency_budget = _choice("relaxed", "interactive", "realtime")
    user_geography = _choice("one_region", "multi_region", "global")
    edge_logic = _multi("none", "auth", "redirects", "personalization", "ab_testing", "geo_routing")
    data_heavy = _flag()
    realtime_features = _multi(
        "none",
        "chat",
        "collaboration",
        "live_dashboard",
        "live_prices",
        "notifications",
        "progress_updates",
    )
    concurrent_connections = _count(0, 100_000_000)
    async_jobs = _flag()
    sync_call_chains = _flag()
    event_consumers = _choice("none", "one", "several")
    replay_history = _flag()
    ordered_processing = _flag()
    audit_trail = _flag()
    consistency = _choice("strong", "eventual_ok")
    inbound_webhooks = _flag()
    webhook_side_effects = _choice("informational", "critical")
    outbound_webhooks = _flag()
    ops_capacity = _choice("small_team", "platform_team")
    cloud = _choice("aws", "gcp", "azure", "cloudflare", "self_hosted", "undecided")


class EnvelopeSerializer(serializers.Serializer):
    answers = AnswersSerializer()


class SerializerApi(APIView):
    def post(self, request: Request) -> Response:
        envelope = EnvelopeSerializer(data=request.data)
        envelope.is_valid(raise_exception=True)
        return Response(envelope.validated_data)
