DO $shardman$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${schema})
            AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ${schema}) THEN
        EXECUTE 'DROP SCHEMA IF EXISTS ' || pg_catalog.quote_ident(${schema});
    END IF;
END
$shardman$
