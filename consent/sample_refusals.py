"""What the training-sample page says when a sample is refused: one sentence per refusal code, saying what went
wrong and what to do. The codes stay the API's (clients match on them); people read these sentences."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SAMPLE_REFUSALS: dict[str, Promise] = {
    "undecodable": _(
        "This file could not be read as a video. Export it again from your camera app as an MP4 and choose it again."
    ),
    "unsupported_codec": _("This video is in a format we cannot read. Export it as an MP4 (H.264) and try again."),
    "too_short": _("The video is too short: record at least 30 seconds of yourself, facing the camera."),
    "too_long": _("The video is too long: keep it under 10 minutes, or trim it and try again."),
    "resolution_too_low": _("The picture is too small: record at 480p or more (any recent phone camera does)."),
    "no_face": _("No face found: face the camera in good light."),
    "multiple_faces": _("More than one face is in the picture: record alone, with nobody behind you."),
    "face_not_visible_enough": _(
        "Your face is out of sight for too much of the video: face the camera in good light and stay in the picture."
    ),
    "no_audio": _("We could not hear you: turn your microphone on and speak while you record."),
    "no_speech": _("We could hardly hear you: speak for part of the video, in a quiet room."),
    "unsupported_media_type": _("This file is not a video: choose a video file (MP4, WebM or MOV)."),
    "upload_too_large": _("The video is too large (at most 1 GB): record at a lower resolution or trim it."),
    "empty_upload": _("The file is empty: choose the video again."),
    "upload_expired": _("This upload waited more than a day and was dropped: choose the file again to start over."),
    "influencer_not_verified": _(
        "Your real-name verification is missing: verify your identity first, then upload your sample."
    ),
    "influencer_minor": _("You must be 18 or older to license your likeness on Veracast."),
    "not_an_influencer": _("Only influencers can upload a training sample."),
    "vault_unavailable": _(
        "The secure store is unavailable right now and nothing was lost: try again in a few minutes."
    ),
    "network": _("The connection dropped. Choose the same file again: the upload continues where it stopped."),
    "camera": _("The camera or microphone could not be opened: allow them for this site, or upload a file instead."),
    "other": _("Your video could not be accepted:"),
}
