"""The one place that builds the PTB Application."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    BaseRateLimiter,
    CallbackContext,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest, HTTPXRequest

from voisinbot.bot.commands import publish_commands
from voisinbot.bot.context import BotContext
from voisinbot.bot.echo_free import EchoFreeBot
from voisinbot.bot.handlers import handlers, schedule_kinds
from voisinbot.bot.handlers.errors import note_refusal, on_error, stale_button
from voisinbot.bot.handlers.privacy import plan_retention
from voisinbot.bot.ratelimit import TelegramLimits
from voisinbot.bot.runtime import Clock, Runtime, system_clock
from voisinbot.bot.scheduler import Scheduler
from voisinbot.config import Settings
from voisinbot.domain.matching import default_lexicon
from voisinbot.services.digest import plan_all_digests
from voisinbot.services.matching import reindex_if_lexicon_changed
from voisinbot.storage import Store

log = logging.getLogger(__name__)

CHECKPOINT_EVERY = 30.0  # seconds between background WAL checkpoints


class VoisinApp(Application[Any, BotContext, Any, Any, Any, Any]):
    """PTB's Application carrying our resources as a typed attribute."""

    def __init__(self, *, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    clock: Clock = system_clock,
) -> VoisinApp:
    """Build the application from the settings.

    ``request``/``updates_request`` replace the HTTP layer (the fake Bot API in tests and the
    demo); ``rate_limiter`` defaults to ``TelegramLimits`` (bot/ratelimit.py): Telegram's
    flood limits, 429s waited out, safe retries, and groups followed when they migrate.
    """
    store = Store(settings.database)
    runtime = Runtime(settings=settings, store=store, clock=clock)
    limiter: BaseRateLimiter[Any] = rate_limiter or TelegramLimits()
    if isinstance(limiter, TelegramLimits):
        limiter.on_chat_migrated = store.community.migrate_group
        limiter.on_chat_refused = partial(note_refusal, runtime)
    bot = EchoFreeBot(
        token=settings.token(),
        base_url=settings.api_base_url,
        base_file_url=settings.api_base_file_url,
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            tzinfo=settings.tz,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        # PTB's own defaults when it builds the bot: a wide pool for sending, one connection
        # for getUpdates.
        request=request or HTTPXRequest(connection_pool_size=256),
        get_updates_request=updates_request or request or HTTPXRequest(connection_pool_size=1),
        rate_limiter=limiter,
    )
    app: VoisinApp = (
        Application.builder()
        .bot(bot)
        .application_class(VoisinApp, kwargs={"runtime": runtime})
        .context_types(ContextTypes(context=BotContext))
        # We fetch updates ourselves (bot/polling.py) so the offset follows our commits.
        .updater(None)
        .post_init(_open_resources)
        .post_shutdown(_close_resources)
        .build()  # type: ignore[assignment]
    )
    runtime.scheduler = Scheduler(app)
    for kind, on_due in schedule_kinds().items():
        runtime.scheduler.register(kind, on_due)
    runtime.scheduler.on_start(_plan_digests)
    runtime.scheduler.on_start(plan_retention)
    for group, handler in handlers():
        app.add_handler(handler, group=group)
    # Last of its group: a button no handler claims (stale, forged) is answered, not left
    # spinning on the resident's screen.
    app.add_handler(CallbackQueryHandler(stale_button), group=0)
    app.add_error_handler(on_error)
    return app


async def _open_resources(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    assert isinstance(app, VoisinApp)
    runtime = app.runtime
    await runtime.store.open()
    runtime.bot_username = app.bot.username
    await publish_commands(app.bot, runtime.settings.default_locale)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            _checkpoint, interval=CHECKPOINT_EVERY, first=CHECKPOINT_EVERY, name="checkpoint"
        )
    # The matching lexicon takes a moment to compile: do it now, off the event loop, rather
    # than on the first resident's post.
    runtime.warm_up = asyncio.ensure_future(asyncio.to_thread(default_lexicon))
    runtime.warm_up.add_done_callback(_freeze_long_lived)
    runtime.reindex = asyncio.ensure_future(_reindex_after_warm_up(runtime))
    log.info("VoisinBot ready as @%s", runtime.bot_username)


async def _reindex_after_warm_up(runtime: Runtime) -> int:
    """Once the lexicon is compiled: if it changed since the active posts were analysed (an
    upgrade), analyse them again in the background, so old posts meet new ones."""
    if runtime.warm_up is not None:
        await runtime.warm_up
    try:
        count = await reindex_if_lexicon_changed(runtime.store, runtime.clock())
    except Exception:  # the index stays as it was; tried again at the next start
        log.exception("matching index: analysing the active posts again failed")
        return 0
    if count:
        log.info("matching index: %d active posts analysed with the new lexicon", count)
    return count


def _freeze_long_lived(_: object) -> None:
    """Once per process, when the start-up objects are all there (the lexicon's ~50,000
    among them): set them aside from the cyclic garbage collector. Each full collection
    walked them again, a 20-40 ms pause in the middle of some resident's update
    (`voisinbot bench updates`, p99)."""
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


async def _plan_digests(app: VoisinApp) -> None:
    await plan_all_digests(app.runtime.store, app.runtime.clock())


async def _checkpoint(context: CallbackContext[Any, Any, Any, Any]) -> None:
    app = context.application
    assert isinstance(app, VoisinApp)
    await app.runtime.store.db.checkpoint()


async def _close_resources(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    assert isinstance(app, VoisinApp)
    if app.runtime.warm_up is not None:
        await app.runtime.warm_up  # a thread cannot be cancelled; it is quick, let it end
    reindex = app.runtime.reindex
    if reindex is not None and not reindex.done():
        reindex.cancel()  # resumed at the next start (the lexicon mark is written last)
    if reindex is not None:
        with contextlib.suppress(asyncio.CancelledError):
            await reindex
    await app.runtime.store.close()


@asynccontextmanager
async def running(app: VoisinApp) -> AsyncIterator[VoisinApp]:
    """Initialize, open resources, start the job queue; undo it all on the way out.

    PTB's run_polling does the same around its own Updater; we drive the update loop
    ourselves (bot/polling.py), so the lifecycle is spelled out here once for run, demo
    and tests.
    """
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        await app.runtime.scheduler.start()
        try:
            yield app
        finally:
            if app.running:
                await app.stop()
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
