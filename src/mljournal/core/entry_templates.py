"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.entries.templates import BUNDLED_TEMPLATES as BUNDLED_TEMPLATES
from mljournal.core.entries.templates import DAILY_TEMPLATE as DAILY_TEMPLATE
from mljournal.core.entries.templates import TEMPLATES_DIR as TEMPLATES_DIR
from mljournal.core.entries.templates import EntryTemplate as EntryTemplate
from mljournal.core.entries.templates import TemplateError as TemplateError
from mljournal.core.entries.templates import bundled_template_text as bundled_template_text
from mljournal.core.entries.templates import fill_placeholders as fill_placeholders
from mljournal.core.entries.templates import install_templates as install_templates
from mljournal.core.entries.templates import load_template as load_template
from mljournal.core.entries.templates import load_templates as load_templates
from mljournal.core.entries.templates import parse_template as parse_template
from mljournal.core.entries.templates import template_names as template_names
