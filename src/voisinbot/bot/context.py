"""A typed CallbackContext: ``context.store``, ``context.t`` instead of dict keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from voisinbot.bot.runtime import Runtime
from voisinbot.config import Settings
from voisinbot.i18n import Translator, translator
from voisinbot.storage import Store


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB builds one per update; the early handler group fills ``locale`` for the rest."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.locale: str | None = None

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.application.runtime  # type: ignore[attr-defined]
        return runtime

    @property
    def store(self) -> Store:
        return self.runtime.store

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    def now(self) -> datetime:
        return self.runtime.clock()

    @property
    def t(self) -> Translator:
        return translator(self.locale or self.runtime.settings.default_locale)
