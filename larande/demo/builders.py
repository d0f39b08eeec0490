"""Builders for the portal's pages and records, shared by the demo content and the test factories.

One place decides how each kind of thing is made, so the demo portal and the tests' worlds are
built alike:

- `create_page` puts a new page under its parent with its fields, tags, many-to-many relations
  and child rows set (`apply_values`: child rows are numbered in the order given); `section_page`
  keeps one section page per slug under the start page; `save_revision` publishes through a
  revision, as an editor's publish button does.
- `upsert_page` and `upsert_record` find a page or record by slug or natural key and bring it up
  to the given values, writing only what differs: the demo build (`larande.demo.build`) is made
  of them, so it can be run again and again.
- `chain_elements`, `chain_links`, `indicator_values` and `stream` turn plain rows into the
  child rows and StreamField data the models store.

The test factories (`tests/factories.py`) add Swedish defaults and sequences on top of
`create_page` and `create_record`. Everything here is plain Django and Wagtail: the production
`build_demo_content` command imports it, so it must never need a test-only package.
"""

import json
import uuid
from decimal import Decimal

from django.conf import settings
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import get_serializable_data_for_fields
from taggit.managers import TaggableManager
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from larande.models import ChainElement, ChainLink, IndicatorValue

# Block ids derive from the page and position, so the same content always serialises the same.
BLOCK_NAMESPACE = uuid.UUID("8f3a6f1e-2b1c-4d4a-9b7e-4c6f0a1d2e3f")


class DemoContentError(RuntimeError):
    """The database holds something the demo content cannot be built on top of."""


# --- The tree ----------------------------------------------------------------------------------


def tree_root() -> Page:
    """The page tree's root; recreated as Wagtail's migrations make it if a flushed database lacks it."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def home_page() -> HomePage:
    """The start page; when there is none, a plain one is created as the default site's root.

    The demo build makes the full start page itself (`larande.demo.build`); this is the start
    page for content built without it, under which `section_page` puts the sections.
    """
    home = HomePage.objects.first()
    if home is not None:
        return home
    home = HomePage(title="Lärportalen", slug="hem", introduction="<p>Ramverk för strategiskt lärande.</p>")
    Page.get_first_root_node().add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Lärportalen"},
    )
    return home


# --- Values ------------------------------------------------------------------------------------


def apply_values(obj, values: dict) -> None:
    """Set fields, tags, many-to-many relations and child rows in memory (modelcluster defers the writes).

    Child rows get `sort_order` from their position in the list.
    """
    for name, value in values.items():
        f = obj._meta.get_field(name)
        if isinstance(f, TaggableManager | ParentalManyToManyField):
            getattr(obj, name).set(list(value))
        elif f.one_to_many and f.auto_created:
            for position, child in enumerate(value):
                child.sort_order = position
            setattr(obj, name, list(value))
        else:
            setattr(obj, name, value)


def stream(key: str, blocks: list[tuple[str, object]]) -> list[dict]:
    """StreamField data from (block type, value) pairs, with block ids derived from `key` and position."""

    def block_id(*parts) -> str:
        return str(uuid.uuid5(BLOCK_NAMESPACE, ":".join([key, *map(str, parts)])))

    raw = []
    for i, (block_type, value) in enumerate(blocks):
        if block_type == "benefits":
            items = [{"type": "item", "value": item, "id": block_id(i, j)} for j, item in enumerate(value["items"])]
            value = {**value, "items": items}
        raw.append({"type": block_type, "value": value, "id": block_id(i)})
    return raw


def chain_elements(rows) -> list[ChainElement]:
    """An effect chain's elements from (key, level, title, description) rows, in order."""
    return [
        ChainElement(key=key, level=str(level), title=title, description=description, sort_order=i)
        for i, (key, level, title, description) in enumerate(rows)
    ]


def chain_links(rows) -> list[ChainLink]:
    """An effect chain's links from (source key, target key, rationale, evidence) rows, in order."""
    return [
        ChainLink(source_key=source, target_key=target, rationale=rationale, evidence=evidence, sort_order=i)
        for i, (source, target, rationale, evidence) in enumerate(rows)
    ]


def _decimal(number) -> Decimal | None:
    # A Decimal is kept as it is (it used to be dropped, which left every demo indicator without values).
    if number is None or isinstance(number, Decimal):
        return number
    return Decimal(str(number))


def indicator_values(rows) -> list[IndicatorValue]:
    """An indicator's values from (year, value, target) rows; numbers become decimals, None stays empty."""
    return [
        IndicatorValue(year=year, value=_decimal(value), target=_decimal(target), sort_order=i)
        for i, (year, value, target) in enumerate(rows)
    ]


# --- Creating ----------------------------------------------------------------------------------


def save_revision(page: Page, *, publish: bool = True) -> Page:
    """Save the page's current state as a revision and, unless `publish` is False, publish it."""
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def create_page(parent: Page | None, model, values: dict, *, publish: bool = False) -> Page:
    """A new page of `model` under `parent` (a new tree root without one), with `values` applied.

    Without a revision, as a page saved in code is; `publish=True` publishes it through one.
    """
    page = model()
    apply_values(page, values)
    if parent is None:
        model.add_root(instance=page)
    else:
        parent.add_child(instance=page)
    if publish:
        save_revision(page)
    return page


def section_page(model, values: dict, *, parent: Page | None = None) -> Page:
    """The section page of `model` with `values["slug"]` under the start page, created if missing.

    The page models allow one of each section, so an existing one is returned as it is.
    """
    parent = parent or home_page()
    existing = model.objects.child_of(parent).filter(slug=values["slug"]).first()
    return existing or create_page(parent, model, values)


def create_record(model, values: dict, *, validate: bool = True):
    """A new record of `model` with `values` applied (relations and child rows included), saved."""
    obj = model()
    apply_values(obj, values)
    if validate:
        obj.full_clean()
    obj.save()
    return obj


# --- Updating in place ---------------------------------------------------------------------------


def _strip_block_ids(value):
    if isinstance(value, dict):
        return {k: _strip_block_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_strip_block_ids(v) for v in value]
    return value


def _normalise(value):
    """Serialised data without database ids, with order-free lists sorted and decimals canonical."""
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items() if k not in ("pk", "id")}
    if isinstance(value, list):
        # Child rows carry their own sort_order and m2m lists have no order, so sorting loses nothing.
        return sorted((_normalise(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _snapshot(obj) -> dict:
    """What an object holds, comparable before and after applying new values."""
    serialise = getattr(obj, "serializable_data", None)
    data = serialise() if serialise else get_serializable_data_for_fields(obj)
    for f in obj._meta.get_fields():
        if isinstance(f, StreamField) and f.name in data:
            raw = data[f.name]
            raw = json.loads(raw) if isinstance(raw, str) else raw
            # Serialised to a string so that _normalise keeps the blocks in their order.
            data[f.name] = json.dumps(_strip_block_ids(raw), sort_keys=True, default=str)
    return _normalise(data)


def upsert_page(parent: Page, model, slug: str, values: dict, *, publish: bool = True) -> tuple[Page, str]:
    """The page of `model` with `slug` under `parent`, created or brought up to `values`, and what was done.

    A new page is created as a draft and, unless `publish` is False, published through a revision
    ("created"); an existing one gets a new published revision only when something differs from
    what is live ("updated", else "unchanged"). Another page type at that slug is an error.
    """
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        if Page.objects.child_of(parent).filter(slug=slug).exists():
            raise DemoContentError(
                f"Sidan {parent.url_path}{slug}/ finns redan men är inte av typen {model._meta.verbose_name}."
            )
        return create_page(parent, model, {"slug": slug, "live": False, **values}, publish=publish), "created"

    before = _snapshot(page)
    apply_values(page, values)
    changed = _snapshot(page) != before
    if changed or not page.live or page.live_revision_id is None:
        save_revision(page)
        return page, "updated"
    return page, "unchanged"


def upsert_record(model, lookup: dict, values: dict) -> tuple[object, str]:
    """The record matching `lookup`, created or brought up to `values` (saved only when it differs),
    and what was done: "created", "updated" or "unchanged"."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return create_record(model, {**lookup, **values}), "created"
    before = _snapshot(obj)
    apply_values(obj, values)
    if _snapshot(obj) == before:
        return obj, "unchanged"
    obj.full_clean()
    obj.save()
    return obj, "updated"
