"""The facilitator console: a Textual app that runs a live session from the keyboard."""
