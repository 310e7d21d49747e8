"""Fixtures shared by every app's tests: organisations, users per role, and the real browser."""

import os
import shutil
import threading
import weakref

import pytest
from django.db.backends.signals import connection_created

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The apps whose tests run Celery tasks in-process even when REDIS_URL is set (tests marked ``services``
# excepted: they start a real worker). The other apps queue nothing, or test the broker itself.
EAGER_TASK_APPS = {"surveys", "comments", "scorecards", "exports", "demo", "reports"}


def pytest_collection_modifyitems(config, items):
    have_browser = os.path.exists(CHROMIUM)
    services = bool(os.environ.get("REDIS_URL")) and os.environ.get("DATABASE_URL", "").startswith("postgres")
    for item in items:
        if "browser" in item.keywords:
            # Tests that drive a live server and the ORM together run the ORM from Playwright's loop.
            os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
            if not have_browser:
                if os.environ.get("CI"):
                    raise pytest.UsageError(f"CI needs Debian's chromium at {CHROMIUM}; install it first.")
                item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed (make test installs it)"))
        if "services" in item.keywords and not services:
            # `make test` runs these on their own first: a real worker consumes the whole shared queue.
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL DATABASE_URL and REDIS_URL (see README)"))


@pytest.fixture(scope="session", autouse=True)
def close_every_database_connection(django_db_setup, django_db_blocker):
    """Close, before the test database is dropped, every connection the session opened on this thread.

    While Playwright's event loop runs (from the first browser test on), Django keeps this thread's
    connection per async context rather than per thread, so a connection opened before then is no
    longer the one Django closes at the end, and it kept the database from being dropped ("being
    accessed by other users").
    """
    opened = weakref.WeakSet()

    def remember(sender, connection, **kwargs):
        if threading.current_thread() is threading.main_thread():
            opened.add(connection)

    connection_created.connect(remember, weak=False)
    yield
    connection_created.disconnect(remember)
    with django_db_blocker.unblock():
        for wrapper in list(opened):
            wrapper.close()


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Run tasks in-process in the apps of ``EAGER_TASK_APPS``, except in tests marked ``services`` (real worker)."""
    from appraisal_portal.celery import app as celery_app

    app_name = request.node.path.relative_to(request.config.rootpath).parts[0]
    if app_name not in EAGER_TASK_APPS or request.node.get_closest_marker("services"):
        yield
        return
    before = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = before


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


def _import_organisations() -> None:
    from organisations.services import DEFAULT_CSV, organisations_import

    organisations_import(raw=DEFAULT_CSV.read_bytes())


def _uses_database(item) -> bool:
    return bool(item.get_closest_marker("django_db")) or bool(
        {"db", "transactional_db", "module_db"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """Create the test database, then import the organisations into it once for the whole session.

    Most tests run in a transaction rolled back at their end, so they all find the organisations as
    imported. Tests with ``transaction=True`` empty every table when they end; pytest-django runs them
    after the others, and ``organisations`` imports again for those that need them. Where no test
    uses the database, pytest-django creates none, and nothing is written anywhere.
    """
    if any(_uses_database(item) for item in request.session.items):
        with django_db_blocker.unblock():
            _import_organisations()


@pytest.fixture
def organisations(db):
    """The real 2013 structure: 4 regions, 27 area teams, 211 CCGs (imported once per session, see above)."""
    from organisations.models import CCG

    if not CCG.objects.exists():
        _import_organisations()


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """Hold one transaction open over a module's tests and roll it back at the module's end.

    A module-scoped fixture that requests this builds its rows once, inside it; each test's own
    transaction is then a savepoint within it, rolled back at the test's end, so a test may change
    those rows without the next test seeing it. Not for tests with ``transaction=True`` (they commit
    and empty the tables). Module fixtures return ids: tests read fresh instances.
    """
    from django.db import connection, transaction

    from organisations.models import CCG

    # A transaction begun by hand (autocommit off), not an atomic block: services that run in durable
    # transactions of their own (the scorecards' refresh and recompute) refuse to nest in an atomic block.
    with django_db_blocker.unblock():
        transaction.set_autocommit(False)
        if connection.vendor == "sqlite":
            # Python's sqlite3 begins a transaction only before a data change; a SAVEPOINT (the first
            # statement of any atomic block) would start one of SQLite's own, which its RELEASE commits.
            with connection.cursor() as cursor:
                cursor.execute("BEGIN")
        try:
            if not CCG.objects.exists():
                _import_organisations()
            yield
        finally:
            transaction.rollback()
            transaction.set_autocommit(True)


@pytest.fixture
def no_cycles(db):
    """No appraisal cycle, for a test that builds its own in a module whose ``module_db`` fixtures built some.

    The module's cycles go in this test's transaction only.
    """
    from surveys.models import Answer, Cycle, Invitation, Questionnaire, Response

    for model in (Answer, Response, Invitation, Questionnaire, Cycle):  # the order their protected keys need
        model.objects.all().delete()


@pytest.fixture
def no_organisations(db):
    """An empty organisations structure, for tests of importing into a new database."""
    from organisations.models import CCG, AreaTeam, Region

    CCG.objects.all().delete()
    AreaTeam.objects.all().delete()
    Region.objects.all().delete()


@pytest.fixture
def make_user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory


@pytest.fixture
def lead(organisations, make_user):
    return make_user(role="ccg_lead", ccg_code="01C", lead_role="clinical")


@pytest.fixture
def analyst(organisations, make_user):
    return make_user(role="analyst")


@pytest.fixture
def admin_user(organisations, make_user):
    return make_user(role="admin")


@pytest.fixture
def area_team_member(organisations, make_user):
    return make_user(role="area_team_member", area_team_code="Q44")


@pytest.fixture
def users_by_role(lead, analyst, admin_user, area_team_member):
    return {"ccg_lead": lead, "analyst": analyst, "admin": admin_user, "area_team_member": area_team_member}


@pytest.fixture(autouse=True)
def clear_the_cache():
    """Start every test with an empty cache: the API's throttles count in it (local memory in tests)."""
    from django.core.cache import cache

    cache.clear()
    yield
