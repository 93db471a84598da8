"""Sergeant's benchmark suite: ``python benchmark/run.py`` (or ``./dev bench``); see benchmark/README.md."""
