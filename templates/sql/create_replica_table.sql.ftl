CREATE TABLE ${table} (LIKE ${parent} INCLUDING DEFAULTS);
CREATE OR REPLACE FUNCTION public.shardman_refuse_replica_write() RETURNS trigger LANGUAGE plpgsql AS $shardman$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'read_only_sql_transaction';
END
$shardman$;
CREATE TRIGGER ${trigger} BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION public.shardman_refuse_replica_write(${message})
