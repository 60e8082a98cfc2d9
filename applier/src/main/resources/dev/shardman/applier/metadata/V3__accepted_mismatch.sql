-- An operator may accept a move stopped on a verification mismatch (shardman recover --accept-mismatch):
-- the move then finishes and keeps the retired copy on its source.
ALTER TABLE shardman.moves DROP CONSTRAINT moves_verification_check;
ALTER TABLE shardman.moves ADD CONSTRAINT moves_verification_check
    CHECK (verification IN ('passed', 'mismatch', 'lost', 'accepted'));
