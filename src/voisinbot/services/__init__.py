"""Use cases: one async function per thing a resident or facilitator does. No Telegram here."""
