"""Input and output shapes of the render API. Inputs refuse unknown fields: there is no field that turns the
visible label off or shrinks it, and sending one is a 400, not a silent no-op."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from common.serializers import StrictSerializer
from consent.scope import PLATFORMS, PURPOSES
from render.engine.options import ENGINES, LABEL_LANGUAGES, LINE_LANGUAGES, RESOLUTIONS, SUPPORTED_FPS
from render.models import Avatar, RenderJob, Segment, ShortVideo
from render.voices import VOICE_BACKENDS


class GestureMarkSerializer(StrictSerializer):
    name = serializers.CharField(max_length=32)
    start_s = serializers.FloatField(min_value=0)
    end_s = serializers.FloatField(min_value=0)


class AvatarCreateSerializer(StrictSerializer):
    brand = serializers.UUIDField()
    influencer = serializers.UUIDField()
    purpose = serializers.ChoiceField(choices=PURPOSES)
    platform = serializers.ChoiceField(choices=PLATFORMS)
    voice = serializers.BooleanField(default=False)
    grant = serializers.UUIDField(required=False)
    gesture_marks = GestureMarkSerializer(many=True, required=False)


class GestureMarksInputSerializer(StrictSerializer):
    gesture_marks = GestureMarkSerializer(many=True)


class AvatarSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    brand = serializers.UUIDField(source="brand.public_id", read_only=True)
    influencer = serializers.UUIDField(source="influencer.public_id", read_only=True)
    stage_name = serializers.CharField(source="influencer.stage_name", read_only=True)
    grant = serializers.SerializerMethodField()
    gestures = serializers.SerializerMethodField()

    class Meta:
        model = Avatar
        fields = (
            "id",
            "brand",
            "influencer",
            "stage_name",
            "grant",
            "purpose",
            "platform",
            "voice",
            "status",
            "progress",
            "error_code",
            "error_message",
            "gesture_marks",
            "suggestions",
            "gestures",
            "sample_duration_s",
            "engine_defaults",
            "created_at",
            "built_at",
        )
        read_only_fields = fields

    def get_grant(self, avatar: Avatar) -> str | None:
        return str(avatar.grant.public_id) if avatar.grant_id else None  # type: ignore[union-attr]

    def get_gestures(self, avatar: Avatar) -> dict[str, str]:
        from render.engine.avatar.gestures import GESTURES

        return {k: v for k, v in GESTURES.items() if k != "idle"}


class AvatarProgressSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Avatar
        fields = ("id", "status", "progress", "error_code", "error_message")
        read_only_fields = fields


class ScriptLineSerializer(StrictSerializer):
    id = serializers.CharField(max_length=64, required=False)
    text = serializers.CharField(max_length=1000, trim_whitespace=False, allow_blank=True)
    language = serializers.ChoiceField(choices=LINE_LANGUAGES, default="zh")
    intent = serializers.CharField(max_length=32, default="idle")


class RenderJobCreateSerializer(StrictSerializer):
    avatar = serializers.UUIDField()
    purpose = serializers.ChoiceField(choices=PURPOSES)
    platform = serializers.ChoiceField(choices=PLATFORMS)
    resolution = serializers.ChoiceField(choices=tuple(RESOLUTIONS), default="720p")
    fps = serializers.ChoiceField(choices=SUPPORTED_FPS, default=30)
    engine = serializers.ChoiceField(choices=ENGINES, default="viseme-warp")
    label_languages = serializers.ChoiceField(choices=LABEL_LANGUAGES, default="zh+en")
    rhythm_label = serializers.BooleanField(default=False)
    # The approved script version to speak (a public id of streaming's ScriptVersion): raw lines are not accepted.
    script_version = serializers.UUIDField()
    # The voice (render/voices.py checks the combination and answers 400 with a sentence).
    tts_backend = serializers.ChoiceField(choices=VOICE_BACKENDS, required=False)
    voice = serializers.CharField(max_length=64, required=False, allow_blank=True, allow_null=True)
    voice_rate = serializers.FloatField(required=False, default=1.0)
    voice_pitch = serializers.FloatField(required=False, default=1.0)


class RenderJobSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    avatar = serializers.UUIDField(source="avatar.public_id", read_only=True)
    brand = serializers.UUIDField(source="brand.public_id", read_only=True)
    published_segments = serializers.SerializerMethodField()
    playlist_url = serializers.SerializerMethodField()

    class Meta:
        model = RenderJob
        fields = (
            "id",
            "avatar",
            "brand",
            "purpose",
            "platform",
            "settings",
            "lines",
            "script_id",
            "script_version_id",
            "script_version_number",
            "script_version_sha256",
            "script_approval_id",
            "status",
            "stream_id",
            "segment_count",
            "published_segments",
            "duration_s",
            "error_code",
            "error_message",
            "playlist_url",
            "created_at",
            "started_at",
            "finished_at",
        )
        read_only_fields = fields

    def get_published_segments(self, job: RenderJob) -> int:
        return job.segments.count()

    def get_playlist_url(self, job: RenderJob) -> str:
        from django.urls import reverse

        return reverse("render-api:job-file", kwargs={"job_id": job.public_id, "name": "index.m3u8"})


class SegmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    grant = serializers.SerializerMethodField()

    class Meta:
        model = Segment
        fields = (
            "sequence",
            "uri",
            "url",
            "sha256",
            "size",
            "duration",
            "wall_clock_start",
            "manifest_id",
            "previous_manifest_id",
            "watermark_id",
            "label",
            "grant",
            "script_line_ids",
            "ledger_event_id",
            "created_at",
        )
        read_only_fields = fields

    def get_grant(self, segment: Segment) -> str | None:
        return str(segment.grant.public_id) if segment.grant is not None else None

    def get_url(self, segment: Segment) -> str:
        from django.urls import reverse

        return reverse("render-api:job-file", kwargs={"job_id": segment.job.public_id, "name": segment.uri})


def marks_data(validated: Any) -> list[dict[str, Any]]:
    return [dict(m) for m in validated or []]


class ShortVideoCreateSerializer(StrictSerializer):
    avatar = serializers.UUIDField()
    script_version = serializers.CharField(max_length=64)
    orientation = serializers.ChoiceField(choices=("portrait", "landscape"), default="portrait")
    resolution = serializers.ChoiceField(choices=("720p", "1080p"), default="720p")
    label_languages = serializers.ChoiceField(choices=LABEL_LANGUAGES, default="zh+en")
    platform = serializers.ChoiceField(choices=PLATFORMS, required=False)
    # The voice (render/voices.py checks the combination and answers 400 with a sentence).
    tts_backend = serializers.ChoiceField(choices=VOICE_BACKENDS, required=False)
    voice = serializers.CharField(max_length=64, required=False, allow_blank=True, allow_null=True)
    voice_rate = serializers.FloatField(required=False, default=1.0)
    voice_pitch = serializers.FloatField(required=False, default=1.0)


class ShortVideoSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    avatar = serializers.UUIDField(source="avatar.public_id", read_only=True)
    brand = serializers.UUIDField(source="brand.public_id", read_only=True)
    download_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = ShortVideo
        fields = (
            "id",
            "avatar",
            "brand",
            "platform",
            "settings",
            "script",
            "status",
            "progress",
            "sha256",
            "size",
            "duration_s",
            "manifest_id",
            "watermark_id",
            "error_code",
            "error_message",
            "download_url",
            "page_url",
            "created_at",
            "started_at",
            "finished_at",
        )
        read_only_fields = fields

    def get_download_url(self, video: ShortVideo) -> str | None:
        from django.urls import reverse

        if video.status != ShortVideo.Status.DONE:
            return None
        return reverse("render-api:short-video-download", kwargs={"video_id": video.public_id})

    def get_page_url(self, video: ShortVideo) -> str:
        from django.urls import reverse

        return reverse("render:short-video", kwargs={"video_id": video.public_id})
