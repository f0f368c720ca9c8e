"""The fixed product taxonomy: one code per category, with its zh-CN and English names.

Codes are what the catalog stores, what CSV files carry and what a consent's `excluded_product_categories` names.
Influencers type their exclusions freely (the scope stores strings), so `matches_exclusion` also accepts either
display name, case-insensitively. No Django here: the linter and the command line read it too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    en: str
    zh: str


CATEGORIES: tuple[Category, ...] = (
    Category("cosmetics", "Cosmetics", "化妆品"),
    Category("food", "Food", "食品"),
    Category("health_food", "Health food", "保健食品"),
    Category("medical_device", "Medical device", "医疗器械"),
    Category("drugs", "Drugs", "药品"),
    Category("apparel", "Apparel", "服装"),
    Category("home", "Home", "家居"),
    Category("electronics", "Electronics", "电子产品"),
    Category("alcohol", "Alcohol", "酒类"),
    Category("tobacco", "Tobacco", "烟草"),
    Category("baby", "Baby products", "母婴用品"),
    Category("other", "Other", "其他"),
)
BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}
CODES: tuple[str, ...] = tuple(BY_CODE)


def is_category(code: str) -> bool:
    return code in BY_CODE


def choices() -> list[tuple[str, str]]:
    """(code, "English / 中文") pairs for model and form choices."""
    return [(c.code, f"{c.en} / {c.zh}") for c in CATEGORIES]


def matches_exclusion(code: str, exclusion: str) -> bool:
    """Whether an influencer's free-text exclusion names the category `code` (by code or by either name)."""
    category = BY_CODE.get(code)
    if category is None:
        return False
    wanted = exclusion.strip().casefold()
    return wanted in {category.code, category.en.casefold(), category.zh, category.code.replace("_", " ")}
