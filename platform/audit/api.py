"""Read-only ledger API for auditors (/api/v1/ledger/...). Views parse, call selectors and serialize; nothing here
writes. Visibility: staff and platform auditors read everything; owners and auditors of an organisation read that
organisation's events; anyone else is refused (403), and an event outside one's scope is 404."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit import selectors
from audit.models import Checkpoint, LedgerEvent
from common.api import DomainError
from common.pagination import BoundedLimitOffsetPagination


class CanReadLedger(BasePermission):
    message = "You may not read the ledger: it is open to platform staff and auditors, and organisation owners."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return selectors.may_read_ledger(request.user)


class LedgerEventSerializer(serializers.ModelSerializer[LedgerEvent]):
    payload = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEvent
        fields: ClassVar = [
            "id",
            "subject",
            "seq",
            "kind",
            "actor",
            "payload",
            "payload_canonical",
            "prev_hash",
            "hash",
            "recorded_at",
            "organisation",
        ]

    payload_canonical = serializers.CharField(source="payload", read_only=True)

    def get_payload(self, event: LedgerEvent) -> dict[str, Any]:
        return event.payload_data

    def get_organisation(self, event: LedgerEvent) -> str | None:
        return str(event.organisation.public_id) if event.organisation_id and event.organisation else None


class CheckpointSerializer(serializers.ModelSerializer[Checkpoint]):
    class Meta:
        model = Checkpoint
        fields: ClassVar = list(selectors.CHECKPOINT_COLUMNS)


class ProofStepSerializer(serializers.Serializer[dict[str, str]]):
    side = serializers.ChoiceField(choices=["left", "right"], help_text="Where the sibling sits.")
    hash = serializers.CharField(help_text="The sibling node's hash (hex).")


class InclusionProofSerializer(serializers.Serializer[dict[str, Any]]):
    """Output of `audit.selectors.get_inclusion_proof`; check it with `audit.verify.verify_inclusion_proof`."""

    event_id = serializers.IntegerField()
    event_hash = serializers.CharField()
    leaf_index = serializers.IntegerField()
    tree_size = serializers.IntegerField()
    path = ProofStepSerializer(many=True, help_text="Sibling hashes, bottom-up.")
    # The stubs see Field.root (the parent serializer) here; DRF's metaclass moves declared fields off the class, so
    # at run time this is only the output field "root".
    root = serializers.CharField(help_text="The Merkle root signed by the checkpoint.")  # type: ignore[assignment]
    checkpoint_id = serializers.IntegerField()
    checkpoint = CheckpointSerializer()


ERROR = OpenApiResponse(description="An error: `{code, message}`.")
TAGS = ["ledger"]
# Every ledger read answers these the same way (anonymous 401/403, outside the readers 403).
REFUSALS = {401: ERROR, 403: ERROR}


class _LedgerView(APIView):
    permission_classes = (IsAuthenticated, CanReadLedger)
    # The ledger API is read-only: anything but GET is a 405 with the usual JSON error body.
    http_method_names = ["get"]  # noqa: RUF012 - declared as a list on View
    # Declared on the class (not only instantiated in get) so that drf-spectacular documents the page envelope.
    pagination_class = BoundedLimitOffsetPagination


class LedgerEventListView(_LedgerView):
    @extend_schema(
        tags=TAGS,
        operation_id="v1_ledger_events_list",
        parameters=[
            OpenApiParameter("subject", OpenApiTypes.STR, description="Only this subject's chain."),
            OpenApiParameter("kind", OpenApiTypes.STR, description="Only events of this kind."),
        ],
        responses={200: LedgerEventSerializer(many=True), **REFUSALS},
    )
    def get(self, request: Request) -> Response:
        events = selectors.list_events_for(
            request.user,
            subject=request.query_params.get("subject") or None,
            kind=request.query_params.get("kind") or None,
        ).select_related("organisation")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(LedgerEventSerializer(page, many=True).data)


def _visible_event(request: Request, pk: int) -> LedgerEvent:
    event = selectors.list_events_for(request.user).select_related("organisation").filter(pk=pk).first()
    if event is None:
        raise DomainError("No such ledger event.", code="not_found", status_code=404)
    return event


class LedgerEventDetailView(_LedgerView):
    @extend_schema(
        tags=TAGS,
        operation_id="v1_ledger_events_retrieve",
        responses={200: LedgerEventSerializer, **REFUSALS, 404: ERROR},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(LedgerEventSerializer(_visible_event(request, pk)).data)


class LedgerEventProofView(_LedgerView):
    @extend_schema(
        tags=TAGS,
        operation_id="v1_ledger_events_proof_retrieve",
        responses={
            200: InclusionProofSerializer,
            **REFUSALS,
            404: ERROR,
            409: OpenApiResponse(description="`not_checkpointed`: no checkpoint covers the event yet."),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        event = _visible_event(request, pk)
        try:
            proof = selectors.get_inclusion_proof(event.pk)
        except selectors.NotCheckpointedError as exc:
            raise DomainError(str(exc), code="not_checkpointed", status_code=409) from exc
        return Response(InclusionProofSerializer(proof).data)


class CheckpointListView(_LedgerView):
    @extend_schema(
        tags=TAGS,
        operation_id="v1_ledger_checkpoints_list",
        responses={200: CheckpointSerializer(many=True), **REFUSALS},
    )
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.list_checkpoints(), request, view=self)
        return paginator.get_paginated_response(CheckpointSerializer(page, many=True).data)
