"""The look shared by the modal pickers (tags, topics, resources): a framed box in the middle of the screen."""

from __future__ import annotations

PICKER_CSS = """
{name} {{
    align: center middle;
}}
{name} > Vertical {{
    width: 80%;
    max-width: 100;
    height: auto;
    max-height: 90%;
    border: thick $primary;
    background: $panel;
    padding: 1 2;
}}
{name} .picker-title {{
    text-style: bold;
    margin-bottom: 1;
}}
{name} .picker-hint {{
    color: $text-muted;
    margin-top: 1;
}}
{name} .picker-error {{
    color: $error;
}}
"""
