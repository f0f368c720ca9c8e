"""`manage.py faq_match --brand SLUG TEXT...`: what the live matcher would do with each comment, one JSON object per
line in order: decision (answer / operator / suppressed), answer (the approved text, for answer), faq_id, score
(calibrated confidence), reason. Writes nothing. Exit 2 for an unknown brand."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organisation
from interaction.decisions import judge_texts


class Command(BaseCommand):
    help = "Match comments against a brand's FAQ as the live matcher would; one JSON object per comment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--brand", required=True, help="the brand's slug")
        parser.add_argument("texts", nargs="+", help="comments to match")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(slug=options["brand"]).first()
        if org is None:
            raise CommandError(f"No brand with slug {options['brand']!r}.", returncode=2)
        for verdict in judge_texts(org.pk, list(options["texts"])):
            self.stdout.write(
                json.dumps(
                    {
                        "decision": verdict.decision,
                        "answer": verdict.answer if verdict.decision == "answer" else None,
                        "faq_id": verdict.faq_public_id,
                        "score": round(verdict.match.confidence, 4) if verdict.match else None,
                        "reason": verdict.reason,
                    },
                    ensure_ascii=False,
                )
            )
