"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.roadmap.review import INTERVALS as INTERVALS
from mljournal.core.roadmap.review import LinkedEntry as LinkedEntry
from mljournal.core.roadmap.review import ReviewItem as ReviewItem
from mljournal.core.roadmap.review import ReviewQueue as ReviewQueue
from mljournal.core.roadmap.review import StaleTopic as StaleTopic
from mljournal.core.roadmap.review import due_date as due_date
from mljournal.core.roadmap.review import linked_entries as linked_entries
from mljournal.core.roadmap.review import review_queue as review_queue
