"""The influencer sees only her own likeness and usage (and the pages of the streams that used it, without the
brand's setup): nina, another influencer, sees none of iris's avatars,
streams or usage, and a brand member has no likeness page. A brand sees only its own: Globex's owner meets 404 on
Acme's dashboard and usage (page and API), and Acme's viewer reads them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.streaming.metering.helpers import FROM, TO, usage_world

pytestmark = pytest.mark.django_db


def test_each_persona_sees_only_its_own(client: Client, personas: dict[str, Any]) -> None:
    world = usage_world(personas)
    acme = str(personas["acme"].public_id)
    globex = str(personas["globex"].public_id)
    query = {"from": FROM, "to": TO}

    client.force_login(personas["iris"])
    page = client.get(reverse("likeness:mine"), query).content.decode()
    assert world.streams[0].title in page
    assert str(world.avatar.public_id) in page
    assert client.get(reverse("streams:dashboard", args=[acme])).status_code == 404
    assert client.get(f"/api/v1/organisations/{acme}/licence-usage.csv", query).status_code == 404
    # the stream's page, as the influencer reads it: no ingest, key, operators or go-live controls of the brand's
    stream_page = client.get(reverse("streams:detail", args=[world.streams[0].public_id]))
    assert stream_page.status_code == 200
    assert world.streams[0].title in stream_page.content.decode()
    for brand_only in ("rtmp://", 'data-testid="key-last4"', 'data-testid="checks"', 'data-testid="end"'):
        assert brand_only not in stream_page.content.decode()
    assert client.post(reverse("streams:state", args=[world.streams[0].public_id]), {"to": "ended"}).status_code == 404
    assert client.get(f"/api/v1/streams/{world.streams[0].public_id}/").status_code == 404

    client.force_login(world.nina)
    assert client.get(reverse("streams:detail", args=[world.streams[0].public_id])).status_code == 404
    page = client.get(reverse("likeness:mine"), query).content.decode()
    assert world.streams[0].title not in page
    assert str(world.avatar.public_id) not in page
    assert 'data-testid="no-avatars"' in page
    assert 'data-testid="no-usage"' in page
    assert client.get(reverse("likeness:usage-csv"), query).content.decode().count("\r\n") == 1  # the header only

    client.force_login(personas["charlie"])
    assert client.get(reverse("streams:dashboard", args=[acme])).status_code == 404
    assert client.get(reverse("streams:usage-csv", args=[acme]), query).status_code == 404
    assert client.get(f"/api/v1/organisations/{acme}/licence-usage.csv", query).status_code == 404
    own = client.get(reverse("streams:dashboard", args=[globex]), query).content.decode()
    assert world.streams[0].title not in own
    assert 'data-testid="no-usage"' in own
    assert 'data-testid="no-incidents"' in own
    assert client.get(reverse("likeness:mine")).status_code == 404

    client.force_login(personas["victor"])  # Acme's viewer
    assert world.streams[0].title in client.get(reverse("streams:dashboard", args=[acme]), query).content.decode()
