"""`tabletop guide` in a terminal: the authoring guide in a Markdown viewer with its contents."""

from __future__ import annotations

from textual.widgets import MarkdownViewer
from textual.widgets.markdown import MarkdownTableOfContents

from ttx.commands.guide import guide_text
from ttx.tui.guide import GuideApp


async def test_guide_shows_the_authoring_guide_with_contents() -> None:
    app = GuideApp(guide_text())
    async with app.run_test(size=(120, 40)) as pilot:
        viewer = app.query_one(MarkdownViewer)
        await pilot.pause()
        assert viewer.show_table_of_contents
        contents = app.query_one(MarkdownTableOfContents)
        assert contents.table_of_contents, "the guide's headings are listed"
        titles = [entry[1] for entry in contents.table_of_contents or []]
        assert any("Checking a file" in title for title in titles)
        await pilot.press("t")
        assert not viewer.show_table_of_contents
        await pilot.press("q")
    assert app.return_code == 0
