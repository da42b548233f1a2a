"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.services.topic_page import TopicPage as TopicPage
from mljournal.core.services.topic_page import topic_page as topic_page
from mljournal.core.services.topic_page import topic_page_markdown as topic_page_markdown
from mljournal.core.services.topic_page import topic_page_text as topic_page_text
