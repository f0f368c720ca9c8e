"""Reading catalog CSV files (products and FAQ): encoding, columns, limits and row checks. No database here.

Chinese spreadsheet programs export CSV as GB18030 (or its subset GBK); others as UTF-8, often with a BOM. The file
is decoded as strict UTF-8 first, then as strict GB18030; anything else (UTF-16, Latin-1, binary) is refused rather
than guessed, since a wrong guess would store mojibake as the brand's product names. A file-level problem raises
`CatalogFileError`; row problems are collected with their line numbers so the whole file's errors show at once.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from streaming import categories

PRODUCT_COLUMNS = ("sku", "name", "price", "currency", "category", "selling_points")
FAQ_COLUMNS = ("sku", "language", "question", "variants", "answer")
LANGUAGES = ("zh", "en")
MAX_PRICE = Decimal("9999999999.99")  # what Product.price (12 digits, 2 decimals) holds
LIMITS = {"sku": 64, "name": 200, "currency": 3, "question": 500, "answer": 2000, "item": 200, "items": 20}


class CatalogFileError(ValueError):
    """The file as a whole cannot be read: a stable `code` and a sentence."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class RowError:
    file: str  # "products" or "faq"
    line: int
    column: str
    message: str


@dataclass(frozen=True)
class ProductRow:
    line: int
    sku: str
    name: str
    price: Decimal
    currency: str
    category: str
    selling_points: tuple[str, ...]


@dataclass(frozen=True)
class FaqRow:
    line: int
    sku: str
    language: str
    question: str
    variants: tuple[str, ...]
    answer: str


@dataclass
class Parsed:
    products: list[ProductRow] = field(default_factory=list)
    faq: list[FaqRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_limited(stream: IO[bytes], *, max_bytes: int) -> bytes:
    """At most `max_bytes` of `stream`; a longer file is refused after reading one byte past the limit."""
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = stream.read(min(65536, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise CatalogFileError(
            f"The file is larger than {max_bytes // 1024} KiB; split it into smaller files.", code="file_too_large"
        )
    return b"".join(chunks)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a UTF-8 (with or without BOM) or GB18030 file; CatalogFileError otherwise."""
    candidates: tuple[str, ...]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        candidates = ("utf-8",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding, errors="strict")
        except UnicodeDecodeError:
            continue
        # UTF-16 and binary files decode as GB18030 only with NULs in them; no catalog text holds a NUL.
        if "\x00" not in text:
            return text, encoding
    raise CatalogFileError(
        "The file is neither UTF-8 nor GB18030 text. Save it from your spreadsheet as “CSV UTF-8” and try again.",
        code="unknown_encoding",
    )


def _rows(text: str, required: tuple[str, ...], *, file: str, max_rows: int) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise CatalogFileError(f"The {file} file is empty: it needs a header line.", code="empty_file")
        names = [cell.strip().lower() for cell in header]
        missing = [column for column in required if column not in names]
        if missing:
            raise CatalogFileError(
                f"The {file} file has no column {', '.join(missing)} (required: {', '.join(required)}).",
                code="missing_column",
            )
        count = 0
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are allowed between rows
            count += 1
            if count > max_rows:
                # Stop here: the rest of the file is never parsed.
                raise CatalogFileError(
                    f"The {file} file has more than {max_rows:,} rows; split it into files of at most {max_rows:,}.",
                    code="too_many_rows",
                )
            values = {name: (cells[index].strip() if index < len(cells) else "") for index, name in enumerate(names)}
            yield reader.line_num, values
    except csv.Error as error:
        raise CatalogFileError(
            f"The {file} file is not valid CSV near line {reader.line_num}: {error}.", code="malformed_csv"
        ) from None


def parse_price(value: str) -> Decimal:
    """A non-negative amount with at most two decimals; ValueError with a sentence otherwise."""
    try:
        price = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"“{value}” is not a price; write it like 199.00.") from None
    if not price.is_finite():
        raise ValueError(f"“{value}” is not a price; write it like 199.00.")
    if price < 0:
        raise ValueError("A price cannot be negative.")
    if price > MAX_PRICE:
        raise ValueError("The price is too large.")
    if price.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("A price has at most two decimals.")
    return price.quantize(Decimal("0.01"))


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


class _Checker:
    def __init__(self, parsed: Parsed, file: str, line: int) -> None:
        self.parsed, self.file, self.line, self.ok = parsed, file, line, True

    def error(self, column: str, message: str) -> None:
        self.parsed.errors.append(RowError(self.file, self.line, column, message))
        self.ok = False

    def text(self, values: dict[str, str], column: str, limit: int, *, required: bool = True) -> str:
        value = values.get(column, "")
        if required and not value:
            self.error(column, f"{column} is empty.")
        elif len(value) > limit:
            self.error(column, f"{column} is longer than {limit} characters.")
        return value

    def items(self, values: dict[str, str], column: str) -> tuple[str, ...]:
        items = _split(values.get(column, ""))
        if len(items) > LIMITS["items"]:
            self.error(column, f"{column} has more than {LIMITS['items']} entries.")
        if any(len(item) > LIMITS["item"] for item in items):
            self.error(column, f"An entry of {column} is longer than {LIMITS['item']} characters.")
        return items


def parse_products(text: str, parsed: Parsed, *, max_rows: int) -> None:
    seen: dict[str, int] = {}
    for line, values in _rows(text, PRODUCT_COLUMNS, file="products", max_rows=max_rows):
        check = _Checker(parsed, "products", line)
        sku = check.text(values, "sku", LIMITS["sku"])
        name = check.text(values, "name", LIMITS["name"])
        price = Decimal(0)
        try:
            price = parse_price(values.get("price", ""))
        except ValueError as refusal:
            check.error("price", str(refusal))
        currency = (values.get("currency") or "CNY").upper()
        if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
            check.error("currency", f"“{currency}” is not a three-letter currency code such as CNY.")
        category = values.get("category", "").lower()
        if not categories.is_category(category):
            check.error("category", f"“{category}” is not a category; use one of {', '.join(categories.CODES)}.")
        points = check.items(values, "selling_points")
        if sku and sku in seen:
            check.error("sku", f"The sku {sku} already appears on line {seen[sku]}.")
        elif sku:
            seen[sku] = line
        if check.ok:
            parsed.products.append(ProductRow(line, sku, name, price, currency, category, points))


def parse_faq(text: str, parsed: Parsed, *, max_rows: int, known_skus: set[str]) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for line, values in _rows(text, FAQ_COLUMNS, file="faq", max_rows=max_rows):
        check = _Checker(parsed, "faq", line)
        sku = check.text(values, "sku", LIMITS["sku"])
        if sku and sku not in known_skus:
            check.error("sku", f"No product has the sku {sku} (in the catalog or the products file).")
        language = values.get("language", "").lower()
        if language not in LANGUAGES:
            check.error("language", f"“{language}” is not a language here; use zh or en.")
        question = check.text(values, "question", LIMITS["question"])
        variants = check.items(values, "variants")
        answer = check.text(values, "answer", LIMITS["answer"])
        key = (sku, language, question)
        if key in seen:
            check.error("question", f"The same question for {sku} ({language}) is on line {seen[key]}.")
        else:
            seen[key] = line
        if check.ok:
            parsed.faq.append(FaqRow(line, sku, language, question, variants, answer))
