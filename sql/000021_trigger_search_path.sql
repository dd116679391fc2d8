-- Rowtrail core, version 21: the functions protections run cannot be taken over through search_path.
--
-- PostgreSQL searches pg_catalog first, but takes the best match of a call's argument types from every schema on the
-- search_path: a function of the exact argument types in another schema wins over pg_catalog's polymorphic or
-- variadic one (to_jsonb(anyelement), jsonb_build_object(VARIADIC "any"), format(text, VARIADIC "any"),
-- jsonb_path_exists with a literal path, text[] || text). A role that may create functions in a schema on a writing
-- role's search_path (public, on PostgreSQL 14 for every role) could have its own code run inside these functions, as
-- the writing role, and change what a protection refuses or what its refusal says. They now run with search_path
-- pg_catalog, pg_temp, as the maintenance functions have since version 16. The capture functions each tracked table
-- gets name pg_catalog for such calls themselves (no setting to change on every write); save_context(), context_id()
-- and statement_context_id(), which every tracked write runs, make no such call.
ALTER FUNCTION :ROWTRAIL_SCHEMA.protect() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.raise_protection(text, text, text, text, text, text, jsonb, jsonb) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.refuse_read_only_change() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.protection_ignored(text, text, text) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.ignored_protections() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.ignore_protections(text[]) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.context_comment(text) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.refresh_event_view() SET search_path = pg_catalog, pg_temp;
