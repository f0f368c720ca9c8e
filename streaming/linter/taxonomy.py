"""The product category codes the linter understands.

The catalog's taxonomy (streaming/categories.py, built beside this linter) uses the same codes; after both land,
this module can import them from there. Kept here so the linter stays importable on its own.
"""

from __future__ import annotations

CATEGORY_CODES: tuple[str, ...] = (
    "cosmetics",
    "food",
    "health_food",
    "medical_device",
    "drugs",
    "apparel",
    "home",
    "electronics",
    "alcohol",
    "tobacco",
    "baby",
    "other",
)
# The names an influencer may have typed for an exclusion (consent scopes store free text).
CATEGORY_NAMES: dict[str, tuple[str, ...]] = {
    "cosmetics": ("cosmetics", "化妆品"),
    "food": ("food", "食品"),
    "health_food": ("health food", "保健食品"),
    "medical_device": ("medical device", "医疗器械"),
    "drugs": ("drugs", "药品"),
    "apparel": ("apparel", "服装"),
    "home": ("home", "家居"),
    "electronics": ("electronics", "电子产品"),
    "alcohol": ("alcohol", "酒类"),
    "tobacco": ("tobacco", "烟草"),
    "baby": ("baby products", "母婴用品"),
    "other": ("other", "其他"),
}


def matches_exclusion(code: str, exclusion: str) -> bool:
    """Whether an influencer's exclusion (a code or either display name, any case) names the category `code`."""
    wanted = exclusion.strip().casefold()
    return wanted in {code, code.replace("_", " "), *CATEGORY_NAMES.get(code, ())}
