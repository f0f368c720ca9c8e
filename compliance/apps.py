from __future__ import annotations

from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The auditor bundle carries each stream's compliance report; audit does not import this app, so the
        # section is registered from here (audit.bundle_sections).
        from audit import bundle_sections
        from compliance import bundle_section

        bundle_sections.register("compliance", bundle_section.write_reports)
