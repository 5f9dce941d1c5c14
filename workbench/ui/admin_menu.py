"""The Beheer menu of the main window: users and a patient's access report, shown only to a
person whose role gives the right (the services refuse everyone else anyway)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from workbench.services.rights import Permission, allowed
from workbench.ui.context import UiContext

# The dialogs are imported when opened: the window's first paint does not need them.
if TYPE_CHECKING:
    from workbench.ui.access_report_dialog import AccessReportDialog
    from workbench.ui.tariffs_dialog import TariffsDialog
    from workbench.ui.users_dialog import UsersDialog


class AdminMenu:
    """Builds "Beheer" into `window`'s menu bar, before the Help menu, when the signed-in
    role may use any of it; `menu` is None otherwise."""

    def __init__(self, window: QMainWindow, context: UiContext) -> None:
        self._window = window
        self._context = context
        self.menu: QMenu | None = None
        self.users_action: QAction | None = None
        self.access_report_action: QAction | None = None
        self.tariffs_action: QAction | None = None
        self.dialog: UsersDialog | AccessReportDialog | TariffsDialog | None = (
            None  # the last one opened
        )
        role = context.user.role
        may_manage = (
            allowed(role, Permission.MANAGE_USERS) and context.accounts is not None
        )
        may_report = allowed(role, Permission.AUDIT_REPORT)
        # Whoever accounts for the declarations keeps the amounts they carry right.
        may_tariffs = allowed(role, Permission.EXPORT_DECLARATIONS)
        if not (may_manage or may_report or may_tariffs):
            return
        self.menu = QMenu(QCoreApplication.translate("AdminMenu", "&Admin"), window)
        if may_manage:
            self.users_action = self._add(
                QCoreApplication.translate("AdminMenu", "&Users…"), self.open_users
            )
        if may_report:
            self.access_report_action = self._add(
                QCoreApplication.translate("AdminMenu", "&Access report…"),
                self.open_access_report,
            )
        if may_tariffs:
            self.tariffs_action = self._add(
                QCoreApplication.translate("AdminMenu", "&Tariffs…"), self.open_tariffs
            )
        bar = window.menuBar()
        menus = [a for a in bar.actions() if a.menu() is not None]
        # The last menu is Help, which stays last.
        if menus:
            bar.insertMenu(menus[-1], self.menu)
        else:
            bar.addMenu(self.menu)

    def open_users(self) -> UsersDialog:
        from workbench.ui.users_dialog import UsersDialog
        dialog = UsersDialog(self._context, self._window)
        return self._open(dialog)

    def open_access_report(self) -> AccessReportDialog:
        from workbench.services.access_report import AccessReportService
        from workbench.ui.access_report_dialog import AccessReportDialog
        settings = self._context.settings
        service = AccessReportService(
            self._context.engine,
            names=settings.access_report_names,
            practice=settings.practice_name,
            clock=self._context.clock,
        )
        return self._open(AccessReportDialog(self._context, service, self._window))

    def open_tariffs(self) -> TariffsDialog:
        from workbench.services.billing import BillingService
        from workbench.ui.tariffs_dialog import TariffsDialog
        billing = self._context.billing or BillingService(self._context.engine,
                                                          self._context.clock)
        return self._open(TariffsDialog(self._context, billing, self._window))

    def _open(self, dialog):
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _add(self, text: str, slot) -> QAction:
        action = QAction(text, self._window)
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        return action
