"""The render domain's write workflows, by seam (this module re-exports them under their usual names):

- `render.avatars`     create_avatar, set_gesture_marks, build_avatar_now (the build on a render worker)
- `render.jobs`        submit_render_job, cancel_render_job, run_render_job (the worker's loop)
- `render.publisher`   publish_segment: gate check → render → store → ledger event → outputs, once per segment
                       (the render loop and a live runner call it); segment_storage; the HLS playlists
- `render.runtime`     worker-process caches (signer, watermark key, avatar assets), renderer_for(job), engine_error
- `render.short_videos` submit_short_video, run_short_video: an approved script as one downloadable MP4 (purpose
                       short_video), gated at submit, at start and before every 2 s span
- `render.revocation`  cancel_work_after_revocation, the consent revocation hook
- `render.gating`      render's questions to the consent gate; `render.errors` ConsentRefused, RenderFailed

Every use asks the consent gate first: `create_avatar` and `submit_render_job` before anything is queued, the
avatar build when it starts, and the publisher before every segment, which also re-checks the grant inside the
transaction that publishes. Choices (resolutions, frame rates, engines, label languages) come from
`render.engine.options`, the engine's own constants.
"""

from __future__ import annotations

from render.avatars import ASSETS_KIND, build_avatar_now, create_avatar, set_gesture_marks, validate_gesture_marks
from render.engine.options import ENGINES, LABEL_LANGUAGES, LINE_LANGUAGES, RESOLUTIONS, SUPPORTED_FPS
from render.engine.sample_decoder import SUPPORTED_CODECS, DecodedSample
from render.errors import ConsentRefused, RenderFailed
from render.jobs import MAX_LINES, cancel_render_job, run_render_job, submit_render_job
from render.publisher import Publication, publish_segment, record_segment, segment_storage
from render.revocation import cancel_work_after_revocation
from render.runtime import forget_cached_assets
from render.short_videos import (
    ORIENTATIONS,
    SHORT_VIDEO_RESOLUTIONS,
    require_ready_avatar,
    run_short_video,
    submit_short_video,
)

FRAME_RATES = SUPPORTED_FPS
LANGUAGES = LINE_LANGUAGES

__all__ = [
    "ASSETS_KIND",
    "ENGINES",
    "FRAME_RATES",
    "LABEL_LANGUAGES",
    "LANGUAGES",
    "MAX_LINES",
    "ORIENTATIONS",
    "RESOLUTIONS",
    "SHORT_VIDEO_RESOLUTIONS",
    "SUPPORTED_CODECS",
    "ConsentRefused",
    "DecodedSample",
    "Publication",
    "RenderFailed",
    "build_avatar_now",
    "cancel_render_job",
    "cancel_work_after_revocation",
    "create_avatar",
    "forget_cached_assets",
    "publish_segment",
    "record_segment",
    "require_ready_avatar",
    "run_render_job",
    "run_short_video",
    "segment_storage",
    "set_gesture_marks",
    "submit_render_job",
    "submit_short_video",
    "validate_gesture_marks",
]
