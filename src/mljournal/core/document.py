"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.frontmatter.edit import remove_field as remove_field
from mljournal.core.frontmatter.edit import render_new_entry as render_new_entry
from mljournal.core.frontmatter.edit import set_field as set_field
from mljournal.core.frontmatter.edit_toml import _toml_key as _toml_key
from mljournal.core.frontmatter.edit_toml import _toml_spans as _toml_spans
from mljournal.core.frontmatter.edit_toml import _toml_string as _toml_string
from mljournal.core.frontmatter.errors import FrontMatterEditError as FrontMatterEditError
from mljournal.core.frontmatter.load import _Loader as _Loader
from mljournal.core.frontmatter.read import Document as Document
from mljournal.core.frontmatter.read import parse_document as parse_document
from mljournal.core.model import FrontMatterFormat as FrontMatterFormat
from mljournal.core.yamledit.depth import MAX_NESTING as MAX_NESTING
from mljournal.core.yamledit.depth import yaml_too_deep_at as yaml_too_deep_at
from mljournal.core.yamledit.scalar import yaml_double_quoted as yaml_double_quoted
