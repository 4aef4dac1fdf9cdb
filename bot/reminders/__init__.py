"""Reminders: scheduled, escalating nudges to the officers who have not registered yet.

The pure domain lives here, with neither ``discord`` nor a database:

- :mod:`bot.reminders.models` the types: steps and their tiers, recipients, deliveries, plans;
- :mod:`bot.reminders.ladder` the ladder of steps before the deadline (``14,7,3,2,1``) and which
  step is current;
- :mod:`bot.reminders.planner` who gets which step through which channel, and who is skipped;
- :mod:`bot.reminders.templates` the nudge messages, their placeholders and admins' overrides;
- :mod:`bot.reminders.when` one-off times typed by organisers ("demain 10h", "in 2 days").

Recurring schedules and quiet hours are core, shared with the other scheduled posts:
:mod:`bot.schedule`.
"""
