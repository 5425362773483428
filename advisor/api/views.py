"""REST API v1: one view per operation; the work happens in services and the engine."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advisor import services
from advisor.api.http import WritingThrottle
from advisor.api.serializers import (
    AnswersInput,
    AssessmentOut,
    ErrorOut,
    PackOut,
    PackVersionOut,
    QuestionnaireOut,
    RecommendationOut,
)
from advisor.engine import pack_schema
from advisor.models import RulePack
from advisor.packs import published_pack

ERRORS = {
    400: OpenApiResponse(ErrorOut, description="invalid input; `fields` names each field at fault"),
    413: OpenApiResponse(ErrorOut, description="body over 256 KB"),
    415: OpenApiResponse(ErrorOut, description="the body is not application/json"),
}
UNAVAILABLE = {503: OpenApiResponse(ErrorOut, description="no published rule pack")}


def _response_header(
    name: str, codes: list[int], description: str, kind: type = str
) -> OpenApiParameter:
    return OpenApiParameter(
        name, kind, OpenApiParameter.HEADER, response=codes, description=description
    )


class PublicApiView(APIView):
    """Endpoints anyone may call: no session lookup, so no CSRF check for anonymous scripts."""

    authentication_classes: list = []


def _answers(request: Request) -> dict:
    """The `answers` of a body that AnswersInput accepts (it words the errors of others).

    A well-formed envelope takes the fast path: building a serializer costs more than the
    whole evaluation, and the answers themselves are checked by the engine's compiled checks.
    """
    data = request.data
    if type(data) is dict and len(data) == 1 and type(data.get("answers")) is dict:
        return data["answers"]
    envelope = AnswersInput(data=data)
    envelope.is_valid(raise_exception=True)
    return envelope.validated_data["answers"]


class QuestionnaireApi(PublicApiView):
    @extend_schema(
        operation_id="questionnaire",
        summary="The questionnaire of the published rule pack",
        description="Cacheable: send the ETag back in If-None-Match to get 304 when unchanged.",
        parameters=[_response_header("ETag", [200, 304], "changes when another pack is published")],
        responses={
            200: QuestionnaireOut,
            304: OpenApiResponse(description="not modified"),
            **UNAVAILABLE,
        },
    )
    def get(self, request: Request) -> Response:
        version, pack = published_pack()
        etag = f'"{version.fingerprint[:32]}"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if etag in request.headers.get("If-None-Match", ""):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(services.questionnaire(version, pack), headers=headers)


_WHAT_IF = {"true": True, "false": False, "1": True, "0": False}


def _what_if(request: Request) -> bool:
    """?what_if: true (the default) or false; anything else, an empty value included, is a 400."""
    value = request.query_params.get("what_if")
    if value is None:
        return True
    if value.lower() not in _WHAT_IF:
        raise serializers.ValidationError({"what_if": [f"expected true or false, got {value!r}"]})
    return _WHAT_IF[value.lower()]


class RecommendationsApi(PublicApiView):
    @extend_schema(
        operation_id="recommend",
        summary="Recommend an architecture for answers (nothing is stored)",
        description="Partial answers are fine: decisions they do not settle fall back to their "
        "defaults and the questions that would sharpen them are listed in `unknown`.",
        parameters=[
            OpenApiParameter(
                "what_if", bool, description="include what-if per decision (default true)"
            )
        ],
        request=AnswersInput,
        responses={200: RecommendationOut, **ERRORS, **UNAVAILABLE},
    )
    def post(self, request: Request) -> Response:
        what_if = _what_if(request)
        answers = _answers(request)
        rec = services.recommend(answers, what_if=what_if)  # AnswersError: 400, see api.errors
        return Response(rec.to_dict())


class AssessmentCreateApi(PublicApiView):
    throttle_classes = [WritingThrottle]

    @extend_schema(
        operation_id="assessment_create",
        summary="Store answers and their result under an unguessable id",
        parameters=[
            _response_header("Location", [201], "the permalink of the stored assessment"),
            _response_header("Retry-After", [429], "seconds to wait before writing again", int),
        ],
        request=AnswersInput,
        responses={
            201: AssessmentOut,
            **ERRORS,
            429: OpenApiResponse(ErrorOut, description="too many requests; see Retry-After"),
            **UNAVAILABLE,
        },
    )
    def post(self, request: Request) -> Response:
        answers = _answers(request)
        assessment = services.create_assessment(answers=answers)
        url = request.build_absolute_uri(reverse("api-assessment", args=[assessment.id]))
        data = services.assessment_data(assessment, self_url=url)
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": url})


class AssessmentDetailApi(PublicApiView):
    @extend_schema(
        operation_id="assessment_read",
        summary="A stored assessment, with the pack version it was made with",
        parameters=[
            OpenApiParameter(
                "assessment_id",
                str,
                OpenApiParameter.PATH,
                pattern=f"^{services.ASSESSMENT_ID.pattern}$",
                description="22 URL-safe characters, as in the Location of the created one",
            )
        ],
        responses={
            200: AssessmentOut,
            404: OpenApiResponse(ErrorOut, description="no such assessment"),
        },
    )
    def get(self, request: Request, assessment_id: str) -> Response:
        assessment = services.find_assessment(assessment_id)
        if assessment is None:
            raise exceptions.NotFound("no assessment with this id")
        url = request.build_absolute_uri(reverse("api-assessment", args=[assessment.id]))
        return Response(services.assessment_data(assessment, self_url=url))


class PackListApi(PublicApiView):
    @extend_schema(
        operation_id="packs", summary="The rule packs", responses={200: PackOut(many=True)}
    )
    def get(self, request: Request) -> Response:
        return Response(services.pack_list())


class PackVersionsApi(PublicApiView):
    @extend_schema(
        operation_id="pack_versions",
        summary="The versions of a rule pack, oldest first",
        parameters=[
            OpenApiParameter(
                "pack_id",
                str,
                OpenApiParameter.PATH,
                examples=[OpenApiExample("the default pack", value="default")],
            )
        ],
        responses={
            200: PackVersionOut(many=True),
            404: OpenApiResponse(ErrorOut, description="no such pack"),
        },
    )
    def get(self, request: Request, pack_id: str) -> Response:
        pack = RulePack.objects.filter(id=pack_id).first()
        if pack is None:
            raise exceptions.NotFound(f"no rule pack '{pack_id}'")
        return Response(services.pack_versions(pack))


class PackSchemaApi(PublicApiView):
    @extend_schema(
        operation_id="pack_schema",
        tags=["packs"],
        summary="The JSON Schema of rule-pack files (for editor completion)",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        return Response(pack_schema(), headers={"Cache-Control": "public, max-age=3600"})
