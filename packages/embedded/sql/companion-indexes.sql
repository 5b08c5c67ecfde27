-- FerretDB 1.24 over PostgreSQL stores a document as `_jsonb` and filters a field with
-- `(_jsonb -> 'field') @> value`, which its own btree indexes (one per MongoDB index) cannot
-- serve: every lookup, even by `_id`, is a sequential scan. Each time FerretDB creates one of
-- those indexes, this trigger adds a GIN twin (`jsonb_path_ops`, which serves `@>`) on each of
-- its expressions, so equality filters on indexed fields become index scans.
CREATE OR REPLACE FUNCTION quipu_companion_indexes() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  cmd record;
  idx record;
  expr text;
  name text;
BEGIN
  FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    SELECT i.indexrelid, i.indrelid, i.indnatts, am.amname, c.relname AS index_name,
           t.relname AS table_name, n.nspname AS schema_name
      INTO idx
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_am am ON am.oid = c.relam
      JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE i.indexrelid = cmd.objid;
    CONTINUE WHEN idx IS NULL OR idx.amname <> 'btree' OR idx.table_name LIKE '\_ferretdb\_%';
    FOR k IN 1..idx.indnatts LOOP
      expr := pg_get_indexdef(idx.indexrelid, k, true);
      CONTINUE WHEN expr NOT LIKE '%_jsonb -> %';
      name := 'quipu_gin_' || substr(md5(idx.schema_name || '.' || idx.table_name || ':' || expr), 1, 20);
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((%s) jsonb_path_ops)',
                     name, idx.schema_name, idx.table_name, expr);
    END LOOP;
  END LOOP;
END;
$$;

DROP EVENT TRIGGER IF EXISTS quipu_companion_indexes;
CREATE EVENT TRIGGER quipu_companion_indexes ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION quipu_companion_indexes();
