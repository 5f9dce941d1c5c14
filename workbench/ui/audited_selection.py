"""The views of items that wait for a person ("Niet verwerkt", "Onbekende afzender") show an
item's content only once its view is in the audit trail (fail-closed): one piece of code for
both."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6

log = logging.getLogger(__name__)


class AuditedSelection:
    """Mixed into a QWidget view with `_current_item()`, `_show(item)`, `_update_actions()`,
    `text_view` (a QPlainTextEdit), a `viewed(int)` signal and `_context` (UiContext). The
    view says how a view is recorded (`_record_view_call`) and what to show when it cannot be
    (`_unrecorded_text`)."""

    _shown_id: int | None = None
    _recorded_id: int | None = None  # the item whose view is in the audit trail

    def _record_view_call(self, item_id: int) -> Callable[[], Any]:
        raise NotImplementedError

    def _unrecorded_text(self) -> str:
        raise NotImplementedError

    def _current_changed(self) -> None:
        item = self._current_item()
        self._show(item)
        self._update_actions()
        if item is not None and item.id != self._shown_id:
            self._shown_id = item.id
            self._record_view(item.id)
        elif item is None:
            self._shown_id = None

    def _record_view(self, item_id: int) -> None:
        def done(_none) -> None:
            if shiboken6.isValid(self):
                self._recorded_id = item_id
                current = self._current_item()
                if current is not None and current.id == item_id:
                    self._show(current)
                self.viewed.emit(item_id)

        def failed(exc: BaseException) -> None:
            log.warning("audit of the view of %s %s failed: %s", type(self).__name__, item_id,
                        getattr(exc, "code", type(exc).__name__))
            current = self._current_item() if shiboken6.isValid(self) else None
            if current is not None and current.id == item_id:
                self.text_view.clear()
                self.text_view.setPlaceholderText(self._unrecorded_text())

        self._context.tasks.run_db(self._record_view_call(item_id), done, failed)
