"""Country names in English and Indonesian from pycountry (ISO 3166 with Debian's iso-codes translations)."""
from __future__ import annotations

import gettext
from functools import lru_cache


@lru_cache(maxsize=None)
def country_names() -> dict[str, dict[str, str]]:
    """Country names per language from pycountry (ISO 3166), keyed by alpha-2 code.

    pycountry ships the Debian iso-codes translations, Indonesian among them,
    so Irak/Iraq and Amerika Serikat/United States come from a maintained source.
    """
    import pycountry

    try:
        indonesian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"])
        translate = indonesian.gettext
    except OSError:  # pragma: no cover - pycountry always ships it
        translate = lambda s: s  # noqa: E731
    names: dict[str, dict[str, str]] = {"en": {}, "id": {}}
    for country in pycountry.countries:
        common = getattr(country, "common_name", None) or country.name
        names["en"][country.alpha_2] = common
        names["id"][country.alpha_2] = translate(country.name)
    return names
