"""The rule editor's endpoints: read a version, validate, simulate, save, publish.

Editors only (the `Rule editors` group or a superuser), by token or session; anonymous
requests get 401 and signed-in users without the permission 403.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advisor import services
from advisor.api.editor_serializers import (
    ConflictOut,
    FilesInput,
    PublishInput,
    PublishRefusedOut,
    SaveInput,
    SimulateInput,
    ValidationOut,
    VersionDetailOut,
)
from advisor.api.errors import error_body
from advisor.api.serializers import ErrorOut, PackVersionOut, RecommendationOut
from advisor.models import EDIT_PERMISSION, PackVersion, RulePack
from advisor.packs import (
    Actor,
    PublishRefused,
    SaveConflict,
    check_files,
    publish,
    roll_back,
    save_version,
)
from advisor.packs.checking import MAX_BODY_BYTES

AUTH_ERRORS = {
    401: OpenApiResponse(ErrorOut, description="not signed in (no session or token)"),
    403: OpenApiResponse(ErrorOut, description="signed in without the permission to edit rules"),
    404: OpenApiResponse(ErrorOut, description="no such pack or version"),
}
BODY_ERRORS = {
    400: OpenApiResponse(ErrorOut, description="invalid input; `fields` names each field at fault"),
    413: OpenApiResponse(ErrorOut, description="body over 8 MB"),
    415: OpenApiResponse(ErrorOut, description="the body is not application/json"),
}
PACK_ID = OpenApiParameter("pack_id", str, OpenApiParameter.PATH, description="a pack id")
NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="a version number")


class CanEditRules(permissions.BasePermission):
    """Members of `Rule editors` (who hold advisor.change_rulepack) and superusers."""

    message = "you need the permission to edit rule packs (the Rule editors group)"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(EDIT_PERMISSION))


class EditorApiView(APIView):
    # Token first: its WWW-Authenticate header is what turns "not signed in" into a 401.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [CanEditRules]
    max_body_bytes = MAX_BODY_BYTES

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # A method the endpoint does not have is a 405 for everyone, before any sign-in check.
        method = (request.method or "").lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method or "")
        super().initial(request, *args, **kwargs)


def _pack(pack_id: str) -> RulePack:
    pack = RulePack.objects.filter(id=pack_id).first()
    if pack is None:
        raise exceptions.NotFound(f"no rule pack '{pack_id}'")
    return pack


def _version(pack_id: str, number: int) -> PackVersion:
    found = PackVersion.objects.select_related("pack", "author", "parent").filter(
        pack_id=pack_id, number=number
    )
    version = found.first()
    if version is None:
        raise exceptions.NotFound(f"pack '{pack_id}' has no version {number}")
    return version


class PackVersionDetailApi(EditorApiView):
    @extend_schema(
        operation_id="pack_version",
        tags=["editor"],
        summary="One version of a pack, with its files and validation summary",
        description="What the editor opens: every file's text, who saved it, from which "
        "parent, its status and the problem counts found when it was saved.",
        parameters=[PACK_ID, NUMBER],
        responses={200: VersionDetailOut, **AUTH_ERRORS},
    )
    def get(self, request: Request, pack_id: str, number: int) -> Response:
        return Response(services.version_detail(_version(pack_id, number)))


class PackValidateApi(EditorApiView):
    @extend_schema(
        operation_id="pack_validate",
        tags=["editor"],
        summary="Check files as a pack: problems at file:line:column, scenarios, coverage",
        description="The same messages as `manage.py validate_rules` and `test_rules`. "
        "Nothing is stored.",
        parameters=[PACK_ID],
        request=FilesInput,
        responses={200: ValidationOut, **BODY_ERRORS, **AUTH_ERRORS},
    )
    def post(self, request: Request, pack_id: str) -> Response:
        _pack(pack_id)
        body = FilesInput(data=request.data)
        body.is_valid(raise_exception=True)
        files = body.validated_data["files"]
        return Response(check_files(files).for_pack(pack_id, files).to_dict())


class PackSimulateApi(EditorApiView):
    @extend_schema(
        operation_id="pack_simulate",
        tags=["editor"],
        summary="The recommendation that unsaved files would give for answers",
        description="Evaluates answers on the files as sent (nothing is stored), so a rule "
        "can be tried before it is saved. Files that do not load give 422 with their errors.",
        parameters=[PACK_ID],
        request=SimulateInput,
        responses={
            200: RecommendationOut,
            **BODY_ERRORS,
            **AUTH_ERRORS,
            422: OpenApiResponse(ErrorOut, description="the files do not load as a pack"),
        },
    )
    def post(self, request: Request, pack_id: str) -> Response:
        _pack(pack_id)
        body = SimulateInput(data=request.data)
        body.is_valid(raise_exception=True)
        files = body.validated_data["files"]
        check = check_files(files)
        if check.pack is None:
            problems = [str(p) for p in check.problems if p.is_error]
            body_ = error_body(
                "invalid_pack", "the files do not load as a pack", {"files": problems}
            )
            return Response(body_, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        answers = body.validated_data["answers"]
        return Response(services.simulate(files=files, answers=answers).to_dict())


class PackVersionsApi(EditorApiView):
    """GET is public (the version list); POST saves a new draft and needs the permission."""

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Request:
        self._safe = request.method in permissions.SAFE_METHODS
        return super().initialize_request(request, *args, **kwargs)

    def get_authenticators(self) -> list:
        # The public list needs no session lookup (and so no CSRF check for scripts).
        return [] if getattr(self, "_safe", False) else super().get_authenticators()

    def get_permissions(self) -> list[Any]:
        return [permissions.AllowAny()] if self._safe else list(super().get_permissions())

    @extend_schema(
        operation_id="pack_versions",
        summary="The versions of a rule pack, oldest first",
        auth=[],
        parameters=[PACK_ID],
        responses={
            200: PackVersionOut(many=True),
            404: OpenApiResponse(ErrorOut, description="no such pack"),
        },
    )
    def get(self, request: Request, pack_id: str) -> Response:
        return Response(services.pack_versions(_pack(pack_id)))

    @extend_schema(
        operation_id="pack_version_create",
        tags=["editor"],
        summary="Save files as a new draft version, edited from `base_version`",
        description="Optimistic locking: if another version was saved after `base_version`, "
        "nothing is stored and the answer is 409 with both changes as unified diffs.",
        parameters=[PACK_ID],
        request=SaveInput,
        responses={
            201: VersionDetailOut,
            **BODY_ERRORS,
            **AUTH_ERRORS,
            409: OpenApiResponse(ConflictOut, description="another save came first"),
        },
    )
    def post(self, request: Request, pack_id: str) -> Response:
        pack = _pack(pack_id)
        body = SaveInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["base_version"] > pack.head:
            message = (
                f"pack '{pack_id}' has no version {data['base_version']}; the latest is {pack.head}"
            )
            raise serializers.ValidationError({"base_version": [message]})
        try:
            version = save_version(
                pack=pack,
                base=data["base_version"],
                files=data["files"],
                message=data["message"],
                actor=Actor.of(request.user),
            )
        except SaveConflict as conflict:
            return Response(
                _conflict_body(conflict, data["files"]), status=status.HTTP_409_CONFLICT
            )
        return Response(services.version_detail(version), status=status.HTTP_201_CREATED)


def _conflict_body(conflict: SaveConflict, files: dict[str, str]) -> dict[str, object]:
    message = (
        f"version {conflict.head.number} was saved after version "
        f"{conflict.base.number if conflict.base else 0}; nothing was stored"
    )
    return {
        **error_body("conflict", message),
        "conflict": services.conflict_data(conflict, files=files),
    }


class PackPublishApi(EditorApiView):
    @extend_schema(
        operation_id="pack_version_publish",
        tags=["editor"],
        summary="Publish a version: founders and the API get it from now on",
        description="A draft is published as it is. An earlier version that was published "
        "before is rolled back to: its files are published again as a new version (201). "
        "Refused with the reasons while the version has errors or failing scenarios.",
        parameters=[PACK_ID, NUMBER],
        request=PublishInput,
        responses={
            200: VersionDetailOut,
            201: VersionDetailOut,
            **BODY_ERRORS,
            **AUTH_ERRORS,
            422: OpenApiResponse(PublishRefusedOut, description="errors or failing scenarios"),
        },
    )
    def post(self, request: Request, pack_id: str, number: int) -> Response:
        version = _version(pack_id, number)
        body = PublishInput(data=request.data or {})
        body.is_valid(raise_exception=True)
        actor = Actor.of(request.user, note=body.validated_data.get("note", ""))
        try:
            if version.status == PackVersion.Status.RETIRED:
                new = roll_back(version, actor=actor)
                return Response(services.version_detail(new), status=status.HTTP_201_CREATED)
            if version.status == PackVersion.Status.DRAFT:
                publish(version, actor=actor)
        except PublishRefused as refused:
            refusal = {
                **error_body("not_publishable", "this version cannot be published"),
                "reasons": refused.reasons,
            }
            return Response(refusal, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        return Response(services.version_detail(version))
