"""The one YAML text engine: the loader choice, the depth guard, the fast reader and the scalar renderer.

Front-matter and the roadmap both read and write YAML through this package, so a quoting rule or a safety
limit is decided once. It knows nothing of entries or topics.
"""

from mljournal.core.yamledit.depth import MAX_NESTING as MAX_NESTING
from mljournal.core.yamledit.depth import yaml_too_deep_at as yaml_too_deep_at
from mljournal.core.yamledit.fast_reader import load_simple_mapping as load_simple_mapping
from mljournal.core.yamledit.loader import SafeLoader as SafeLoader
from mljournal.core.yamledit.scalar import PlainRule as PlainRule
from mljournal.core.yamledit.scalar import reads_back as reads_back
from mljournal.core.yamledit.scalar import render_key as render_key
from mljournal.core.yamledit.scalar import render_scalar as render_scalar
from mljournal.core.yamledit.scalar import same_value as same_value
from mljournal.core.yamledit.scalar import single_quoted as single_quoted
from mljournal.core.yamledit.scalar import yaml_double_quoted as yaml_double_quoted
from mljournal.core.yamledit.values import SUPPORTED_SCALARS as SUPPORTED_SCALARS
from mljournal.core.yamledit.values import Style as Style
from mljournal.core.yamledit.values import block_literal as block_literal
from mljournal.core.yamledit.values import render_value as render_value
