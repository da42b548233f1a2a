"""The learning roadmap: a tree of topics in `roadmap.yaml`, its progress, and careful edits of the file.

The façade of the package: import from here. `model` holds the topics and progress, `read` and `build` turn
the file into a model (never raising: problems come back with their lines), `write` and `tree_edit` change
the file in place, byte for byte where the edit does not reach, `review` is the review schedule. Moving a
topic to a new id, which rewrites entries too, is a service: `mljournal.core.services.move_topic`.
"""

from __future__ import annotations

from mljournal.core.roadmap.id_change import rename_topic_id as rename_topic_id
from mljournal.core.roadmap.model import MAX_DEPTH as MAX_DEPTH
from mljournal.core.roadmap.model import STARTED as STARTED
from mljournal.core.roadmap.model import STATUS_MARKS as STATUS_MARKS
from mljournal.core.roadmap.model import STATUSES as STATUSES
from mljournal.core.roadmap.model import Progress as Progress
from mljournal.core.roadmap.model import Resource as Resource
from mljournal.core.roadmap.model import Roadmap as Roadmap
from mljournal.core.roadmap.model import RoadmapError as RoadmapError
from mljournal.core.roadmap.model import Topic as Topic
from mljournal.core.roadmap.model import display_status as display_status
from mljournal.core.roadmap.model import is_valid_id as is_valid_id
from mljournal.core.roadmap.model import next_status as next_status
from mljournal.core.roadmap.model import progress_dict as progress_dict
from mljournal.core.roadmap.model import resource_dict as resource_dict
from mljournal.core.roadmap.model import subtree_entry_counts as subtree_entry_counts
from mljournal.core.roadmap.model import unknown_topic_links as unknown_topic_links
from mljournal.core.roadmap.model import unknown_topics_message as unknown_topics_message
from mljournal.core.roadmap.read import MAX_ROADMAP_NESTING as MAX_ROADMAP_NESTING
from mljournal.core.roadmap.read import UNREADABLE_PREFIX as UNREADABLE_PREFIX
from mljournal.core.roadmap.read import load_roadmap as load_roadmap
from mljournal.core.roadmap.read import parse_roadmap as parse_roadmap
from mljournal.core.roadmap.templates import TEMPLATES as TEMPLATES
from mljournal.core.roadmap.templates import default_roadmap_text as default_roadmap_text
from mljournal.core.roadmap.write import add_topic as add_topic
from mljournal.core.roadmap.write import cycle_status as cycle_status
from mljournal.core.roadmap.write import mark_reviewed as mark_reviewed
from mljournal.core.roadmap.write import postpone_review as postpone_review
from mljournal.core.roadmap.write import rename_topic as rename_topic
from mljournal.core.roadmap.write import set_resource_status as set_resource_status
from mljournal.core.roadmap.write import set_status as set_status
