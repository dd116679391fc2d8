import { dollarQuote } from '../ddl/dollar-quote.js';
import { qualified, quoteLiteral } from '../ddl/quote.js';

/**
 * An FSM's install check (a DO block, run before its trigger is created). The trigger compares the field's text
 * (OLD.field::text, NEW.field::text) with each transition's strings, so:
 * - a field whose values PostgreSQL writes as text by the session's settings (date and time types: DateStyle,
 *   TimeZone, IntervalStyle; money: lc_monetary; real and double precision: extra_float_digits; bytea: bytea_output),
 *   or an array, range or domain of one, is refused: the same transition
 *   would pass in one session and be refused in another;
 * - a state the field's type cannot read (an enum label it lacks, a value its domain refuses) is refused, with
 *   PostgreSQL's reason and SQLSTATE: no row can be in it;
 * - a state PostgreSQL writes otherwise (boolean "t" is written "true", jsonb has its own spacing, a varchar(n) keeps
 *   n characters) is refused, naming how it is written: a transition naming it would never match.
 * A table or field that does not exist is left to the checks that report it.
 */
export function fsmStateCheck(schema: string, table: string, protection: string, field: string, states: string[]): string {
  const name = qualified(schema, table);
  const where = `Rowtrail: FSM ${JSON.stringify(protection)} cannot be installed on table ${schema}.${table}`.replaceAll('%', '%%');
  return `DO ${dollarQuote(`
DECLARE
  field_type text;
  current oid;
  kind "char";
  category "char";
  base_of oid;
  element oid;
  subtype oid;
  multirange_subtype oid;
  state text;
  written text;
  reason text;
  code text;
BEGIN
  SELECT a.atttypid, format_type(a.atttypid, a.atttypmod) INTO current, field_type
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = to_regclass(${quoteLiteral(name)}) AND a.attname = ${quoteLiteral(field)} AND a.attnum > 0 AND NOT a.attisdropped;
  IF NOT FOUND THEN RETURN; END IF;
  -- the type, and through domains, arrays and ranges the types whose values make up its text
  LOOP
    SELECT t.typtype, t.typcategory, t.typbasetype, t.typelem, r.rngsubtype, m.rngsubtype
    INTO kind, category, base_of, element, subtype, multirange_subtype
    FROM pg_catalog.pg_type t
    LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid LEFT JOIN pg_catalog.pg_range m ON m.rngmultitypid = t.oid
    WHERE t.oid = current;
    IF category IN ('D', 'T') OR current IN ('pg_catalog.money'::regtype, 'pg_catalog.float4'::regtype, 'pg_catalog.float8'::regtype, 'pg_catalog.bytea'::regtype) THEN
      RAISE EXCEPTION USING
        ERRCODE = 'feature_not_supported',
        MESSAGE = format(${quoteLiteral(`${where}: its field %s is of type %s, whose values PostgreSQL writes as text by the session's settings `
          + '(DateStyle, TimeZone, IntervalStyle, lc_monetary, extra_float_digits, bytea_output), and an FSM compares states as text: a transition would pass in one session and be refused in another')},
          ${quoteLiteral(field)}, field_type),
        HINT = 'Keep the state in a text or enum column.';
    END IF;
    current := CASE WHEN kind = 'd' THEN base_of WHEN category = 'A' AND element <> 0 THEN element WHEN kind = 'r' THEN subtype WHEN kind = 'm' THEN multirange_subtype END;
    EXIT WHEN current IS NULL;
  END LOOP;
  FOREACH state IN ARRAY ARRAY[${states.map(quoteLiteral).join(', ')}]::text[] LOOP
    BEGIN
      EXECUTE format('SELECT CAST(CAST($1 AS %s) AS text)', field_type) INTO written USING state;
    EXCEPTION WHEN unsafe_new_enum_value_usage THEN
      -- an enum label added in this transaction (the application's migration, run with this one): it exists, and an
      -- enum writes a label as it is
      written := state;
    WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS reason = MESSAGE_TEXT, code = RETURNED_SQLSTATE;
      RAISE EXCEPTION USING
        ERRCODE = code,
        MESSAGE = format(${quoteLiteral(`${where}: its state "%s" is not a value of field %s (%s): %s`)}, state, ${quoteLiteral(field)}, field_type, reason),
        HINT = 'List states the field can hold.';
    END;
    IF written IS DISTINCT FROM state THEN
      RAISE EXCEPTION USING
        ERRCODE = 'invalid_parameter_value',
        MESSAGE = format(${quoteLiteral(`${where}: PostgreSQL writes its state "%s" as "%s" in field %s (%s), and an FSM compares states as text, `
          + 'so transitions from or to "%s" would never match')}, state, written, ${quoteLiteral(field)}, field_type, state),
        HINT = format('Write the state as PostgreSQL writes it: "%s".', written);
    END IF;
  END LOOP;
END
`)}`;
}
