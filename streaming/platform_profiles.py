"""Platform profiles as data: one YAML file per platform in streaming/platform_profiles/, with the rules.md ids and
URLs it comes from and what the platform requires before a stream goes live. Loaded once and validated; a bad file
stops the load with a message naming the file and the entry."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROFILES_DIR = Path(__file__).resolve().parent / "platform_profiles"
KINDS = ("registration_id", "operator", "acknowledgement")


class ProfileError(ValueError):
    """A profile file that cannot be used: the message names the file and what is wrong."""


@dataclass(frozen=True)
class Requirement:
    code: str
    kind: str  # registration_id | operator | acknowledgement
    en: str
    zh: str

    def sentence(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


@dataclass(frozen=True)
class Source:
    rule: str
    title: str
    url: str


@dataclass(frozen=True)
class PlatformProfile:
    platform: str
    name_en: str
    name_zh: str
    sources: tuple[Source, ...]
    requirements: tuple[Requirement, ...]

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en

    @property
    def acknowledgements(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.kind == "acknowledgement")


def _text(file: str, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ProfileError(f"{file}: {where} must be a non-empty string")
    return value.strip()


def parse_profile(file: str, data: Any) -> PlatformProfile:
    if not isinstance(data, dict):
        raise ProfileError(f"{file}: the file must hold a mapping")
    unknown = set(data) - {"platform", "name", "sources", "requirements"}
    if unknown:
        raise ProfileError(f"{file}: unknown keys {sorted(unknown)}")
    platform = _text(file, "platform", data.get("platform"))
    if Path(file).stem != platform:
        raise ProfileError(f"{file}: platform {platform!r} must match the file name")
    name = data.get("name")
    if not isinstance(name, dict):
        raise ProfileError(f"{file}: name must map en and zh")
    sources_raw = data.get("sources")
    if not isinstance(sources_raw, list) or not sources_raw:
        raise ProfileError(f"{file}: sources must list at least one rules.md id with its URL")
    sources = []
    for index, entry in enumerate(sources_raw):
        if not isinstance(entry, dict):
            raise ProfileError(f"{file}: sources[{index}] must be a mapping")
        url = _text(file, f"sources[{index}].url", entry.get("url"))
        if not url.startswith(("http://", "https://")):
            raise ProfileError(f"{file}: sources[{index}].url must be an http(s) URL")
        sources.append(
            Source(
                rule=_text(file, f"sources[{index}].rule", entry.get("rule")),
                title=_text(file, f"sources[{index}].title", entry.get("title")),
                url=url,
            )
        )
    requirements_raw = data.get("requirements")
    if not isinstance(requirements_raw, list):
        raise ProfileError(f"{file}: requirements must be a list")
    requirements = []
    seen: set[str] = set()
    for index, entry in enumerate(requirements_raw):
        if not isinstance(entry, dict):
            raise ProfileError(f"{file}: requirements[{index}] must be a mapping")
        code = _text(file, f"requirements[{index}].code", entry.get("code"))
        if code in seen:
            raise ProfileError(f"{file}: requirements[{index}]: code {code!r} appears twice")
        seen.add(code)
        kind = entry.get("kind")
        if kind not in KINDS:
            raise ProfileError(f"{file}: requirements[{index}] ({code}): kind must be one of {', '.join(KINDS)}")
        requirements.append(
            Requirement(
                code=code,
                kind=kind,
                en=_text(file, f"requirements[{index}] ({code}).en", entry.get("en")),
                zh=_text(file, f"requirements[{index}] ({code}).zh", entry.get("zh")),
            )
        )
    return PlatformProfile(
        platform=platform,
        name_en=_text(file, "name.en", name.get("en")),
        name_zh=_text(file, "name.zh", name.get("zh")),
        sources=tuple(sources),
        requirements=tuple(requirements),
    )


def load_profiles(directory: Path = PROFILES_DIR) -> dict[str, PlatformProfile]:
    profiles = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ProfileError(f"{path.name}: not valid YAML ({exc})") from None
        profile = parse_profile(path.name, data)
        profiles[profile.platform] = profile
    return profiles


@cache
def profiles() -> dict[str, PlatformProfile]:
    return load_profiles()


def profile_for(platform: str) -> PlatformProfile:
    found = profiles().get(platform)
    if found is None:
        raise ProfileError(f"no platform profile for {platform!r} in {PROFILES_DIR}")
    return found
