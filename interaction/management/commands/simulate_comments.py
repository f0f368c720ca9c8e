"""`manage.py simulate_comments STREAM_ID FILE [--speed N] [--decide]`: replay a CSV/JSONL of comments into a
stream at real-time pace (interaction.connectors.simulator)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interaction.connectors.simulator import replay_file
from interaction.decisions import decide_comment_ids
from streaming.models import Stream


class Command(BaseCommand):
    help = "Replay a CSV or JSONL file of comments into a stream at real-time pace."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("stream", help="the stream's public id")
        parser.add_argument("file", type=Path)
        parser.add_argument("--speed", type=float, default=1.0)
        parser.add_argument("--decide", action="store_true", help="decide the comments here, without a worker")

    def handle(self, *args: Any, **options: Any) -> None:
        stream = Stream.objects.filter(public_id=options["stream"]).first()
        if stream is None:
            raise CommandError("No such stream.", returncode=2)
        if not options["file"].is_file():
            raise CommandError(f"No file {options['file']}.", returncode=2)
        ids = replay_file(stream=stream, path=options["file"], speed=options["speed"])
        if options["decide"]:
            decide_comment_ids(ids)
        self.stdout.write(f"{len(ids)} comments stored.")
