"""A fresh process that resumes a stream at one segment, as a replacement render worker would.

    python -m tests.render.engine.stream.resume_worker AVATAR.npz PKI_DIR SEQUENCE PREVIOUS_MANIFEST_ID OUT.m4s

It loads the avatar from bytes, re-plans the same script (rendered.LINES, rendered.CONFIG) and renders only segment
SEQUENCE, chained to PREVIOUS_MANIFEST_ID; it writes the signed segment and prints the plan fingerprint.
"""

from __future__ import annotations

import sys
from pathlib import Path

from render.engine.avatar import AvatarAssets
from render.engine.devcerts import DevelopmentChain
from tests.render.engine.stream.rendered import LINES, make_renderer


def main(argv: list[str]) -> int:
    assets_path, pki_dir, sequence, previous, out = argv
    pki_root = Path(pki_dir)
    pki = DevelopmentChain(
        root_cert=pki_root / "root-ca.pem",
        intermediate_cert=pki_root / "intermediate-ca.pem",
        signing_cert=pki_root / "signer.pem",
        signing_key=pki_root / "signer.key",
        chain=pki_root / "chain.pem",
    )
    renderer = make_renderer(pki, AvatarAssets.from_bytes(Path(assets_path).read_bytes()))
    plan = renderer.plan(LINES)
    result = renderer.render_segment(plan, int(sequence), previous_manifest_id=previous or None)
    Path(out).write_bytes(result.data)
    print(plan.fingerprint)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
