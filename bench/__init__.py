"""BoU Desktop's benchmarks: `python -m bench` (or `python bench/run.py`), never part of the test run.

Every figure is the median of repeated runs and is also given as a ratio to a floor measured in
the same run on the same machine, so that a slower or busier machine moves both together.
"""
