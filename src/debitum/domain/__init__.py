"""The pure domain core: values in, values out. Imports nothing from Django.

A test (`debitum/domain/tests/test_purity.py`) fails when a module here imports Django, reads the
clock or touches the database.
"""
