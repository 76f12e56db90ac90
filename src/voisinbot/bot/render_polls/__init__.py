"""What residents read about collective decisions: texts and keyboards, within Telegram's
limits. One module per kind of decision, ``common`` for the shared pieces, ``messages`` for the
short answers (refusals, prompts, reminders, the roster)."""
