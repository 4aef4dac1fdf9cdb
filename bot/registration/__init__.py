"""Officer registration: roster, sign-ups, reconciliation, status and progress.

``models`` (statuses and the other closed sets, one type per table) and the pure rules beside it
(``roster_file``, ``signup_file``, ``reconcile``, ``roster_ops``, ``status_rules``, ``progress``,
``charts``); ``storage`` (the SQL); ``service`` (the use cases and their transactions, with
``progress_cache`` and ``chart_pipeline``); ``cli`` (the command-line presenter). Nothing here
imports ``discord``: the cogs and the CLI call :class:`~bot.registration.service.RegistrationService`
and render what it returns.
"""
