"""Last known products and pricing per profile, so the catalogue shows at once on start.

Small JSON files under ``cache_dir()/catalog``; anything missing, unreadable or invalid reads as
"no cache" (the app then just waits for the network), never as an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from nfctagify_desktop.api.models import PriceEntry, Product
from nfctagify_desktop.paths import cache_dir

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
Kind = Literal["products", "pricing"]
CACHE_VERSION = 1


class CatalogCache:
    """Products and pricing lists per profile, with the time they were fetched."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else cache_dir() / "catalog"

    def _file(self, kind: Kind, profile: str) -> Path:
        # Profile names may hold any character: hash them into a safe file name.
        digest = hashlib.sha256(profile.encode("utf-8")).hexdigest()[:20]
        return self.directory / f"{kind}-{digest}.json"

    def save_products(self, profile: str, products: list[Product]) -> None:
        self._save("products", profile, products)

    def load_products(self, profile: str) -> tuple[list[Product], datetime] | None:
        return self._load("products", profile, Product)

    def save_pricing(self, profile: str, pricing: list[PriceEntry]) -> None:
        self._save("pricing", profile, pricing)

    def load_pricing(self, profile: str) -> tuple[list[PriceEntry], datetime] | None:
        return self._load("pricing", profile, PriceEntry)

    def clear(self, profile: str) -> None:
        for kind in ("products", "pricing"):
            self._file(kind, profile).unlink(missing_ok=True)

    def _save(self, kind: Kind, profile: str, items: list[Product] | list[PriceEntry]) -> None:
        payload: dict[str, Any] = {
            "version": CACHE_VERSION,
            "profile": profile,
            "saved_at": datetime.now(UTC).isoformat(),
            "items": [item.model_dump(mode="json", by_alias=True) for item in items],
        }
        path = self._file(kind, profile)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(payload, fh)
                os.replace(tmp_name, path)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
        except OSError as exc:  # a cache that cannot be written is not worth failing for
            log.warning("Could not write the %s cache: %s", kind, exc)

    def _load(self, kind: Kind, profile: str, model: type[M]) -> tuple[list[M], datetime] | None:
        path = self._file(kind, profile)
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            if (
                not isinstance(payload, dict)
                or payload.get("version") != CACHE_VERSION
                or payload.get("profile") != profile
            ):
                return None
            saved_at = datetime.fromisoformat(payload["saved_at"])
            items = [model.model_validate(item) for item in payload["items"]]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
            log.warning("Ignoring the unreadable %s cache %s: %s", kind, path, exc)
            return None
        if saved_at.tzinfo is None:
            saved_at = saved_at.replace(tzinfo=UTC)
        return items, saved_at
