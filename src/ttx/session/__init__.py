"""The live session: events, commands, the state derived by replaying them, branching, the clock."""
