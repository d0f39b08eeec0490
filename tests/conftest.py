"""Shared fixtures: a site whose root is the portal's HomePage, and service availability.

The suite runs in parallel (pytest-xdist, one database per worker) and in any order: a test that
commits (`transaction=True`, `live_server`) empties the database at its end, and the hook below
puts back what the migrations created (the root page, the role groups, the review workflow) at
once, so the next test on that worker starts from the same database as every other test.

Content that many tests of a module read is built once, inside a transaction rolled back after the
module (or class), each test still in its own savepoint within it: the module's `build_world()`
with the `world` fixture (fresh instances for every test), the content sections (`site`), the demo
content (`demo_content`), and `class_site` for modules that also have committing tests.
"""

import gc
import os
import shutil

import pytest
from django.core.cache import cache
from django.db import connections
from pytest_django.plugin import blocking_manager_key
from wagtail.models import Page

# The slowest modules (browsers, subprocesses, demo content, large parametrised sets), longest
# first, as measured with --durations. They are started first so that on parallel workers none
# of them is left running alone at the end; the order changes the wall time, never a result.
SLOW_MODULES_FIRST = (
    "test_backup.py",
    "test_csp_browser.py",
    "test_cache_outage.py",
    "test_editor_journeys.py",
    "test_admin_pages.py",
    "test_accessibility.py",
    "test_page_cache_http.py",
    "test_admin_more_pickers.py",
    "test_page_cache.py",
    "test_document.py",
    "test_security_headers.py",
    "test_search_relevance.py",
    "test_page_routes.py",
    "test_admin_records.py",
    "test_record_protection.py",
    "test_admin_review.py",
    "test_concept_hierarchy.py",
    "test_demo_content.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the slowest modules first, each module's tests together and in the order they had.

    In a module with a `build_world()`, the tests that do not ask for its `world` run first: they
    start from an empty database as before, never inside the world (which stays open from the
    first test that asks for it to the module's end). That also lets the module's committing tests
    (a live server) run, before the world is built.

    With `--dist loadfile --no-loadscope-reorder` (the Makefile), pytest-xdist hands out whole
    files in this order.
    """
    rank = {name: n for n, name in enumerate(SLOW_MODULES_FIRST)}
    first_seen = {}
    for item in items:
        first_seen.setdefault(item.path, len(first_seen))
    items.sort(key=lambda item: (rank.get(item.path.name, len(rank)), first_seen[item.path], _in_world(item)))


def _in_world(item) -> bool:
    """Whether the test runs inside its module's `build_world()` content (asks for `world`)."""
    module = getattr(item, "module", None)
    return hasattr(module, "build_world") and "world" in getattr(item, "fixturenames", ())


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test that commits must not start inside another test's shared content (a module's open
    transaction): its flush would empty that content, and a live server would not see it."""
    if _empties_the_database(item) and connections["default"].in_atomic_block:
        pytest.fail("A committing test runs inside shared content (a module- or class-scoped transaction)")


def pytest_collection_finish(session):
    """Leave what is loaded by now (Django, Wagtail, the test modules: most of the heap) out of
    the cyclic garbage collector's rounds. It lives until the end anyway, and every full
    collection, whether Python's own or `gc.collect()` in tests/file_support.py, would walk it
    again: a third of a second each time."""
    gc.collect()
    gc.freeze()


def _empties_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    committed = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(committed) or "transactional_db" in item.fixturenames or "live_server" in item.fixturenames


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that committed, reload the migrations' data that Django's flush removed.

    Django's TransactionTestCase flushes every table at the end of the test and only reloads the
    serialized migration data at the start of the next test that asks for it (serialized_rollback);
    pytest-django therefore runs such tests last. Under xdist they run among the others, so the
    data is reloaded here, right after the flush, from the same serialized copy.
    """
    try:
        return (yield)
    finally:
        # After the session's last test its teardown has already destroyed the test databases and
        # pointed the connections back at the real ones: nothing to reload, and nothing to write there.
        if nextitem is not None and _empties_the_database(item):
            with item.config.stash[blocking_manager_key].unblock():
                for connection in connections.all(initialized_only=True):
                    contents = getattr(connection, "_test_serialized_contents", None)
                    if contents:
                        connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: what a rolled-back test cached (a glossary version,
    the next scheduled change, a rate-limit count) must not leak into the next one."""
    cache.clear()
    yield


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The demo content (`build_demo_content()`'s counts), built once for the module that asks for it.

    It lives in a transaction rolled back after the module; each test still runs in its own
    savepoint (the `db` fixture), so a test that edits or rebuilds leaves it as it was. Only for
    tests that do not commit: a live server needs committed data and builds its own.
    """
    from tests.demo_template import demo_content as build
    from tests.publishing_support import shared_content

    with shared_content(django_db_blocker):
        yield build()


@pytest.fixture(scope="module")
def _module_content(request, django_db_setup, django_db_blocker):
    """What the module's `build_site()` returns, or else the content sections' ids
    (tests/publishing_support.py::sections): built once per module, rolled back after it."""
    from tests.publishing_support import sections, shared_content

    build = getattr(request.module, "build_site", None)
    with shared_content(django_db_blocker):
        yield build() if build else {name: page.pk for name, page in sections().items()}


@pytest.fixture
def site(request, _module_content, db):
    """The module's shared content, built once per module (rolled back after it).

    By default the start page's content sections, published, with the roles and the review
    workflow: {"framework", "glossary", "chains", "results", "lessons"}. Each test gets instances
    fresh from the database, so what a test changes in memory (a parent's child count after
    `add_child`, a page's `live` after unpublishing it) never reaches the next test, as its
    database changes don't.

    A module with a world of its own defines `build_site()` (plain code, no fixtures) and gets what
    it returns, the same objects for every test: a test must not change them in memory. A new module
    defines `build_world()` and asks for `world` instead, which reads the instances again for every
    test. Only for tests that do not commit.
    """
    if hasattr(request.module, "build_site"):
        return _module_content
    return _section_pages(_module_content)


@pytest.fixture(scope="module")
def _module_world(request, django_db_setup, django_db_blocker):
    """What the module's `build_world()` returns, built once per module and rolled back after it.

    `build_world(site)`, taking `site`, is built inside the module's content sections (the `site`
    fixture's pages, which it gets). `build_world()` may also be a generator: what it yields is the
    world, and its code after the `yield` runs at the module's end, before the rollback (to remove
    files the build wrote)."""
    import inspect

    from tests.publishing_support import shared_content

    build = request.module.build_world
    takes_site = "site" in inspect.signature(build).parameters
    sections = request.getfixturevalue("_module_content") if takes_site else None
    with shared_content(django_db_blocker):
        if takes_site and not hasattr(request.module, "build_site"):
            sections = _section_pages(sections)
        args = (sections,) if takes_site else ()
        if not inspect.isgeneratorfunction(build):
            yield build(*args)
            return
        steps = build(*args)
        yield next(steps)
        next(steps, None)


@pytest.fixture
def world(_module_world, db):
    """The module's `build_world()`: content built once per module (rolled back after it), handed
    to each test with every model instance in it read fresh from the database.

    For a module whose tests each built the same content: it defines `build_world()` (plain code, no
    fixtures; it makes the start page itself, e.g. with `start_page()` or `sections()` from
    tests/publishing_support.py, or takes `site`) and its tests ask for `world`, or for the module's
    own fixture that returns (part of) it. What the build returns is walked (dicts, lists, tuples, sets) and each
    saved model instance in it is read again (`fresh()`), a page as its specific class, so what a
    test changes in memory (a page's title, `unpublish()`, a parent's cached child count, prefetched
    relations) never reaches the next test, as its database changes (its savepoint) don't. Other
    values are handed over as they are: return ids, names and model instances, nothing mutable else.

    The module's tests that do not ask for `world` run before it is built (see
    `pytest_collection_modifyitems`), from an empty database as before: a test that builds its own
    content, or commits (a live server), there. The tests that ask for it must not commit (conftest
    fails those with a message), and the content must not depend on the test: not on its parameters,
    its `settings`, a frozen clock or what an earlier test cached (the cache is cleared before each
    test and after the module).
    """
    return fresh(_module_world)


def fresh(value):
    """`value` with every saved model instance in it read again from the database (pages as their
    specific class), walking dicts, lists, tuples and sets; other values as they are."""
    from django.db.models import Model

    if isinstance(value, Model):
        if value.pk is None:
            raise ValueError(f"an unsaved {type(value).__name__} cannot be shared between tests")
        if type(value) is Page:
            return Page.objects.get(pk=value.pk).specific
        return type(value)._base_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return type(value)((key, fresh(item)) for key, item in value.items())
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(fresh(item) for item in value))
    if isinstance(value, (list, tuple, set, frozenset)):
        return type(value)(fresh(item) for item in value)
    return value


def _section_pages(ids: dict) -> dict:
    """The content sections (name → page id) as pages read fresh from the database."""
    return {name: Page.objects.get(pk=pk).specific for name, pk in ids.items()}


@pytest.fixture(scope="class")
def class_site(request, django_db_setup, django_db_blocker):
    """What the module's `build_site()` returns, built once per test class and rolled back after it.

    For a module that also has committing tests (a live server): a module's shared content would
    still be open under them, a class's is not.
    """
    from tests.publishing_support import shared_content

    with shared_content(django_db_blocker):
        yield request.module.build_site()


@pytest.fixture
def home(db):
    """The start page as the default site's root, like the demo content makes it, and the only page
    under the tree's root (Wagtail's welcome page and its site are removed)."""
    from tests.publishing_support import start_page

    return start_page()


@pytest.fixture
def glossary(home):
    """The glossary section page under the start page (`GlossaryIndexPageFactory`), without concepts.

    A module that needs concepts in it overrides this fixture, asking for this one by the same name.
    """
    from tests.factories import GlossaryIndexPageFactory

    return GlossaryIndexPageFactory()


class BreakerClock:
    """A stand-in for `portal.cache.clock`: it stands still until the test moves it."""

    def __init__(self, start: float):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def breaker_clock(monkeypatch):
    """The clock the cache's circuit breakers read, stopped: `breaker_clock.advance(seconds)` ends a
    breaker's pause at once instead of sleeping through it. (time-machine does not move the
    monotonic clock the breakers rightly use, so the clock itself is replaced.)"""
    from portal import cache as portal_cache

    clock = BreakerClock(portal_cache.clock())
    monkeypatch.setattr(portal_cache, "clock", clock)
    return clock


def service_required(env_var: str, what: str):
    """Skip locally with a reason when a service is absent; CI sets REQUIRE_SERVICES and fails instead."""
    if os.environ.get(env_var):
        return
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"{what} krävs i CI men {env_var} är inte satt")
    pytest.skip(f"{what} saknas: sätt {env_var} (starta med `make services`)")


def program_required(program: str, package: str, service: str) -> str:
    """The path of a service's own program, for tests that start or stop one themselves; skipped
    locally with a reason when it is missing, a failure under REQUIRE_SERVICES. Also looks in
    /usr/sbin, where Debian puts daemons that are not on every user's PATH."""
    path = shutil.which(program) or shutil.which(program, path="/usr/sbin")
    if path is None:
        message = f"{program} saknas (Debians paket {package}; `scripts/services.sh start {service}`)"
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(message)
        pytest.skip(message)
    return path
