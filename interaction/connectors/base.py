"""The connector interface: `to_messages(push)` maps one platform push (already authenticated by that platform's
own scheme) to Veracast messages ({"type": "comment"|"room", "id", ...}), which the connector then signs and posts
to the stream's webhook, or hands to interaction.ingestion.store_messages in-process."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar


class Connector(ABC):
    platform: ClassVar[str]

    @abstractmethod
    def to_messages(self, push: dict[str, Any]) -> list[dict[str, Any]]: ...


def _event(kind: str, count: Any = 1, item: Any = "") -> dict[str, Any]:
    return {"type": kind, "count": int(count or 1), "item": str(item or "")[:100]}


class DouyinConnector(Connector):
    """Douyin open platform live-room data push (直播间数据推送: 评论 live_comment, 点赞 live_like, 礼物 live_gift,
    关注 live_follow). Field names follow the public developer documentation's message samples (msg_id, sec_openid,
    content, timestamp in ms); the exact schema is behind the developer console, so verify against it."""

    platform = "douyin"
    KINDS: ClassVar[dict[str, str]] = {"live_like": "like", "live_gift": "gift", "live_follow": "follow"}

    def to_messages(self, push: dict[str, Any]) -> list[dict[str, Any]]:
        out = []
        for item in push.get("data") or [push]:
            kind = push.get("msg_type") or item.get("msg_type", "live_comment")
            base = {
                "type": "comment",
                "id": str(item.get("msg_id")),
                "platform": self.platform,
                "author_id": str(item.get("sec_openid")),
                "sent_at": (item.get("timestamp") or 0) / 1000 or None,
            }
            if kind == "live_comment":
                base["text"] = item.get("content", "")
            else:
                base["text"] = ""
                base["events"] = [
                    _event(
                        self.KINDS.get(kind, "like"),
                        item.get("like_num") or item.get("gift_num"),
                        item.get("sec_gift_id"),
                    )
                ]
            out.append({k: v for k, v in base.items() if v is not None})
        return out


class KuaishouConnector(Connector):
    """Kuaishou open platform (开放平台) live interaction push: the public documentation does not publish a
    comment-push schema for third parties (access is by application); this maps the common fields
    (messageId, userId, content, time in ms) and must be checked against the granted documentation."""

    platform = "kuaishou"

    def to_messages(self, push: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                "type": "comment",
                "id": str(push.get("messageId")),
                "platform": self.platform,
                "author_id": str(push.get("userId")),
                "text": push.get("content", ""),
                "sent_at": (push.get("time") or 0) / 1000 or None,
            }
        ]


class TaobaoConnector(Connector):
    """Taobao Live: no public live-room comment push for third-party ISVs was found (the Taobao open platform's
    live APIs are not publicly documented); the mapping assumes {id, nick_hash, content, time} and is a placeholder."""

    platform = "taobao"

    def to_messages(self, push: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                "type": "comment",
                "id": str(push.get("id")),
                "platform": self.platform,
                "author_id": str(push.get("nick_hash") or push.get("user_id")),
                "text": push.get("content", ""),
            }
        ]


CONNECTORS: dict[str, type[Connector]] = {c.platform: c for c in (DouyinConnector, KuaishouConnector, TaobaoConnector)}


def connector_for(platform: str) -> Connector:
    try:
        return CONNECTORS[platform]()
    except KeyError:
        raise ValueError(f"No connector for platform {platform!r}.") from None
