-- Rowtrail core, version 17: a protection whose field was renamed or dropped says so when it refuses a write.
--
-- A protection's trigger names its fields in two ways: its WHEN clause, which PostgreSQL stores by column number
-- (it follows ALTER TABLE ... RENAME COLUMN), and its arguments, which are text. After a rename, the WHEN still
-- decides that a watched field changed, and the function then looked the old name up: protect() read the FSM
-- field as NULL and refused "a transition from NULL to NULL" naming no field, refuse_read_only_change() failed with
-- PostgreSQL's "column ... not found in data type ...". Both now first check that the table still has each field
-- they name and otherwise fail with SQLSTATE 42703 (undefined_column), naming the protection, the table and the
-- missing columns, and saying to declare the protection again with the columns' names and install it. The check runs
-- only when a write is refused (after the WHEN), so it costs a write that passes nothing. status reports such a
-- protection as outdated, and install refuses a declaration naming a column the table does not have.

-- Fails when the table relid lacks any of fields (by name): the protection names a column renamed or dropped since
-- it was installed.
CREATE FUNCTION :ROWTRAIL_SCHEMA.refuse_missing_fields(relid oid, declared text[], protection text, fields text[]) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  missing text;
BEGIN
  SELECT string_agg(quote_ident(f.name), ', ' ORDER BY f.ord) INTO missing
  FROM unnest(fields) WITH ORDINALITY AS f(name, ord)
  WHERE NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = relid AND a.attname = f.name AND a.attnum > 0 AND NOT a.attisdropped
  );
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION USING
      ERRCODE = 'undefined_column',
      MESSAGE = format('Rowtrail: protection "%s" on table %I.%I names column(s) %s, which the table no longer has '
        || '(renamed or dropped since the protection was installed)', protection, declared[1], declared[2], missing),
      HINT = 'Declare the protection with the columns'' current names and install it again (installTracked(), '
        || '`rowtrail install` or a generated Rowtrail migration), in the migration that renames or drops them.';
  END IF;
END
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
  IF TG_NARGS > 2 THEN
    PERFORM :ROWTRAIL_SCHEMA.refuse_missing_fields(TG_RELID, declared, protection, TG_ARGV[2:TG_NARGS - 1]);
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
  named      text[] := '{}';
  changed    boolean;
  i          integer := 1;
BEGIN
  IF :ROWTRAIL_SCHEMA.protection_ignored(declared[1], declared[2], protection) THEN
    RETURN NEW;
  END IF;
  WHILE i + 1 < TG_NARGS LOOP
    named := named || TG_ARGV[i];
    i := i + 2;
  END LOOP;
  PERFORM :ROWTRAIL_SCHEMA.refuse_missing_fields(TG_RELID, declared, protection, named);
  i := 1;
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
