"""Privacy rights and accountability: an officer's data exported, a person erased, personal data
purged after the retention period, and the audit trail read back.

``models`` (the closed sets and results) and ``rules`` (pure: what an audit entry is about, the
retention dates); ``storage`` (the SQL over every table holding personal data); ``service`` (the
use cases); ``cli`` (the command-line presenter). Nothing here imports ``discord``.
"""
