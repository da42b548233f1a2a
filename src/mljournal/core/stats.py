"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.services.stats import DayActivity as DayActivity
from mljournal.core.services.stats import JournalStats as JournalStats
from mljournal.core.services.stats import Streak as Streak
from mljournal.core.services.stats import collect_stats as collect_stats
from mljournal.core.services.stats import compute_streak as compute_streak
from mljournal.core.services.stats import linked_minutes as linked_minutes
from mljournal.core.services.stats import readable_minutes as readable_minutes
