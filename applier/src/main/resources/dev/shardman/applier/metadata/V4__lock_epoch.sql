-- A fencing token for the cluster lock: each acquirer takes a new epoch (a sequence, so it never repeats even
-- after the row was cleared), and every metadata write checks, in its own transaction and under a share lock
-- on this row, that the epoch is still its own and that the recorded session still holds the advisory lock.
CREATE SEQUENCE shardman.lock_epoch;
ALTER TABLE shardman.lock_holder ADD COLUMN epoch bigint NOT NULL DEFAULT nextval('shardman.lock_epoch');
