"""The BI tool (Apache Superset) on the marts: the read-only logins (the admin one and one per
workspace, row-level security in core/warehouse/row_security.py), the Superset install under
.tidemark/, the dashboard bundle and the REST provisioning. `tidemark bi` (tidemark/commands/bi.py)."""
