DO $shardman$
DECLARE
    data_table regclass := ${data}::regclass;
    column_list text;
    new_values text;
    assignments text;
    definitions text;
    old_key text;
    target text := ${data};
BEGIN
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
           string_agg('NEW.' || quote_ident(a.attname), ', ' ORDER BY a.attnum),
           string_agg(quote_ident(a.attname) || ' = NEW.' || quote_ident(a.attname), ', ' ORDER BY a.attnum),
           string_agg(quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
                      || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END, ', ' ORDER BY a.attnum)
      INTO column_list, new_values, assignments, definitions
      FROM pg_catalog.pg_attribute a WHERE a.attrelid = data_table AND a.attnum > 0 AND NOT a.attisdropped;
    SELECT string_agg(quote_ident(a.attname) || ' = OLD.' || quote_ident(a.attname), ' AND ')
      INTO old_key
      FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = data_table AND i.indisprimary;
    IF old_key IS NULL THEN
        RAISE EXCEPTION 'shardman: shared table % has no primary key', data_table;
    END IF;
<#if remote>
    EXECUTE format('CREATE FOREIGN TABLE %s (%s) SERVER %s OPTIONS (schema_name %L, table_name %L)',
                   ${foreignTable}, definitions, ${server}, ${remoteSchema}, ${remoteTable});
    target := ${foreignTable};
</#if>
    EXECUTE format('CREATE VIEW %s AS SELECT %s FROM %s', ${view}, column_list, ${data});
    EXECUTE format($function$CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO %s (%s) VALUES (%s);
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE %s SET %s WHERE %s;
        RETURN NEW;
    END IF;
    DELETE FROM %s WHERE %s;
    RETURN OLD;
END
$body$$function$, ${function}, target, column_list, new_values, target, assignments, old_key, target, old_key);
    EXECUTE format('CREATE TRIGGER shardman_write INSTEAD OF INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s()',
                   ${view}, ${function});
END
$shardman$
