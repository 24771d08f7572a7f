"""Locale text goes into SSML escaped exactly as ``html.escape(text, quote=False)`` escapes it."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from skill.alexa.speech import escape


@given(st.text(alphabet=st.sampled_from("&<>\"'a; #x") | st.characters(), max_size=60))
def test_escape_is_htmls(text):
    assert escape(text) == html.escape(text, quote=False)
