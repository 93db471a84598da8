"""A module whose import fails: the supervisor must stop, not respawn in a loop."""

raise RuntimeError("this module cannot be imported")
