-- test/update/populate/50_ops.sql: at 0.1.0, runs that the update's cooldown
-- rule (operation_types.cooldown_outcomes) treats differently from 0.1.0.
-- 00_base.sql already leaves a failed and a succeeded assignments.fetch run
-- of tenant 1 inside their cooldown.
SET client_min_messages = error;

SELECT opsrun_register_type('ops.cooled', 'workspace', ARRAY['total'], '1 day', '1 hour', '2 hours', 'Cooled job');
SELECT c.run_id FROM opsrun_start(1, NULL, 'ops.cooled', '{"o": "cancelled"}', 'dave') s,
       opsrun_complete(s.run_id, 'cancelled') c;
SELECT c.run_id FROM opsrun_start(1, NULL, 'ops.cooled', '{"o": "blocked"}', 'dave') s,
       opsrun_complete(s.run_id, 'blocked') c;
SELECT c.run_id FROM opsrun_start(1, NULL, 'ops.cooled', '{"o": "partial"}', 'dave') s,
       opsrun_complete(s.run_id, 'partially_succeeded', '{"total": 2}') c;
