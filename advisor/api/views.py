"""REST API v1: one view per operation; the work happens in services and the engine."""

from __future__ import annotations

import io
import re
from typing import Literal, get_args

import orjson
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from advisor import services
from advisor.api import quick
from advisor.api.http import DownloadNegotiation, WritingThrottle
from advisor.api.serializers import (
    AnswersInput,
    AssessmentOut,
    AssessmentSummaryOut,
    CompareQuery,
    ComparisonOut,
    ErrorOut,
    PackOut,
    QuestionnaireOut,
    RecommendationOut,
    RecommendationSummaryOut,
    RecordsQuery,
    ReportQuery,
    RerunOut,
)
from advisor.engine import pack_schema
from advisor.exports import diagrams
from advisor.exports.records import ExportContext, ExportError
from advisor.models import Assessment
from advisor.packs import published_pack

ERRORS = {
    400: OpenApiResponse(ErrorOut, description="invalid input; `fields` names each field at fault"),
    413: OpenApiResponse(ErrorOut, description="body over 256 KB"),
    415: OpenApiResponse(ErrorOut, description="the body is not application/json"),
}
ASSESSMENT_ID = re.compile(r"[A-Za-z0-9_-]{22}")
UNAVAILABLE = {503: OpenApiResponse(ErrorOut, description="no published rule pack")}


def _response_header(
    name: str, codes: list[int], description: str, kind: type = str
) -> OpenApiParameter:
    return OpenApiParameter(
        name, kind, OpenApiParameter.HEADER, response=codes, description=description
    )


class PublicSchema(AutoSchema):
    """Operations anyone may call declare no security requirement. drf-spectacular would say
    `security: [{}]` ("anonymous allowed"), which client generators read as needing one."""

    def get_auth(self) -> list[dict[str, list[str]]]:
        return []


class PublicApiView(APIView):
    """Endpoints anyone may call: no session lookup, so no CSRF check for anonymous scripts."""

    authentication_classes: list[type[BaseAuthentication]] = []
    schema = PublicSchema()


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


def _what_if(request: Request) -> bool:
    """?what_if: true (the default) or false; anything else, an empty value included, is a 400."""
    value = request.query_params.get("what_if")
    if value is None:
        return True
    if value.lower() not in quick.WHAT_IF:
        raise serializers.ValidationError({"what_if": [f"expected true or false, got {value!r}"]})
    return quick.WHAT_IF[value.lower()]


View = Literal["full", "summary"]
VIEWS: tuple[View, ...] = get_args(View)
VIEW = OpenApiParameter(
    "view",
    str,
    enum=VIEWS,
    default="full",
    description="`summary`: each decision's choice, the unknown questions and the warnings, "
    "without explanations, alternatives or what-if (a few KB instead of about 30)",
)


def _view(request: Request) -> View:
    """?view: full (the default) or summary; anything else is a 400."""
    value = request.query_params.get("view", "full")
    for view in VIEWS:
        if value == view:
            return view
    raise serializers.ValidationError({"view": [f"expected full or summary, got {value!r}"]})


def _full_or_summary(name: str, full: type[Serializer], summary: type[Serializer]) -> object:
    """One 200 response that is the full shape or, with ?view=summary, the compact one."""
    return PolymorphicProxySerializer(
        component_name=name, serializers=[full, summary], resource_type_field_name=None
    )


class RecommendationsApi(PublicApiView):
    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        """Well-formed requests take the quick path (api/quick.py); the rest, and every error,
        go through DRF as before."""
        try:
            response = quick.recommendation(request, allow=self.default_response_headers["Allow"])
        except Exception as exc:  # what `post` would raise too: DRF turns it into an error
            return self.drf_error(request, exc, *args, **kwargs)
        if response is None:
            return super().dispatch(request, *args, **kwargs)
        return response

    def drf_error(
        self, request: HttpRequest, exc: Exception, *args: object, **kwargs: object
    ) -> HttpResponseBase:
        """The error response DRF's dispatch gives when the handler raises `exc`."""
        self.args, self.kwargs = args, kwargs
        self.request = self.initialize_request(request, *args, **kwargs)
        self.headers = self.default_response_headers
        response = self.handle_exception(exc)
        self.response = self.finalize_response(self.request, response, *args, **kwargs)
        return self.response

    @extend_schema(
        operation_id="recommend",
        summary="Recommend an architecture for answers (nothing is stored)",
        description="Partial answers are fine: decisions they do not settle fall back to their "
        "defaults and the questions that would sharpen them are listed in `unknown`.",
        parameters=[
            OpenApiParameter(
                "what_if", bool, description="include what-if per decision (default true)"
            ),
            VIEW,
        ],
        request=AnswersInput,
        responses={
            200: _full_or_summary(
                "RecommendationOrSummary", RecommendationOut, RecommendationSummaryOut
            ),
            **ERRORS,
            **UNAVAILABLE,
        },
    )
    def post(self, request: Request) -> Response:
        what_if = _what_if(request)
        view = _view(request)
        answers = _answers(request)
        if view == "summary":  # what-if is not part of the summary: not worked out
            return Response(services.recommend(answers, what_if=False).summary())
        rec = services.recommend(answers, what_if=what_if)  # AnswersError: 400, see api.errors
        return Response(orjson.Fragment(rec.to_json_bytes()))  # the bytes of rec.to_dict()


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


ASSESSMENT_PATH = OpenApiParameter(
    "assessment_id",
    str,
    OpenApiParameter.PATH,
    pattern=f"^{ASSESSMENT_ID.pattern}$",
    description="22 URL-safe characters, as in the Location of the created one",
)
NO_ASSESSMENT = {404: OpenApiResponse(ErrorOut, description="no such assessment")}


class AssessmentDetailApi(PublicApiView):
    @extend_schema(
        operation_id="assessment_read",
        summary="A stored assessment, with the pack version it was made with",
        parameters=[ASSESSMENT_PATH, VIEW],
        responses={
            200: _full_or_summary("AssessmentOrSummary", AssessmentOut, AssessmentSummaryOut),
            400: OpenApiResponse(ErrorOut, description="an unknown `view`"),
            **NO_ASSESSMENT,
        },
    )
    def get(self, request: Request, assessment_id: str) -> Response:
        view = _view(request)
        assessment = _assessment_or_404(assessment_id)
        url = request.build_absolute_uri(reverse("api-assessment", args=[assessment.id]))
        return Response(services.assessment_data(assessment, self_url=url, view=view))


class PackListApi(PublicApiView):
    @extend_schema(
        operation_id="packs", summary="The rule packs", responses={200: PackOut(many=True)}
    )
    def get(self, request: Request) -> Response:
        return Response(services.pack_list())


class PackSchemaApi(PublicApiView):
    @extend_schema(
        operation_id="pack_schema",
        tags=["packs"],
        summary="The JSON Schema of rule-pack files (for editor completion)",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        return Response(pack_schema(), headers={"Cache-Control": "public, max-age=3600"})


# --- The architecture diagram of a stored assessment -------------------------------------

# An SVG opened on its own runs nothing: no script, no outside resource, only inline styles.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
DIAGRAM_MEDIA = {
    "svg": ("image/svg+xml", OpenApiTypes.STR, "the diagram as SVG (shown in the browser)"),
    "png": ("image/png", OpenApiTypes.BINARY, "the diagram as PNG (shown in the browser)"),
    "dot": ("text/vnd.graphviz", OpenApiTypes.STR, "the Graphviz DOT source (a download)"),
    "mmd": ("text/plain", OpenApiTypes.STR, "a Mermaid flowchart for Markdown (a download)"),
}


class DiagramUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "diagram_unavailable"


class DiagramApi(PublicApiView):
    """One format of the diagram; each subclass below is one operation of the OpenAPI doc."""

    content_negotiation_class = DownloadNegotiation
    fmt: diagrams.FileFormat = "svg"

    def get(self, request: Request, assessment_id: str) -> FileResponse:
        # Only what new_assessment_id() makes reaches the database (PostgreSQL refuses a NUL).
        well_formed = ASSESSMENT_ID.fullmatch(assessment_id)
        found = diagrams.stored_diagram(assessment_id, fmt=self.fmt) if well_formed else None
        if found is None:
            raise exceptions.NotFound("no assessment with this id")
        drawn, name = found
        if not drawn.ok:
            raise DiagramUnavailable(f"no diagram: {drawn.message}")
        response = FileResponse(
            io.BytesIO(drawn.content),
            as_attachment=self.fmt in ("dot", "mmd"),
            filename=name,
            content_type=drawn.media_type,
        )
        response["Cache-Control"] = "private, max-age=86400"
        if self.fmt == "svg":
            response["X-Content-Type-Options"] = "nosniff"
            response["Content-Security-Policy"] = SVG_POLICY
        return response


def _diagram_schema(fmt: str) -> dict[str, object]:
    media, kind, description = DIAGRAM_MEDIA[fmt]
    return {
        "operation_id": f"assessment_diagram_{fmt}",
        "tags": ["assessments"],
        "summary": f"The architecture diagram of a stored assessment ({fmt.upper()})",
        "description": "Drawn from the stored result with the pack version that made it. "
        "Files are named after the project (`acme-architecture.svg`).",
        "parameters": [ASSESSMENT_PATH],
        "responses": {
            (200, media): OpenApiResponse(kind, description=description),
            (404, "application/json"): OpenApiResponse(ErrorOut, description="no such assessment"),
            (503, "application/json"): OpenApiResponse(
                ErrorOut, description="Graphviz is missing, timed out or failed; says which"
            ),
        },
    }


@extend_schema_view(get=extend_schema(**_diagram_schema("svg")))  # type: ignore[arg-type]
class DiagramSvgApi(DiagramApi):
    fmt = "svg"


@extend_schema_view(get=extend_schema(**_diagram_schema("png")))  # type: ignore[arg-type]
class DiagramPngApi(DiagramApi):
    fmt = "png"


@extend_schema_view(get=extend_schema(**_diagram_schema("dot")))  # type: ignore[arg-type]
class DiagramDotApi(DiagramApi):
    fmt = "dot"


@extend_schema_view(get=extend_schema(**_diagram_schema("mmd")))  # type: ignore[arg-type]
class DiagramMermaidApi(DiagramApi):
    fmt = "mmd"


# --- downloads: decision records, report and JSON of a stored assessment --------------------


class DownloadApiView(PublicApiView):
    """A file on success (FileResponse sets an encoded Content-Disposition from the file
    name); errors in the API's JSON shape whatever the Accept header or `?format`."""

    content_negotiation_class = DownloadNegotiation


def _query(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _download(name: str, data: bytes, content_type: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=name, content_type=content_type
    )


def _export_context(request: Request, assessment: Assessment, names: str = "") -> ExportContext:
    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(name, args=[assessment.id]))

    return services.export_context(
        assessment,
        permalink=url("result"),
        diagram_url=url("api-assessment-diagram-svg"),
        sources_url=request.build_absolute_uri(reverse("sources")),
        decision_makers=names.split(","),
    )


INVALID_QUERY = {400: OpenApiResponse(ErrorOut, description="a query parameter is not valid")}
ATTACHMENT = _response_header(
    "Content-Disposition", [200], "attachment, with a file name made from the project name"
)


class AssessmentRecordsApi(DownloadApiView):
    @extend_schema(
        operation_id="assessment_records",
        tags=["assessments"],
        summary="The assessment's decision records (MADR 4 or Nygard) as a zip",
        description="One record per decision, `NNNN-kebab-title.md`, with an index README.md, "
        "all under `docs/decisions/`, so the zip unpacks into a repository. Each record "
        "says when to revisit the decision (the answers that would change it).",
        parameters=[ASSESSMENT_PATH, RecordsQuery, ATTACHMENT],
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="a zip of docs/decisions/*.md"
            ),
            **INVALID_QUERY,
            **NO_ASSESSMENT,
        },
    )
    def get(self, request: Request, assessment_id: str) -> FileResponse:
        query = _query(RecordsQuery, request)
        assessment = _assessment_or_404(assessment_id)
        context = _export_context(request, assessment, query.get("decision_makers", ""))
        try:
            name, data = services.records_download(
                assessment,
                context=context,
                fmt=query["format"],
                start=query["start"],
                supersedes=query.get("supersedes"),
            )
        except ExportError as exc:
            raise serializers.ValidationError({exc.field: [exc.message]}) from None
        return _download(name, data, "application/zip")


class AssessmentReportApi(DownloadApiView):
    @extend_schema(
        operation_id="assessment_report",
        tags=["assessments"],
        summary="The whole assessment as one Markdown report",
        description="Answers in words, every decision with why, alternatives, trade-offs and "
        "when to revisit it, and the practices as a task list.",
        parameters=[ASSESSMENT_PATH, ATTACHMENT],
        responses={
            (200, "text/markdown"): OpenApiResponse(OpenApiTypes.STR, description="Markdown"),
            **INVALID_QUERY,
            **NO_ASSESSMENT,
        },
    )
    def get(self, request: Request, assessment_id: str) -> FileResponse:
        _query(ReportQuery, request)
        assessment = _assessment_or_404(assessment_id)
        context = _export_context(request, assessment)
        name, data = services.report_download(assessment, context=context)
        return _download(name, data, "text/markdown; charset=utf-8")


class AssessmentResultApi(DownloadApiView):
    @extend_schema(
        operation_id="assessment_result",
        tags=["assessments"],
        summary="The assessment's result as a JSON file",
        description="The same JSON as POST /api/v1/recommendations returns, as a download.",
        parameters=[ASSESSMENT_PATH, ATTACHMENT],
        responses={200: RecommendationOut, **INVALID_QUERY, **NO_ASSESSMENT},
    )
    def get(self, request: Request, assessment_id: str) -> FileResponse:
        _query(ReportQuery, request)
        name, data = services.result_download(_assessment_or_404(assessment_id))
        return _download(name, data, "application/json")


# --- Compare and re-run (issue 14) ---------------------------------------------------------


def _assessment_or_404(assessment_id: str, *, what: str = "assessment") -> Assessment:
    assessment = services.find_assessment(assessment_id)
    if assessment is None:
        raise exceptions.NotFound(f"no {what} with this id")
    return assessment


def _comparison(request: Request, a: Assessment, b: Assessment) -> dict:
    query = f"?a={a.id}&b={b.id}"
    return {
        **services.compare_assessments(a=a, b=b),
        "links": {
            "self": request.build_absolute_uri(reverse("api-compare") + query),
            "html": request.build_absolute_uri(reverse("compare") + query),
        },
    }


class CompareApi(PublicApiView):
    @extend_schema(
        operation_id="compare",
        tags=["assessments"],
        summary="Two stored assessments side by side",
        description="Decisions that differ come first, each with the rules that fired on one "
        "side only; then the answers and practices that differ. Any two assessments can be "
        "compared, whatever pack version made them.",
        parameters=[CompareQuery],
        responses={
            200: ComparisonOut,
            400: ERRORS[400],
            404: OpenApiResponse(ErrorOut, description="no assessment with one of the ids"),
        },
    )
    def get(self, request: Request) -> Response:
        query = CompareQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        a = _assessment_or_404(query.validated_data["a"], what="assessment a")
        b = _assessment_or_404(query.validated_data["b"], what="assessment b")
        return Response(_comparison(request, a, b))


class AssessmentRerunApi(PublicApiView):
    throttle_classes = [WritingThrottle]

    @extend_schema(
        operation_id="assessment_rerun",
        tags=["assessments"],
        summary="Re-run an assessment's answers on the published pack and store the result",
        description="The original keeps its result and pack version; the new assessment links "
        "to it (origin `rerun`). The comparison shows what the newer rules changed.",
        request=None,
        parameters=[
            OpenApiParameter(
                "assessment_id",
                str,
                OpenApiParameter.PATH,
                pattern=f"^{ASSESSMENT_ID.pattern}$",
                description="22 URL-safe characters, as in the Location of the created one",
            ),
            _response_header("Location", [201], "the permalink of the new assessment"),
            _response_header("Retry-After", [429], "seconds to wait before writing again", int),
        ],
        responses={
            201: RerunOut,
            400: OpenApiResponse(
                ErrorOut, description="the answers no longer fit the published questions"
            ),
            404: OpenApiResponse(ErrorOut, description="no such assessment"),
            429: OpenApiResponse(ErrorOut, description="too many requests; see Retry-After"),
            **UNAVAILABLE,
        },
    )
    def post(self, request: Request, assessment_id: str) -> Response:
        original = _assessment_or_404(assessment_id)
        rerun, _ = services.rerun_assessment(assessment=original)
        url = request.build_absolute_uri(reverse("api-assessment", args=[rerun.id]))
        data = {
            "assessment": services.assessment_data(rerun, self_url=url),
            "comparison": _comparison(request, original, rerun),
        }
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": url})
