-- Rowtrail core, version 8: protections report, and are ignored by, the table they were declared on.
--
-- PostgreSQL runs a trigger declared on a partitioned table as a clone on each partition, where
-- TG_TABLE_SCHEMA and TG_TABLE_NAME name the partition: a refusal named the partition, and
-- ignore('<table>:<protection>') with the declared table's name did not let the write through.
-- protect() and refuse_read_only_change() now take the table from the trigger they run for, following
-- a clone to the trigger it was cloned from (pg_trigger.tgparentid). They look it up only when a write is
-- refused or ignored (after the trigger's WHEN). Generated protection functions name their table
-- as a constant.

-- The schema and name of the table a trigger was declared on: for a trigger PostgreSQL cloned onto a
-- partition, the table of the trigger it was cloned from (through every level of partitioning).
CREATE FUNCTION :ROWTRAIL_SCHEMA.trigger_table(relid oid, trigger_name name) RETURNS text[]
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE chain AS (
    SELECT t.tgrelid, t.tgparentid FROM pg_catalog.pg_trigger t WHERE t.tgrelid = relid AND t.tgname = trigger_name
    UNION ALL
    SELECT p.tgrelid, p.tgparentid FROM chain JOIN pg_catalog.pg_trigger p ON p.oid = chain.tgparentid
  )
  SELECT ARRAY[n.nspname::text, c.relname::text]
  FROM chain JOIN pg_catalog.pg_class c ON c.oid = chain.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE chain.tgparentid = 0
$$;

CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.protect() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  protection text := TG_ARGV[0];
  declared   text[] := coalesce(:ROWTRAIL_SCHEMA.trigger_table(TG_RELID, TG_NAME), ARRAY[TG_TABLE_SCHEMA::text, TG_TABLE_NAME::text]);
  kind       text := TG_ARGV[1];
  fields     jsonb := '[]';
  transition jsonb;
  old_row    jsonb;
  new_row    jsonb;
  message    text;
  i          integer;
BEGIN
  IF :ROWTRAIL_SCHEMA.protection_ignored(declared[1], declared[2], protection) THEN
    IF TG_LEVEL = 'ROW' AND TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    IF TG_LEVEL = 'ROW' THEN RETURN NEW; END IF;
    RETURN NULL;
  END IF;
  IF TG_LEVEL = 'ROW' AND TG_OP = 'UPDATE' AND TG_NARGS > 2 THEN
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    FOR i IN 2 .. TG_NARGS - 1 LOOP
      IF old_row -> TG_ARGV[i] IS DISTINCT FROM new_row -> TG_ARGV[i] THEN
        fields := fields || to_jsonb(TG_ARGV[i]);
      END IF;
    END LOOP;
    IF kind = 'fsm' THEN
      transition := jsonb_build_object('from', old_row -> TG_ARGV[2], 'to', new_row -> TG_ARGV[2]);
    END IF;
  END IF;
  message := CASE kind
    WHEN 'read_only' THEN format('rowtrail: cannot update read-only field(s) %s of table %I.%I (protection "%s")',
      (SELECT string_agg(f, ', ') FROM jsonb_array_elements_text(fields) f), declared[1], declared[2], protection)
    WHEN 'versioned' THEN format('rowtrail: cannot edit version field %s of table %I.%I directly (protection "%s")',
      TG_ARGV[2], declared[1], declared[2], protection)
    WHEN 'fsm' THEN format('rowtrail: transition of %s from %s to %s is not allowed on table %I.%I (protection "%s")',
      TG_ARGV[2], coalesce(transition ->> 'from', 'NULL'), coalesce(transition ->> 'to', 'NULL'), declared[1], declared[2], protection)
    ELSE format('rowtrail: cannot %s rows %s table %I.%I (protection "%s")',
      lower(TG_OP), CASE TG_OP WHEN 'INSERT' THEN 'into' WHEN 'UPDATE' THEN 'of' ELSE 'from' END, declared[1], declared[2], protection)
  END;
  PERFORM :ROWTRAIL_SCHEMA.raise_protection(declared[1], declared[2], protection, kind, TG_OP, message, fields, transition);
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.refuse_read_only_change() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  protection text := TG_ARGV[0];
  declared   text[] := coalesce(:ROWTRAIL_SCHEMA.trigger_table(TG_RELID, TG_NAME), ARRAY[TG_TABLE_SCHEMA::text, TG_TABLE_NAME::text]);
  fields     text[] := '{}';
  changed    boolean;
  i          integer := 1;
BEGIN
  IF :ROWTRAIL_SCHEMA.protection_ignored(declared[1], declared[2], protection) THEN
    RETURN NEW;
  END IF;
  WHILE i + 1 < TG_NARGS LOOP
    EXECUTE 'SELECT ' || TG_ARGV[i + 1] INTO changed USING OLD, NEW;
    IF changed THEN
      fields := fields || TG_ARGV[i];
    END IF;
    i := i + 2;
  END LOOP;
  PERFORM :ROWTRAIL_SCHEMA.raise_protection(declared[1], declared[2], protection, 'read_only', TG_OP,
    format('rowtrail: cannot update read-only field(s) %s of table %I.%I (protection "%s")',
      array_to_string(fields, ', '), declared[1], declared[2], protection),
    to_jsonb(fields));
  RETURN NULL;
END
$$;
