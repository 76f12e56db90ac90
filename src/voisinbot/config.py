"""Settings, read once from the environment (prefix ``VOISINBOT_``) and an optional ``.env``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Locale = Literal["fr", "en"]
SUPPORTED_LOCALES: tuple[Locale, ...] = ("fr", "en")

# What Telegram accepts as a webhook secret_token.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Settings(BaseSettings):
    """Everything an operator can set. Validated once at start-up."""

    model_config = SettingsConfigDict(
        env_prefix="VOISINBOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # A secret: SecretStr keeps it out of reprs, logs and tracebacks.
    bot_token: SecretStr | None = None
    api_base_url: str = "https://api.telegram.org/bot"
    api_base_file_url: str = "https://api.telegram.org/file/bot"
    database: Path = Path("voisinbot.sqlite3")
    timezone: str = "Europe/Paris"
    default_locale: Locale = "fr"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    # Seconds of long polling per getUpdates call.
    poll_timeout: int = Field(default=30, ge=0, le=50)
    # "json": one JSON object per line, for log collectors.
    log_format: Literal["text", "json"] = "text"
    # Webhook mode (`voisinbot run --webhook`): the public HTTPS URL Telegram posts to, the
    # local address the bot listens on (behind a reverse proxy), and the shared secret.
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    # Days closed posts (done, cancelled, expired), and everything of a group the bot left,
    # are kept before being deleted for good.
    retention_days: int = Field(default=365, ge=1, le=36500)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _https_url(cls, value: object) -> object:
        # An empty line in .env means "not set".
        if not isinstance(value, str) or not value.strip():
            return None
        url = urlsplit(value.strip())
        if url.scheme != "https" or not url.hostname:
            raise ValueError("must be an https:// URL (Telegram only posts to HTTPS)")
        return value.strip()

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret_token(cls, value: object) -> object:
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if not isinstance(raw, str) or not raw.strip():
            return None
        if not _WEBHOOK_SECRET.fullmatch(raw.strip()):
            # Never echo the value: it is a secret.
            raise ValueError("must be 1 to 256 characters among A-Z, a-z, 0-9, _ and -")
        return raw.strip()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def token(self) -> str:
        """The bot token, for the one place that hands it to PTB."""
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise SettingError("VOISINBOT_BOT_TOKEN", "is required to run the bot")
        return self.bot_token.get_secret_value().strip()

    def webhook(self) -> Webhook:
        """The webhook settings, complete, or a SettingError naming what is missing."""
        if self.webhook_url is None:
            raise SettingError("VOISINBOT_WEBHOOK_URL", "is required in webhook mode")
        if self.webhook_secret is None:
            raise SettingError("VOISINBOT_WEBHOOK_SECRET", "is required in webhook mode")
        return Webhook(
            url=self.webhook_url,
            path=urlsplit(self.webhook_url).path or "/",
            listen=self.webhook_listen,
            port=self.webhook_port,
            secret=self.webhook_secret.get_secret_value(),
        )

    def secrets(self) -> list[str]:
        """Values the logs must never show."""
        values = [self.bot_token, self.webhook_secret]
        return [v.get_secret_value().strip() for v in values if v is not None]


@dataclass(frozen=True)
class Webhook:
    url: str
    path: str  # the URL's path: the only one the bot's HTTP server accepts updates on
    listen: str
    port: int
    secret: str = field(repr=False)


class SettingError(Exception):
    """A setting is missing or invalid; carries the variable name for a one-line message."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable} {problem}")
        self.variable = variable
        self.problem = problem


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one SettingError naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        raise SettingError(f"VOISINBOT_{field.upper()}", _plain(first["msg"])) from None


def _plain(message: str) -> str:
    # pydantic says "Value error, unknown timezone 'X'"; keep only the useful part.
    return "is invalid: " + message.removeprefix("Value error, ")
