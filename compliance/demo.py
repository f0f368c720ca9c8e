"""The demo's compliance steps (called by `manage.py demo`): Iris's approved impact assessment before her avatar is
built, then after the stream the stream's compliance report (JSON, HTML, PDF) and Acme's signed auditor bundle
(export.zip, unpacked, checked by its own verify.py as an outsider would)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from django.utils import timezone

from accounts.models import InfluencerProfile, Organisation, User
from common.files import write_private
from compliance import services
from compliance.assessments import approve_influencer_assessment, covering_assessment, save_influencer_assessment
from compliance.pdf import render_pdf
from compliance.reports import build_report, report_html, report_json, report_sha256

DEMO_ASSESSMENT = {
    "purpose_codes": ["livestream_ecommerce", "short_video"],
    "modalities": ["face_likeness", "voice", "body_movement"],
    "purposes": "直播电商中以AI数字人形式克隆达人 Iris 的形象与声音，为品牌带货。AI livestream clone of Iris selling "
    "the products of brands she consents to.",
    "data_categories": "人脸视频、声纹、形象模型 face video, voiceprint, likeness model",
    "necessity": "没有这些信息无法生成数字人。The clone cannot be built without them.",
    "impact": "肖像与声音被滥用的风险。Risk of misuse of likeness and voice.",
    "measures": "单独同意与撤回、加密保管、可见标识、水印与C2PA、账本审计。Separate consent and withdrawal, vault "
    "encryption, visible labels, watermark and C2PA, ledger.",
}


def ensure_assessment(*, influencer: InfluencerProfile, assessor: User) -> dict[str, Any]:
    """Iris's impact assessment, written and approved by platform staff before her avatar is built."""
    assessment = covering_assessment(
        influencer_id=influencer.pk,
        purpose="livestream_ecommerce",
        modalities=DEMO_ASSESSMENT["modalities"],
        at=timezone.now(),
    )
    if assessment is None:
        draft = save_influencer_assessment(influencer=influencer, actor=assessor, values=DEMO_ASSESSMENT)
        assessment = approve_influencer_assessment(assessment=draft, actor=assessor)
    return {
        "id": str(assessment.public_id),
        "sha256": assessment.sha256,
        "page": f"/compliance/influencers/{influencer.public_id}/assessment/",
    }


def write_report_and_bundle(*, brand: Organisation, stream_id: str, output_dir: Path) -> dict[str, Any]:
    from audit.exports import build_export, create_command_line_export
    from compliance.artifacts import run_artifact_check
    from compliance.models import ArtifactCheck
    from render.models import RenderJob

    # The label, metadata and marking rules read the stored files' examination (fail closed without one): examine the
    # demo stream's files the way the dashboard's "Re-check now" does, in this process.
    job = RenderJob.objects.get(brand=brand, stream_id=stream_id)
    examined = run_artifact_check(ArtifactCheck.objects.create(organisation=brand, job=job).pk)
    report = build_report(organisation=brand, stream_id=stream_id)
    files = {
        "json": output_dir / "compliance-report.json",
        "html": output_dir / "compliance-report.html",
        "pdf": output_dir / "compliance-report.pdf",
    }
    write_private(files["json"], report_json(report))
    write_private(files["html"], report_html(report))
    write_private(files["pdf"], render_pdf(report))
    services.record_report_generated(organisation=brand, actor=None, report=report, sha256=report_sha256(report))

    export = create_command_line_export(organisation=brand)
    built = build_export(export_id=export.pk, out=output_dir / "export.zip")
    if built.status != "done":
        raise RuntimeError(f"the auditor bundle was not built: {built.error_message}")
    unpacked = output_dir / "export"
    shutil.rmtree(unpacked, ignore_errors=True)
    with zipfile.ZipFile(output_dir / "export.zip") as archive:
        archive.extractall(unpacked)
    # Owner-only, like every file the demo writes (the bundle holds consent records, minimised but personal).
    for path in [unpacked, *unpacked.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)
    # As an auditor runs it: isolated interpreter, nothing of the platform importable.
    verified = subprocess.run(
        [sys.executable, "-I", "verify.py"], cwd=unpacked, capture_output=True, text=True, timeout=300, check=False
    )
    return {
        "report": {
            "stream_id": stream_id,
            **{kind: str(path) for kind, path in files.items()},
            "sha256": report_sha256(report),
            "counts": report["counts"],
            "failing_rules": [r["rule"] for r in report["results"] if r["result"] == "fail"],
            "artifact_check": {
                k: v["result"] for k, v in examined.results.items() if isinstance(v, dict) and "result" in v
            },
            "page": f"/compliance/{brand.slug}/report/?stream={stream_id}",
            "dashboard": f"/compliance/{brand.slug}/",
        },
        "export": {
            "zip": str(output_dir / "export.zip"),
            "unpacked": str(unpacked),
            "sha256": built.sha256,
            "events": built.event_count,
            "verify_command": f"cd {unpacked} && python verify.py",
            "verified": verified.returncode == 0,
            "verify_output": (verified.stdout or verified.stderr).strip().splitlines()[-1:],
        },
    }
