/**
 * The classic audit trigger (c): one row-level PL/pgSQL trigger writing the old
 * and new row as JSON into one table, as in the PostgreSQL wiki's audit trigger
 * and the blog pattern it inspired. The user comes from a session setting
 * (falling back to current_user) instead of a temp-table lookup inside an
 * EXCEPTION block, which would make it slower still (a subtransaction per row).
 */
export const CLASSIC_AUDIT_SETUP = [
  `CREATE TABLE audit_log (
    id bigserial PRIMARY KEY, table_name text NOT NULL, user_name text NOT NULL, action char(1) NOT NULL,
    old_data json, new_data json, query text, record_id bigint, recorded_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE INDEX audit_log_record_idx ON audit_log (table_name, record_id)`,
  `CREATE FUNCTION audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  user_name text := coalesce(nullif(current_setting('audit.user', true), ''), current_user);
BEGIN
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO audit_log (table_name, user_name, action, old_data, new_data, query, record_id)
    VALUES (TG_TABLE_NAME::text, user_name, 'U', row_to_json(OLD), row_to_json(NEW), current_query(), NEW.id);
    RETURN NEW;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO audit_log (table_name, user_name, action, old_data, query, record_id)
    VALUES (TG_TABLE_NAME::text, user_name, 'D', row_to_json(OLD), current_query(), OLD.id);
    RETURN OLD;
  ELSE
    INSERT INTO audit_log (table_name, user_name, action, new_data, query, record_id)
    VALUES (TG_TABLE_NAME::text, user_name, 'I', row_to_json(NEW), current_query(), NEW.id);
    RETURN NEW;
  END IF;
END
$$`,
];

export function attachClassicAuditSql(table: string): string {
  return `CREATE TRIGGER audit_change AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_change()`;
}
