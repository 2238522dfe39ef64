"""Running the per-article work of a sync and of the entity phase on a Dask cluster.

The calling process stays the one writer of the index, the manifest and the entity store; the
cluster's workers only read and analyse articles (``tasks``) and send the results back. ``Cluster``
is the connection (``connect``), ``ClusterWorkers`` the engines' worker pool over it, and
``ClusterExtractor`` the entity extractor over it.
"""

from index.cluster.connection import Cluster, connect
from index.cluster.extraction import ClusterExtractor, on_cluster
from index.cluster.pool import ClusterWorkers

__all__ = ["Cluster", "ClusterExtractor", "ClusterWorkers", "connect", "on_cluster"]
