"""The bell: the user's own notices, their unread count, and marking them read; a client user's are those of
the client they act for (notifications/selectors.py: visible_notices)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.exceptions import NotFound
from backend.core.pagination import PortalPagination
from notifications.models import Notice
from notifications.selectors import count_unread_notices, list_notices_for_user
from notifications.services import mark_all_notices_read, mark_notice_read
from notifications.texts import notice_title, process_versions, subject_path


class NoticeOutputSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "title",
            "link",
            "subject_type",
            "subject_id",
            "payload",
            "created_at",
            "is_read",
        ]

    def get_title(self, notice: Notice) -> str:
        return notice_title(notice.kind, notice.payload, versions=self.context.get("versions"))

    def get_link(self, notice: Notice) -> str:
        return subject_path(notice.kind, notice.subject_id, notice.payload)

    def get_is_read(self, notice: Notice) -> bool:
        return notice.read_at is not None


class NoticeListQuerySerializer(serializers.Serializer):
    # Left out or blank: every notice. Anything but a boolean is a 400 (it used to mean "all").
    unread = serializers.BooleanField(required=False, allow_null=True, default=None)


class NoticeListApi(APIView):
    # Paginated by hand (APIView); the attribute also documents the envelope in the schema.
    pagination_class = PortalPagination

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unread", bool, description="true: only unread notices; false: only read ones; left out: all."
            )
        ],
        responses=NoticeOutputSerializer(many=True),
        description=(
            "The logged-in user's in-portal notices (of the active company for a client user), newest first, a"
            " page at a time; `unread` filters them. Any logged-in user."
        ),
    )
    def get(self, request):
        query = NoticeListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        notices = list_notices_for_user(
            user=request.user, client=request.active_client, unread=query.validated_data["unread"]
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(notices, request, view=self)
        # The stage names of the page's notices from one read of their requests' process versions.
        context = {"versions": process_versions(notice.payload for notice in page)}
        return paginator.get_paginated_response(NoticeOutputSerializer(page, many=True, context=context).data)


class NoticeUnreadCountApi(APIView):
    @extend_schema(
        responses=inline_serializer("NoticeUnreadCount", fields={"unread": serializers.IntegerField()}),
        description="How many of the user's notices are unread (the bell's number). Any logged-in user.",
    )
    def get(self, request):
        return Response({"unread": count_unread_notices(user=request.user, client=request.active_client)})


class NoticeMarkReadApi(APIView):
    @extend_schema(
        request=None,
        responses=NoticeOutputSerializer,
        description="Mark one of the user's notices read (no body); answers the notice. Another's: 404 `not_found`.",
    )
    def post(self, request, notice_id: int):
        notice = mark_notice_read(user=request.user, client=request.active_client, notice_id=notice_id)
        if notice is None:
            raise NotFound()
        return Response(NoticeOutputSerializer(notice).data)


class NoticeMarkAllReadApi(APIView):
    @extend_schema(
        request=None,
        responses=inline_serializer("NoticesMarkedRead", fields={"marked": serializers.IntegerField()}),
        description="Mark every unread notice of the user read (no body); answers how many were marked.",
    )
    def post(self, request):
        return Response({"marked": mark_all_notices_read(user=request.user, client=request.active_client)})
