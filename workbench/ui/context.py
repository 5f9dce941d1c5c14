"""What every pane needs, handed in by the main window (no globals, no service locator)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from workbench.config import Settings
from workbench.services.billing import BillingService
from workbench.services.images import PhotoPipeline
from workbench.services.inbox import InboxQueries, PractitionerInfo
from workbench.services.replies import ReplyService
from workbench.services.templates import TemplateService
from workbench.services.triage import Actor, TriageService
from workbench.store.blobs import BlobStore
from workbench.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from workbench.services.accounts import AccountService


@dataclass
class UiContext:
    settings: Settings
    engine: Engine
    blobs: BlobStore
    queries: InboxQueries
    triage: TriageService
    tasks: TaskRunner
    user: PractitionerInfo
    clock: Callable[[], datetime]
    replies: ReplyService | None = None
    templates: TemplateService | None = None
    photos: PhotoPipeline | None = None
    billing: BillingService | None = None
    accounts: AccountService | None = None  # signs in, unlocks and audits the lock

    @property
    def actor(self) -> Actor:
        return Actor(self.user.id)
