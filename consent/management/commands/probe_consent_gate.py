"""Ask the consent gate about one use in a tight loop and report when its answer changes.

Used to measure, from a separate process, how fast a revocation made elsewhere is seen (tests and bench). It does
not listen to the pub/sub channel: only the version stamp can tell it, which is the point.

    manage.py probe_consent_gate --influencer 12 --brand 3 --purpose livestream_ecommerce --platform douyin \
        --modalities face_likeness --timeout 30

Prints `ready` once the use is allowed (and cached), then `denied <reason> <unix time>` when it is refused.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = "Poll the consent gate until a use that is allowed becomes refused; print when."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--influencer", type=int, required=True)
        parser.add_argument("--brand", type=int, required=True)
        parser.add_argument("--purpose", default="livestream_ecommerce")
        parser.add_argument("--platform", default="douyin")
        parser.add_argument("--modalities", default="face_likeness")
        parser.add_argument("--timeout", type=float, default=30.0)
        parser.add_argument("--interval", type=float, default=0.002)
        parser.add_argument("--rounds", type=int, default=1, help="wait for this many allowed→denied changes")

    def handle(self, *args: Any, **options: Any) -> None:
        from types import SimpleNamespace

        from consent.gate import ConsentDenied, authorize_use

        avatar = SimpleNamespace(influencer_id=options["influencer"])
        modalities = [m for m in options["modalities"].split(",") if m]
        deadline = time.monotonic() + options["timeout"]
        allowed_before = False
        rounds = 0
        while time.monotonic() < deadline:
            try:
                authorize_use(
                    avatar=avatar,
                    brand=options["brand"],
                    purpose=options["purpose"],
                    platform=options["platform"],
                    modalities=modalities,
                    at=timezone.now(),
                )
                if not allowed_before:
                    allowed_before = True
                    sys.stdout.write("ready\n")
                    sys.stdout.flush()
            except ConsentDenied as denied:
                if allowed_before:
                    sys.stdout.write(f"denied {denied.reason} {time.time():.6f}\n")
                    sys.stdout.flush()
                    allowed_before = False
                    rounds += 1
                    if rounds >= options["rounds"]:
                        return
            time.sleep(options["interval"])
        sys.stdout.write("timeout\n")
        sys.stdout.flush()
