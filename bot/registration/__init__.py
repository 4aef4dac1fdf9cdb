"""Officer registration: roster, sign-ups, reconciliation, status and progress.

Nothing in this package imports ``discord``: the cogs and the CLI call
:class:`bot.registration.service.RegistrationService` and render what it returns.
"""
