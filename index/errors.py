"""Errors a user can cause. Each carries one clear sentence for the CLI or the TUI to show."""


class BroadsheetError(Exception):
    """Base class: ``str(error)`` is a sentence fit to show a user."""


class CorpusError(BroadsheetError):
    """The corpus path is missing, not a folder or file, or not readable."""


class QueryError(BroadsheetError):
    """A query could not be parsed or run."""


class IndexBusyError(BroadsheetError):
    """Another process is writing this corpus's index."""


class IndexUnusable(BroadsheetError):
    """The index cannot be used: its folder cannot be created, opened or trusted, its files are
    damaged, or a process writing it failed."""


class NotebookError(BroadsheetError):
    """The user's notebook (curation, notes) cannot be opened, trusted or changed as asked: its
    folder or file, a newer version's database, an import file, an entity name that matches none."""


class ExportError(BroadsheetError):
    """An export's file cannot be written: its folder is missing or read-only, the disk is full."""


class ArticleNotFound(BroadsheetError):
    """No article has the requested id."""


class Cancelled(Exception):
    """The caller said to stop (``should_stop`` returned True): the search it asked for is no
    longer wanted, say because the user typed on. Nothing to show."""


class ClusterError(BroadsheetError):
    """The Dask cluster asked for cannot be reached, went away during a run, has no workers, or
    runs other versions of Broadsheet or of the entity model than the caller."""
