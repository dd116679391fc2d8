-- Rowtrail core, version 20: a refused write's hint names the protection with its table.
--
-- The hint said `ignore(["<name>"], fn)`. A bare name matches the protection of that name on every table the
-- statement reaches, and a protection's default name is its kind (read_only, soft_delete, versioned): following the
-- hint let an official interface through other tables' protections of the same name as well. It now names the
-- declared table with its schema (`public.orders:read_only`: `orders:read_only` would also match a table orders in
-- another schema), which matches this protection only. As in version 6 otherwise.
CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.raise_protection(
  table_schema text, table_name text, protection text, kind text, operation text,
  message text, fields jsonb DEFAULT '[]', transition jsonb DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION USING
    ERRCODE = 'RT001',
    MESSAGE = message,
    DETAIL = jsonb_build_object(
      'rowtrail', 'protection', 'table', table_schema || '.' || table_name, 'protection', protection,
      'kind', kind, 'operation', operation, 'fields', fields, 'transition', transition)::text,
    HINT = CASE
      WHEN kind = 'append_only' AND table_name = 'maintenance_log' THEN 'The maintenance log is never changed, not even in a maintenance window.'
      WHEN kind = 'append_only'
      THEN format('History is append-only: for audited maintenance, call %I.begin_maintenance(reason) first in the same transaction.', table_schema)
      ELSE format('Protection "%s" refuses this write; an official interface can run it inside ignore(["%s.%s:%s"], fn).', protection,
        table_schema, table_name, protection) END;
END
$$;
