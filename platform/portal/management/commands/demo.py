"""`manage.py demo`: run the main job end to end on the embedded defaults and say where to look.

Database, keys, the demo personas with their real-name records, a consent grant signed by the influencer (Ed25519
API key, since the demo has no browser for a passkey) after a face-checked statement, an avatar built from a
consented sample, a labeled, watermarked, C2PA-signed stream of the approved script in the neural voice, about 50 s
of a live stream (the live runner in this process: interjection, presence lapse and return; HLS under
var/demo/live/, RTMP to VERACAST_DEMO_RTMP_URL when set), a signed ledger checkpoint, the stream's compliance report
and a verified auditor bundle (export.zip), and a full verification of the ledger; `var/demo/summary.json` lists them.
Running it again reuses what exists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from common.files import ensure_private_file, make_private_dir, write_private


@dataclass(frozen=True)
class Persona:
    key: str
    email: str
    display_name: str
    role: str  # organisation role, or "" for none
    organisation: str  # organisation slug, or ""
    is_staff: bool = False
    is_platform_auditor: bool = False


ORGANISATIONS = {"acme": "Acme Cosmetics", "globex": "Globex Foods"}
# Legal entities staff verify before anyone may grant the brand consent. Synthetic codes with valid GB 32100 and
# GB 11714 check characters; they belong to nobody.
LEGAL_ENTITIES = {
    "acme": ("艾克美化妆品（上海）有限公司", "91310115MA1K4ACM2A"),
    "globex": ("环球食品（深圳）有限公司", "91440300MA5FGLBX4C"),
}
PERSONAS = [
    Persona("alice", "alice@acme.example", "Alice Zhang (Acme owner)", "owner", "acme"),
    Persona("bob", "bob@acme.example", "Bob Li (Acme operator)", "operator", "acme"),
    Persona("victor", "victor@acme.example", "Victor Wu (Acme viewer)", "viewer", "acme"),
    Persona("audrey", "audrey@audit.example", "Audrey Chen (Acme auditor)", "auditor", "acme"),
    Persona("charlie", "charlie@globex.example", "Charlie Zhou (Globex owner)", "owner", "globex"),
    Persona("iris", "iris@creators.example", "Iris Wang (influencer)", "", ""),
    Persona("sam", "sam@veracast.example", "Sam Liu (platform staff)", "", "", is_staff=True),
]
# Synthetic identity numbers with valid GB 11643 check digits; they belong to nobody.
REAL_NAMES = {
    "iris": ("王艾瑞", "11010519491231002X", date(1949, 12, 31)),
    "bob": ("李博", "110101199003070038", date(1990, 3, 7)),
    # alice reviews Acme's scripts: an approver is a named, real-name verified person.
    "alice": ("张爱丽", "310101198802140023", date(1988, 2, 14)),
}


def demo_password(persona: Persona) -> str:
    # Demo-only credentials on the embedded database; printed in the summary so a person can log in.
    return f"{persona.key}-demo-password"


class Command(BaseCommand):
    help = "Run the Veracast demo end to end on the embedded defaults and write var/demo/summary.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(settings.DATA_DIR / "demo"), help="where to write the summary")

    def handle(self, *args: Any, **options: Any) -> None:
        from audit.keys import init_keys
        from audit.services import create_checkpoint, record_event

        output = Path(options["output"])
        make_private_dir(output)

        self.stdout.write("1/6 migrating the embedded database")
        database = settings.DATABASES["default"]
        if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) not in {"", ":memory:"}:
            ensure_private_file(Path(database["NAME"]))  # it holds the demo's personal data
        call_command("migrate", interactive=False, verbosity=0)

        self.stdout.write("2/6 development keys")
        key_paths = init_keys()

        self.stdout.write("3/6 demo personas, organisations and real-name records")
        with transaction.atomic():
            people, organisations, users, orgs = self._ensure_personas()
            record_event(
                kind="demo.run",
                subject=f"demo:{timezone.now():%Y%m%dT%H%M%S%f}",
                payload={"personas": sorted(people), "organisations": sorted(organisations)},
                actor="system",
            )

        from streaming.demo import run_catalog_demo

        self.stdout.write("    Acme's catalog: two products with FAQ in Chinese and English, imported from CSV")
        catalog = run_catalog_demo(brand=orgs["acme"], actor=users["alice"])
        from streaming.demo import run_script_demo

        self.stdout.write("    a generated script, one finding overridden, approved by alice with her passkey")
        scripts = run_script_demo(brand=orgs["acme"], author=users["alice"], reviewer=users["alice"])

        from compliance.demo import ensure_assessment, write_report_and_bundle

        self.stdout.write(
            "    Iris's personal-information impact assessment (PIPL Arts. 55-56), approved by sam (staff)"
        )
        assessment = ensure_assessment(influencer=users["iris"].influencer, assessor=users["sam"])

        self.stdout.write(
            "4/6 consent, avatar and a labeled stream: iris grants Acme consent (signed, face-checked), "
            "Acme builds her avatar and renders the approved script in the neural voice (a few minutes)"
        )
        from render.demo import run_render_demo

        render = run_render_demo(
            influencer=users["iris"].influencer,
            brand=orgs["acme"],
            actor=users["bob"],
            output_dir=output,
            script=scripts["approved"],
        )

        self.stdout.write(
            "    a portrait short video of the same approved script (purpose short_video): MP4 with label, "
        )
        self.stdout.write("    watermark, AIGC metadata and one C2PA manifest")
        from render.demo import run_short_video_demo

        short_video = run_short_video_demo(
            avatar_id=render["avatar_id"], actor=users["alice"], output_dir=output, script=scripts["approved"]
        )

        self.stdout.write(
            "    a live stream, about 50 s: portrait, the approved script looping, bob interjects, viewers comment "
            "(one answered aloud from the FAQ, one abusive one suppressed), bob leaves the console "
            "(10 s presence timeout: the stream pauses) and comes back (it resumes), then ends it"
        )
        from streaming.live_demo import run_live_demo

        live = run_live_demo(
            brand=orgs["acme"],
            owner=users["alice"],
            operator=users["bob"],
            avatar_id=render["avatar_id"],
            version_id=scripts["summary"]["version"],
            output_dir=output,
        )
        if live["runner"]["status"] != "ended":
            raise CommandError(f"the demo live stream did not end cleanly: {live['runner']}")

        self.stdout.write("5/6 signing a ledger checkpoint")
        checkpoint = create_checkpoint()

        self.stdout.write(
            "    the stream's compliance report (JSON, HTML, PDF) and Acme's signed auditor bundle, verified"
        )
        compliance = write_report_and_bundle(brand=orgs["acme"], stream_id=render["stream_id"], output_dir=output)
        if not compliance["export"]["verified"]:
            raise CommandError(f"the auditor bundle does not verify: {compliance['export']['verify_output']}")

        self.stdout.write("6/6 verifying the whole ledger")
        from audit.selectors import verify_stored_ledger

        report = verify_stored_ledger()
        if not report.ok:
            raise CommandError(f"the ledger does not verify: {report.problems[0]}")

        from audit.models import Checkpoint, LedgerEvent

        latest = checkpoint or Checkpoint.objects.order_by("-id").first()
        summary: dict[str, Any] = {
            "database": str(settings.DATABASES["default"]["NAME"]),
            "data_dir": str(settings.DATA_DIR),
            "keys": {"dir": str(settings.KEYS_DIR), "steps": key_paths},
            "portal": "run `make serve`, then open http://localhost:8000/ and log in as a persona below",
            "api": {"schema": "/api/schema/", "docs": "/api/docs/", "base": "/api/v1/"},
            "organisations": organisations,
            "personas": people,
            "catalog": {"brand": "acme", "products": catalog},
            "scripts": [scripts["summary"]],
            "render": render,
            "short_video": short_video,
            "live": live,
            "compliance": {"assessment": assessment, **compliance["report"]},
            "export": compliance["export"],
            "ledger": {
                "events": LedgerEvent.objects.count(),
                "subjects": report.subjects,
                "latest_checkpoint": None
                if latest is None
                else {"id": latest.pk, "merkle_root": latest.merkle_root, "key_id": latest.key_id},
                "verified": report.ok,
                "verify_command": "python manage.py verify_ledger",
            },
        }
        summary_path = output / "summary.json"
        write_private(summary_path, (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo complete: {LedgerEvent.objects.count()} ledger events in {report.subjects} chains, verified.\n"
                f"Stream: {render['playlist']} ({len(render['segments'])} signed segments, "
                f"{render['duration_s']:.1f} s; play it with an HLS player, or in the portal: Avatars & streams).\n"
                f"Live stream: {live['playlists']['archive']} (archive) and {live['playlists']['live']} (live "
                f"window), {live['segments']} segments, {live['duration_s']:.1f} s"
                + (f", pushed to {live['rtmp']['url']}" if live["rtmp"]["pushed"] else "")
                + f"; ledger subject {live['ledger_subject']}.\n"
                f"Short video: {short_video['file']} ({short_video['duration_s']:.1f} s, one C2PA manifest).\n"
                f"Compliance report: {compliance['report']['pdf']} ({compliance['report']['counts']['fail']} failing "
                f"rules); auditor bundle: {compliance['export']['zip']} (verified offline).\n"
                f"Script: approved version {scripts['summary'].get('version_sha256', '')[:12]} (portal: Scripts).\n"
                f"Look at {summary_path} (personas, passwords, ids, keys), then `make serve` and open "
                "http://localhost:8000/."
            )
        )

    def _ensure_personas(self) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]:
        from accounts.brands import submit_legal_entity, verify_organisation
        from accounts.invitations import add_member_with_recorded_acceptance
        from accounts.models import Membership, Organisation, RealNameRecord, User
        from accounts.services import create_influencer_profile, create_organisation, create_user, record_real_name

        users: dict[str, User] = {}
        for persona in PERSONAS:
            existing = User.objects.filter(email=persona.email).first()
            users[persona.key] = existing or create_user(
                email=persona.email,
                password=demo_password(persona),
                display_name=persona.display_name,
                is_staff=persona.is_staff,
                is_platform_auditor=persona.is_platform_auditor,
            )
        # Staff personas review consents and verify brands: the reviewers group (accounts.staff_groups).
        from django.contrib.auth.models import Group

        from accounts.staff_groups import REVIEWERS

        for persona in PERSONAS:
            if persona.is_staff:
                users[persona.key].groups.add(Group.objects.get(name=REVIEWERS))
        orgs: dict[str, Organisation] = {}
        for slug, name in ORGANISATIONS.items():
            owner = next(users[p.key] for p in PERSONAS if p.organisation == slug and p.role == "owner")
            orgs[slug] = Organisation.objects.filter(slug=slug).first() or create_organisation(
                name=name, slug=slug, owner=owner
            )
        for persona in PERSONAS:
            if persona.organisation and persona.role != "owner":
                org = orgs[persona.organisation]
                owner = next(
                    users[p.key] for p in PERSONAS if p.organisation == persona.organisation and p.role == "owner"
                )
                # Joining takes an accepted invitation; the demo records the persona's acceptance.
                if not Membership.objects.filter(organisation=org, user=users[persona.key]).exists():
                    add_member_with_recorded_acceptance(
                        organisation=org, user=users[persona.key], role=persona.role, actor=owner
                    )
        for slug, org in orgs.items():
            if not org.is_verified:
                owner = next(users[p.key] for p in PERSONAS if p.organisation == slug and p.role == "owner")
                legal_name, uscc = LEGAL_ENTITIES[slug]
                org = submit_legal_entity(organisation=org, actor=owner, legal_name=legal_name, uscc=uscc)
                orgs[slug] = verify_organisation(organisation=org, actor=users["sam"])
        iris = users["iris"]
        if not hasattr(iris, "influencer"):
            create_influencer_profile(user=iris, stage_name="Iris Live 艾瑞直播")
        for key, (legal_name, id_number, born) in REAL_NAMES.items():
            if not RealNameRecord.objects.filter(user=users[key]).exists():
                record_real_name(
                    user=users[key],
                    legal_name=legal_name,
                    id_number=id_number,
                    date_of_birth=born,
                    method=RealNameRecord.Method.ID_CARD_NFC,
                    verified_by=users["sam"],
                )
        people = {
            p.key: {
                "email": p.email,
                "password": demo_password(p),
                "public_id": str(users[p.key].public_id),
                "role": p.role or ("staff" if p.is_staff else "influencer"),
                "organisation": p.organisation or None,
                "real_name_verified": RealNameRecord.objects.filter(user=users[p.key]).exists(),
            }
            for p in PERSONAS
        }
        organisations = {
            slug: {"name": org.name, "public_id": str(org.public_id), "legal_name": org.legal_name, "uscc": org.uscc}
            for slug, org in orgs.items()
        }
        return people, organisations, users, orgs
