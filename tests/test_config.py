"""Settings: defaults, validation, one clear line on a bad value."""

import subprocess
import sys

import pytest

from voisinbot.config import SettingError, load_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("VOISINBOT_TIMEZONE", "VOISINBOT_DEFAULT_LOCALE", "VOISINBOT_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(_env_file=None)
    assert settings.timezone == "Europe/Paris"
    assert settings.default_locale == "fr"
    assert str(settings.database) == "voisinbot.sqlite3"
    assert "api.telegram.org" in settings.api_base_url


def test_bad_timezone_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOISINBOT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(SettingError) as caught:
        load_settings(_env_file=None)
    assert caught.value.variable == "VOISINBOT_TIMEZONE"


def test_token_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOISINBOT_BOT_TOKEN", "123456:SECRET-TOKEN")
    settings = load_settings(_env_file=None)
    assert "SECRET" not in repr(settings)
    assert settings.token() == "123456:SECRET-TOKEN"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        (
            {"VOISINBOT_DEFAULT_LOCALE": "de", "VOISINBOT_BOT_TOKEN": "1:x"},
            "VOISINBOT_DEFAULT_LOCALE",
        ),
        ({}, "VOISINBOT_BOT_TOKEN"),
        ({"VOISINBOT_LOG_LEVEL": "LOUD", "VOISINBOT_BOT_TOKEN": "1:x"}, "VOISINBOT_LOG_LEVEL"),
    ],
)
def test_cli_bad_setting_is_one_line_and_exit_2(
    env: dict[str, str], variable: str, tmp_path: object
) -> None:
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "voisinbot", "run"],
        env=clean | env,
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr
