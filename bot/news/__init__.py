"""Press coverage: collect articles, extract their text, analyse them and build digests.

Nothing in this package imports ``discord``: the cogs and the command line call
:class:`bot.news.service.NewsService` and render its results with :mod:`bot.news.render`.
"""
