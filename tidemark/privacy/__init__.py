"""GDPR export and erase of a workspace or one account (`tidemark privacy export | erase`, docs/privacy.md).

- `scope.py`   who the request is about: the workspace (checked) and its accounts, with what names them
- `tables.py`  where they are: every table found by introspection (an account column, or a mention)
- `export.py`  the zip: rows as JSON lines, report files, registry entries without secrets, a manifest
- `erase.py`   deletes rows and files in one pass, redacts run logs, keeps the audit row
- `files.py`   report files and the files under TIDEMARK_HOME that name an account

In the shell layer: erase rebuilds the marts with dbt (orchestration's vars) and reads the
credential store, so it sits above every layer it touches.
"""
