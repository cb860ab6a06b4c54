"""The BI tool (Apache Superset) on the marts: the read-only role, the Superset install under
.tidemark/, the dashboard bundle and the REST provisioning. `tidemark bi` (tidemark/commands/bi.py)."""
