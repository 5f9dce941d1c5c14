"""What each way of starting Workbench loads: `--version` neither Qt nor SQLAlchemy, the
command line no Qt, the window's sign-in screen no store; and the window's start itself, sign-in
screen first, store beside it (real processes, a real store pulled from the demo portal)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from workbench import __version__

QT = ("PySide6", "shiboken6")
ORM = ("sqlalchemy", "workbench.store", "alembic")


def loaded_after(code: str, env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """The top-level names of the modules loaded once `code` ran in a fresh interpreter,
    and what it printed."""
    script = (f"import sys\n{code}\n"
              "print('MODULES', ' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    modules = next(line for line in done.stdout.splitlines() if line.startswith("MODULES"))
    return set(modules.split()[1:]), done.stdout


def any_of(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.startswith(prefixes))


def test_the_version_needs_neither_qt_nor_the_store():
    modules, out = loaded_after(
        "from workbench.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit as end:\n    assert not end.code")
    assert f"workbench {__version__}" in out
    assert not any_of(modules, QT + ORM + ("importlib.metadata",))


def test_the_version_is_the_package_version():
    from importlib.metadata import version
    assert version("workbench") == __version__  # pyproject.toml reads it from the package


def test_a_pull_on_the_command_line_loads_no_qt(start_portal, tmp_path):
    portal = start_portal(seed=2, consults=5)
    modules, out = loaded_after(
        "from workbench.services import secrets\n"
        "secrets.use_process_audit_key(bytes(range(32)))\n"
        "from workbench.cli import main\n"
        f"assert main(['sync', '--once', '--portal', {portal.base_url!r}, "
        f"'--data-dir', {str(tmp_path)!r}]) == 0", env=dict(os.environ, WORKBENCH_AUTH="none"))
    assert "new e-consults" in out
    assert not any_of(modules, QT + ("workbench.ui",))


def test_the_sign_in_screen_is_built_without_the_store():
    """What the window needs before its first paint: Qt and the sign-in dialog; SQLAlchemy,
    the models, the services and the main window load beside it (StoreOpening)."""
    modules, _out = loaded_after("import workbench.cli, workbench.ui.app")
    assert any_of(modules, ("PySide6",))
    assert not any_of(modules, ORM + ("workbench.services.accounts", "workbench.ui.main_window",
                                      "workbench.ui.photo_viewer", "PIL", "requests"))


def test_the_main_window_leaves_its_dialogs_until_they_open():
    modules, _out = loaded_after("import workbench.ui.main_window",
                                 env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert not any_of(modules, tuple(f"workbench.ui.{name}" for name in (
        "photo_viewer", "photo_canvas", "about_dialog", "new_message_dialog",
        "declarations_view", "users_dialog", "tariffs_dialog", "access_report_dialog",
        "assign_dialog", "route_dialog", "close_dialog", "urgency_dialog", "message_dialogs")))
    assert not any_of(modules, ("workbench.services.urgency", "spacy", "clinlp"))


@pytest.fixture
def pulled_store(start_portal, tmp_path):
    """A data folder with a store pulled from the demo portal and its demo accounts."""
    from workbench.bootstrap import make_portal_client, make_sync_service, open_store
    from workbench.config import load_settings
    from workbench.services.accounts import AccountService, ensure_demo_accounts
    from workbench.store.models import Role
    portal = start_portal(seed=3, consults=30, photo_share=0.0)
    settings = load_settings({"portal_url": portal.base_url, "data_dir": str(tmp_path),
                              "auth": "none"})
    store = open_store(settings)
    try:
        make_sync_service(settings, store, make_portal_client(settings)).run()
        ensure_demo_accounts(store.engine)
        username = next(a.username for a in AccountService(store.engine).accounts()
                        if a.role is Role.ASSISTANT and a.active)
    finally:
        store.close()
    return portal, tmp_path, username


def test_the_window_paints_the_sign_in_screen_before_the_store_opens(pulled_store):
    """The real start (no single sign-on): the sign-in screen is painted first; the name and
    password typed at once wait for the store, then sign in, and the inbox is painted."""
    from workbench.services.accounts import DEMO_PASSWORD
    portal, data_dir, username = pulled_store
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WORKBENCH_BENCH_FIRST_PAINT="1",
               WORKBENCH_DATA_DIR=str(data_dir), WORKBENCH_PORTAL_URL=portal.base_url,
               WORKBENCH_AUTH="none", WORKBENCH_BENCH_USER=username,
               WORKBENCH_BENCH_PASSWORD=DEMO_PASSWORD)
    code = ("from workbench.services import secrets\n"
            "secrets.use_process_audit_key(bytes(range(32)))\n"
            "from workbench.cli import main\n"
            "assert main([]) == 0")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    marks = [line.split()[0] for line in done.stdout.splitlines() if "rss_mb" in line]
    assert marks == ["sign-in-painted", "store-open", "signed-in", "inbox-painted"]
    rows = next(line for line in done.stdout.splitlines() if line.startswith("rows"))
    assert int(rows.split()[1]) > 0


def test_enter_before_the_store_is_open_signs_in_once_it_is(qtbot, pulled_store):
    from workbench.bootstrap import open_store
    from workbench.config import load_settings
    from workbench.services.accounts import DEMO_PASSWORD, AccountService
    from workbench.ui.sign_in_dialog import SignInDialog
    from workbench.ui.tasks import TaskRunner
    portal, data_dir, username = pulled_store
    tasks = TaskRunner()
    dialog = SignInDialog(None, tasks, remembered=username)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog._password.setText(DEMO_PASSWORD)
    dialog.accept()  # Enter, while the store still opens
    qtbot.wait(50)
    assert dialog.signed_in() is None and dialog.isVisible() and dialog.message() == ""

    store = open_store(load_settings({"portal_url": portal.base_url,
                                      "data_dir": str(data_dir)}))
    try:
        with qtbot.waitSignal(dialog.accepted, timeout=20_000):
            dialog.attach_accounts(AccountService(store.engine))
        assert dialog.signed_in().username == username
    finally:
        tasks.wait_for_done()
        store.close()


def test_the_sign_in_screen_loads_neither_requests_nor_keyring(tmp_path):
    """All the window does before the sign-in screen is painted (the configuration checked,
    the portal's address too; Qt started; the screen built and shown) needs no HTTP client
    and no keyring: they load with the store, beside the painted screen."""
    modules, out = loaded_after(
        "from workbench.config import load_settings, validate\n"
        "from workbench.ui.app import Workstation, create_application\n"
        "from workbench.ui.sign_in_dialog import SignInDialog\n"
        "from workbench.ui.tasks import TaskRunner\n"
        "settings = load_settings({'portal_url': 'http://127.0.0.1:9/fhir',\n"
        f"                          'data_dir': {str(tmp_path)!r}, 'auth': 'none'}})\n"
        "assert not validate(settings), validate(settings)\n"
        "app = create_application(settings, [])\n"
        "dialog = SignInDialog(None, TaskRunner(),\n"
        "                      remembered=Workstation(settings).remembered_user())\n"
        "dialog.show()\n"
        "app.processEvents()\n"
        "print('shown', dialog.isVisible())",
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert "shown True" in out
    assert not any_of(modules, ("requests", "keyring", "urllib3"))
