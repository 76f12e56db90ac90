"""Collective decisions: quick polls, date finding, sign-up sheets and citizen budgets.

Pure rules, no I/O: reading a facilitator's command line (``syntax``, ``specs``), tallies and
winners (``tally``), the budget allocation (``budget``) and when reminders go out (``timing``).

The choices, in one place:

- Commands (French name, English alias), segments separated by ``|`` or new lines; a last
  segment made only of settings words and a deadline is read as settings (see ``syntax``):
  ``/sondage`` ``/poll`` Question ? | Option | Option … [| 48h anonyme plusieurs secret];
  ``/dates`` ``/when`` Title | sam 14/12 10h | dim 15/12 15h … [| jusqu'à vendredi 18h];
  ``/inscriptions`` ``/signup`` Title | lun (2) | mer (2) | sam … (places in brackets);
  ``/budget`` Title | 5000 € | Bancs 1200 | Composteur 800 … [| 15/01 20:00].
  Without words, each command asks for the title, then for the rest (ForceReply, stored).
- Quick polls are named by default: the roster reminder must know who has voted, and in a
  neighbourhood group a show of hands is the usual way. "anonyme" makes Telegram hide voters
  (the bot then only ever sees totals); "secret" asks Telegram to hide the results until the
  poll is stopped (``hide_results_until_closes``), and the result is posted at the close.
- Default deadlines: 48 h for a poll, 3 days for dates, a week for a budget; a sign-up sheet
  stays open until a facilitator closes it. At most a year ahead.
- Turnout: voters out of the residents the bot knows in the group (those it has seen there:
  it cannot list a group's members), never fewer than the voters.
- Best date: yes = 1, maybe = 0.5; ties go to more yes, then to the earlier slot.
- Budget: projects ranked by votes (ties: the order given), funded in that order while the
  money lasts; one that no longer fits is skipped and the next ones still get their chance;
  a project nobody voted for is never funded.
- Reminders 24 h and 2 h before a close (only those at least 30 min after the launch): one
  message in the group that names nobody, and privately to residents on the group's roster
  (``/participer``) who have not answered — never for anonymous polls or sign-up sheets.
"""
