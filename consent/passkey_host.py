"""Passkeys at an IP address: browsers refuse WebAuthn there ("This is an invalid domain"), so a page that asks for
a passkey says so first and links to the same page at the host name passkeys work on."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class HostAdvice:
    """The page is open at an IP address; `url` is the same page at `host` ("" when no host name is known)."""

    host: str
    url: str


def _ip(hostname: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((hostname or "").strip("[]"))
    except ValueError:
        return None


def passkey_host_advice(request: HttpRequest) -> HostAdvice | None:
    """None where passkeys can work (a host name); advice where the page was opened at an IP address."""
    opened = urlsplit(f"//{request.get_host()}")
    address = _ip(opened.hostname)
    if address is None:
        return None
    path = request.get_full_path()
    # The configured origin first (production names it), then the relying-party id on this port, then
    # localhost for a loopback address (a developer's machine).
    for origin in getattr(settings, "WEBAUTHN_ORIGINS", ()) or ():
        parts = urlsplit(str(origin))
        if parts.hostname and _ip(parts.hostname) is None:
            return HostAdvice(host=parts.hostname, url=f"{parts.scheme}://{parts.netloc}{path}")
    name = str(getattr(settings, "WEBAUTHN_RP_ID", "") or "")
    if not name or _ip(name) is not None:
        name = "localhost" if address.is_loopback else ""
    if not name:
        return HostAdvice(host="", url="")
    netloc = f"{name}:{opened.port}" if opened.port else name
    return HostAdvice(host=name, url=f"{request.scheme}://{netloc}{path}")
