"""Renders the main window on the demo data to PNG files (for the README and for review).

    xvfb-run -s "-screen 0 1920x1080x24" python tools/screenshot.py docs/screenshot.png 1366x768

Under a display (Xvfb) the window takes the size asked; Qt's offscreen platform, used when
there is no display, keeps every window within its own 800x800 screen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from workbench.bootstrap import open_store  # noqa: E402
from workbench.config import load_settings  # noqa: E402
from workbench.demo.server import DemoPortal, PortalOptions  # noqa: E402
from workbench.services import secrets  # noqa: E402
from workbench.store.models import Role  # noqa: E402
from workbench.ui.app import DesktopApp, create_application  # noqa: E402


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png")
    width, height = (int(v) for v in (sys.argv[2] if len(sys.argv) > 2 else "1366x768")
                     .split("x"))
    # As the demo: an audit key for this process only, so opening an e-consult is recorded.
    secrets.use_process_audit_key(secrets.generate_audit_key())
    portal = DemoPortal(PortalOptions(seed=1, photo_size=(1024, 768)))
    portal.start("127.0.0.1", 0)
    data_dir = tempfile.mkdtemp(prefix="workbench-screenshot-")
    settings = load_settings({"portal_url": portal.base_url, "data_dir": data_dir,
                              "auth": "none"})
    create_application(settings)
    store = open_store(settings)
    desktop = DesktopApp(settings, store)
    desktop.first_pull()
    user = next(p for p in desktop.queries.practitioners() if p.role is Role.ASSISTANT)
    window = desktop.open_window(user)
    window.show()
    window.resize(width, height)  # after show: showing applies the size hint
    wait(300)
    # Show an e-consult that reads urgent, as the assistant would see it first.
    window.inbox.select_next()
    wait(800)
    target.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(target))
    print(f"saved {target} ({width}x{height})")
    desktop.sync.stop()
    desktop.tasks.wait_for_done()
    window.close()
    store.close()
    portal.stop()
    QApplication.instance().quit()


if __name__ == "__main__":
    main()
