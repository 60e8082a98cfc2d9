DROP FUNCTION IF EXISTS public.shardman_refuse_replica_write()
