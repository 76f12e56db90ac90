"""Pure Python: the rules of neighbourhood life. No I/O, no Telegram, no SQL."""
