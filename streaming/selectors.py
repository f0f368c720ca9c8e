"""Reads of the catalog, scoped to what a user may see: members of the brand (any role), platform staff and platform
auditors. Anyone else gets 404 for an id, whether it exists or not (another brand's ids reveal nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import Membership, Organisation, User
from accounts.selectors import has_platform_read
from streaming.models import FaqEntry, Product

WRITE_ROLES = frozenset({Membership.Role.OWNER, Membership.Role.EDITOR, Membership.Role.OPERATOR})


def _uuid(value: UUID | str) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        raise Http404("No such object.") from None


def get_catalog_price(product_id: str) -> Decimal | None:
    """The CNY price of a catalog product, by its public UUID or numeric id, for `lint_script --price-check` (a shell
    tool for the brand's own staff and CI, so no user scope); None when there is no such product. ValueError when the
    id is neither form or the product is not priced in CNY (the linter compares CNY amounts)."""
    try:
        lookup: dict[str, object] = {"public_id": UUID(product_id)}
    except ValueError:
        if not product_id.isdigit():
            raise ValueError(f"{product_id!r} is not a product id (a UUID or a number)") from None
        lookup = {"pk": int(product_id)}
    product = Product.objects.filter(**lookup).first()
    if product is None:
        return None
    if product.currency != "CNY":
        raise ValueError(f"the price check compares CNY amounts; this product is priced in {product.currency}")
    return product.price


def list_products_for(user: User, *, organisation: Organisation | None = None) -> QuerySet[Product]:
    if not user.is_authenticated:
        return Product.objects.none()
    products = Product.objects.select_related("organisation")
    if not has_platform_read(user):
        products = products.filter(organisation__memberships__user=user)
    if organisation is not None:
        products = products.filter(organisation=organisation)
    return products.prefetch_related("images", Prefetch("faq", queryset=FaqEntry.objects.order_by("language", "pk")))


def get_visible_product(user: User, public_id: UUID | str) -> Product:
    product = list_products_for(user).filter(public_id=_uuid(public_id)).first()
    if product is None:
        raise Http404("No such product.")
    return product


def get_visible_faq_entry(user: User, product: Product, public_id: UUID | str) -> FaqEntry:
    entry = product.faq.filter(public_id=_uuid(public_id)).select_related("product__organisation").first()
    if entry is None:
        raise Http404("No such FAQ entry.")
    return entry


def has_brand_role(user: User, organisation_id: int, roles: Iterable[str]) -> bool:
    """Whether `user` is a member of the brand in one of `roles` (the catalog's, the scripts' and the streams'
    permission checks all ask this)."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation_id=organisation_id, role__in=list(roles)).exists()


def can_write_catalog(user: User, organisation_id: int) -> bool:
    """Owners, editors and operators change the catalog; viewers, auditors and platform staff only read."""
    return has_brand_role(user, organisation_id, WRITE_ROLES)


def writable_brands_for(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=WRITE_ROLES).order_by("name")


def readable_brands_for(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if has_platform_read(user):
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("name")


def search(products: QuerySet[Product], query: str) -> QuerySet[Product]:
    query = query.strip()
    if not query:
        return products
    return products.filter(Q(sku__icontains=query) | Q(name__icontains=query))
