"""Settings, read once from the environment (prefix ``VOISINBOT_``) and an optional ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Locale = Literal["fr", "en"]
SUPPORTED_LOCALES: tuple[Locale, ...] = ("fr", "en")


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

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def token(self) -> str:
        """The bot token, for the one place that hands it to PTB."""
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise SettingError("VOISINBOT_BOT_TOKEN", "is required to run the bot")
        return self.bot_token.get_secret_value().strip()


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
