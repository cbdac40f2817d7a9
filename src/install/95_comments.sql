-- Comments on every table, view and column of schema hookreg, so that \d+
-- and \dt+ in psql explain them. The update from 0.1.0 runs this same file
-- (src/update/hookreg--0.1.0--0.2.0/95_comments.sql is a link to it).
-- test/tap/51_ops_catalog.sql fails when anything is left without one.

COMMENT ON TABLE hookreg.hooks IS 'hookreg: a named hook with a fixed output contract (its feature spec and feature table)';
COMMENT ON COLUMN hookreg.hooks.name IS 'hook name, ^[a-z][a-z0-9_]{0,39}$';
COMMENT ON COLUMN hookreg.hooks.feature_spec IS 'the output contract: kind, cardinality, columns (canonical form)';
COMMENT ON COLUMN hookreg.hooks.feature_table IS 'the table hookreg_features.<name> its rows go to';
COMMENT ON COLUMN hookreg.hooks.created_at IS 'when the hook was registered';

COMMENT ON TABLE hookreg.hook_releases IS 'hookreg: immutable, integer-versioned releases of a hook (UPDATE and DELETE refused)';
COMMENT ON COLUMN hookreg.hook_releases.id IS 'release id (random UUID)';
COMMENT ON COLUMN hookreg.hook_releases.hook_name IS 'the hook';
COMMENT ON COLUMN hookreg.hook_releases.version IS '1, 2, ... per hook, gap-free';
COMMENT ON COLUMN hookreg.hook_releases.image IS 'container image reference';
COMMENT ON COLUMN hookreg.hook_releases.digest IS 'image digest, sha256:<64 hex> or sha512:<128 hex>';
COMMENT ON COLUMN hookreg.hook_releases.config IS 'hook configuration (JSON object, as given)';
COMMENT ON COLUMN hookreg.hook_releases.limits IS 'resource limits with defaults filled in: timeout_seconds, memory, cpu';
COMMENT ON COLUMN hookreg.hook_releases.release_digest IS 'identity of the content: sha256 of the canonical JSON of config, digest, image, limits';
COMMENT ON COLUMN hookreg.hook_releases.source_ref IS 'which source produced the image (metadata)';
COMMENT ON COLUMN hookreg.hook_releases.built_by IS 'who built it (default: the calling role)';
COMMENT ON COLUMN hookreg.hook_releases.built_at IS 'when the release was created';

COMMENT ON TABLE hookreg.live_pointers IS 'hookreg: the live pointer of each hook, also its lock row and version counter';
COMMENT ON COLUMN hookreg.live_pointers.hook_name IS 'the hook';
COMMENT ON COLUMN hookreg.live_pointers.live_release_id IS 'the live release (NULL until the first release)';
COMMENT ON COLUMN hookreg.live_pointers.last_version IS 'the newest version minted';
COMMENT ON COLUMN hookreg.live_pointers.moved_at IS 'when the pointer last moved';

COMMENT ON TABLE hookreg.hook_runs IS 'hookreg: append-only execution records of releases';
COMMENT ON COLUMN hookreg.hook_runs.id IS 'run id (given, or random)';
COMMENT ON COLUMN hookreg.hook_runs.release_id IS 'the release that ran';
COMMENT ON COLUMN hookreg.hook_runs.status IS 'passed, warnings, failed or error';
COMMENT ON COLUMN hookreg.hook_runs.started_at IS 'when the run started';
COMMENT ON COLUMN hookreg.hook_runs.finished_at IS 'when it finished (not before started_at)';
COMMENT ON COLUMN hookreg.hook_runs.duration_s IS 'seconds it took (default: finished_at - started_at)';
COMMENT ON COLUMN hookreg.hook_runs.oom_retries IS 'retries after running out of memory';
COMMENT ON COLUMN hookreg.hook_runs.log_ref IS 'where its log is';
COMMENT ON COLUMN hookreg.hook_runs.recorded_at IS 'when it was recorded';

COMMENT ON TABLE hookreg.live_moves IS 'hookreg: append-only history of every move of a live pointer';
COMMENT ON COLUMN hookreg.live_moves.id IS 'move id, in order';
COMMENT ON COLUMN hookreg.live_moves.hook_name IS 'the hook';
COMMENT ON COLUMN hookreg.live_moves.from_release_id IS 'the release live before (NULL for the first)';
COMMENT ON COLUMN hookreg.live_moves.to_release_id IS 'the release live after';
COMMENT ON COLUMN hookreg.live_moves.reason IS 'release (a new release went live) or set_live (a repoint or rollback)';
COMMENT ON COLUMN hookreg.live_moves.moved_by IS 'the calling role';
COMMENT ON COLUMN hookreg.live_moves.moved_at IS 'when the pointer moved';

COMMENT ON TABLE hookreg.schemas IS 'hookreg: metadata schemas of conventions, immutable per id and version';
COMMENT ON COLUMN hookreg.schemas.id IS 'schema id';
COMMENT ON COLUMN hookreg.schemas.version IS 'schema version';
COMMENT ON COLUMN hookreg.schemas.definition IS 'the schema (JSON)';
COMMENT ON COLUMN hookreg.schemas.created_at IS 'when it was stored';

COMMENT ON TABLE hookreg.conventions IS 'hookreg: conventions: which hooks run for a kind of dataset, upserted by hookreg_deploy_convention';
COMMENT ON COLUMN hookreg.conventions.slug IS 'convention id, from the title';
COMMENT ON COLUMN hookreg.conventions.title IS 'title';
COMMENT ON COLUMN hookreg.conventions.description IS 'description';
COMMENT ON COLUMN hookreg.conventions.schema_id IS 'its metadata schema';
COMMENT ON COLUMN hookreg.conventions.schema_version IS 'version of that schema';
COMMENT ON COLUMN hookreg.conventions.file_requirements IS 'which files a dataset needs (JSON)';
COMMENT ON COLUMN hookreg.conventions.hooks IS 'names of its hooks (each a registered hook)';
COMMENT ON COLUMN hookreg.conventions.source IS 'where the convention came from (JSON, or NULL)';
COMMENT ON COLUMN hookreg.conventions.created_at IS 'when it was first deployed';
COMMENT ON COLUMN hookreg.conventions.updated_at IS 'when it was last deployed';
COMMENT ON COLUMN hookreg.conventions.first_hook IS 'hooks[1] under a real foreign key, so that pg_dump loads hooks before conventions';

COMMENT ON TABLE hookreg.workspaces IS 'hookreg: workspaces of the operation-run ledger';
COMMENT ON COLUMN hookreg.workspaces.id IS 'workspace id';
COMMENT ON COLUMN hookreg.workspaces.name IS 'name';
COMMENT ON COLUMN hookreg.workspaces.created_at IS 'when it was created';

COMMENT ON TABLE hookreg.tenants IS 'hookreg: tenants of a workspace';
COMMENT ON COLUMN hookreg.tenants.id IS 'tenant id';
COMMENT ON COLUMN hookreg.tenants.workspace_id IS 'its workspace';
COMMENT ON COLUMN hookreg.tenants.external_id IS 'external id, a UUID version 4';
COMMENT ON COLUMN hookreg.tenants.name IS 'name';
COMMENT ON COLUMN hookreg.tenants.created_at IS 'when it was created';

COMMENT ON TABLE hookreg.operation_types IS 'hookreg: operation types: scope, allowed summary keys, cooldown and timeouts';
COMMENT ON COLUMN hookreg.operation_types.type IS 'type name, e.g. assignments.fetch';
COMMENT ON COLUMN hookreg.operation_types.scope IS 'tenant or workspace';
COMMENT ON COLUMN hookreg.operation_types.allowed_summary_keys IS 'summary counters a run may keep';
COMMENT ON COLUMN hookreg.operation_types.cooldown IS 'after a run completes, starts of the same identity return it for this long (NULL: none)';
COMMENT ON COLUMN hookreg.operation_types.queued_timeout IS 'a run queued longer is failed as stale';
COMMENT ON COLUMN hookreg.operation_types.running_timeout IS 'a running run silent longer is failed as stale';
COMMENT ON COLUMN hookreg.operation_types.label IS 'human-readable name';
COMMENT ON COLUMN hookreg.operation_types.cooldown_outcomes IS 'the cooldown holds only after runs completed with one of these outcomes';

COMMENT ON TABLE hookreg.operation_runs IS 'hookreg: one row per background operation run: dedupe, counters, failures';
COMMENT ON COLUMN hookreg.operation_runs.id IS 'run id';
COMMENT ON COLUMN hookreg.operation_runs.workspace_id IS 'its workspace';
COMMENT ON COLUMN hookreg.operation_runs.tenant_id IS 'its tenant (NULL: workspace-scoped)';
COMMENT ON COLUMN hookreg.operation_runs.user_id IS 'the user it is for, if any';
COMMENT ON COLUMN hookreg.operation_runs.initiator_name IS 'who started it (default: the calling role)';
COMMENT ON COLUMN hookreg.operation_runs.type IS 'its operation type';
COMMENT ON COLUMN hookreg.operation_runs.status IS 'queued, running or completed';
COMMENT ON COLUMN hookreg.operation_runs.outcome IS 'pending until completed, then succeeded, partially_succeeded, failed, cancelled or blocked';
COMMENT ON COLUMN hookreg.operation_runs.run_identity_hash IS 'sha256 of scope, type and identity: one active run per hash and scope';
COMMENT ON COLUMN hookreg.operation_runs.summary_counts IS 'progress and result counters (normalized)';
COMMENT ON COLUMN hookreg.operation_runs.failure_summary IS 'sanitized failure entries {code, message, count}';
COMMENT ON COLUMN hookreg.operation_runs.context IS 'sanitized context of the run (JSON object)';
COMMENT ON COLUMN hookreg.operation_runs.started_at IS 'when it was claimed';
COMMENT ON COLUMN hookreg.operation_runs.completed_at IS 'when it completed';
COMMENT ON COLUMN hookreg.operation_runs.created_at IS 'when it was started';
COMMENT ON COLUMN hookreg.operation_runs.updated_at IS 'last change or heartbeat';

COMMENT ON TABLE hookreg.event_settings IS 'hookreg: which NOTIFY events this database sends (hookreg_set_events); a missing row means off';
COMMENT ON COLUMN hookreg.event_settings.event IS 'live_moves or runs';
COMMENT ON COLUMN hookreg.event_settings.enabled IS 'whether it is sent';
COMMENT ON COLUMN hookreg.event_settings.changed_at IS 'when it was last set';
COMMENT ON COLUMN hookreg.event_settings.changed_by IS 'who set it';

COMMENT ON COLUMN hookreg.hook_catalog.name IS 'hook name';
COMMENT ON COLUMN hookreg.hook_catalog.feature_spec IS 'its output contract';
COMMENT ON COLUMN hookreg.hook_catalog.feature_table IS 'its feature table';
COMMENT ON COLUMN hookreg.hook_catalog.live_version IS 'version of the live release';
COMMENT ON COLUMN hookreg.hook_catalog.live_release_id IS 'the live release';
COMMENT ON COLUMN hookreg.hook_catalog.live_digest IS 'image digest of the live release';
COMMENT ON COLUMN hookreg.hook_catalog.live_source_ref IS 'source of the live release';
COMMENT ON COLUMN hookreg.hook_catalog.live_built_at IS 'when the live release was built';
COMMENT ON COLUMN hookreg.hook_catalog.release_count IS 'how many releases the hook has';

COMMENT ON COLUMN hookreg.release_history.hook_name IS 'the hook';
COMMENT ON COLUMN hookreg.release_history.version IS 'release version';
COMMENT ON COLUMN hookreg.release_history.release_id IS 'release id';
COMMENT ON COLUMN hookreg.release_history.image IS 'container image';
COMMENT ON COLUMN hookreg.release_history.digest IS 'image digest';
COMMENT ON COLUMN hookreg.release_history.config IS 'configuration';
COMMENT ON COLUMN hookreg.release_history.limits IS 'resource limits';
COMMENT ON COLUMN hookreg.release_history.release_digest IS 'identity of the content';
COMMENT ON COLUMN hookreg.release_history.source_ref IS 'source of the image';
COMMENT ON COLUMN hookreg.release_history.built_by IS 'who built it';
COMMENT ON COLUMN hookreg.release_history.built_at IS 'when it was built';
COMMENT ON COLUMN hookreg.release_history.is_live IS 'whether it is the live release';

COMMENT ON VIEW hookreg.active_runs IS 'hookreg: queued and running runs with their age, last heartbeat and when the reconciler will call them stale';
COMMENT ON COLUMN hookreg.active_runs.run_id IS 'the run';
COMMENT ON COLUMN hookreg.active_runs.workspace_id IS 'its workspace';
COMMENT ON COLUMN hookreg.active_runs.tenant_id IS 'its tenant (NULL: workspace-scoped)';
COMMENT ON COLUMN hookreg.active_runs.type IS 'its operation type';
COMMENT ON COLUMN hookreg.active_runs.status IS 'queued or running';
COMMENT ON COLUMN hookreg.active_runs.initiator_name IS 'who started it';
COMMENT ON COLUMN hookreg.active_runs.user_id IS 'the user it is for';
COMMENT ON COLUMN hookreg.active_runs.created_at IS 'when it was started';
COMMENT ON COLUMN hookreg.active_runs.started_at IS 'when it was claimed';
COMMENT ON COLUMN hookreg.active_runs.last_heartbeat_at IS 'last heartbeat of a running run (NULL while queued)';
COMMENT ON COLUMN hookreg.active_runs.age IS 'now() - created_at';
COMMENT ON COLUMN hookreg.active_runs.stale_at IS 'when opsrun_reconcile will fail it as stale';
COMMENT ON COLUMN hookreg.active_runs.is_stale IS 'stale_at has passed';
COMMENT ON COLUMN hookreg.active_runs.summary_counts IS 'its counters so far';

COMMENT ON VIEW hookreg.recent_failures IS 'hookreg: failure entries of the runs completed in the last 24 hours, by type and code';
COMMENT ON COLUMN hookreg.recent_failures.type IS 'operation type';
COMMENT ON COLUMN hookreg.recent_failures.code IS 'failure code';
COMMENT ON COLUMN hookreg.recent_failures.runs IS 'runs with this code';
COMMENT ON COLUMN hookreg.recent_failures.occurrences IS 'sum of the entries'' counts';
COMMENT ON COLUMN hookreg.recent_failures.runs_last_hour IS 'of which completed in the last hour';
COMMENT ON COLUMN hookreg.recent_failures.first_seen IS 'first completion with this code';
COMMENT ON COLUMN hookreg.recent_failures.last_seen IS 'last completion with this code';
COMMENT ON COLUMN hookreg.recent_failures.sample_message IS 'sanitized message of the newest one';
COMMENT ON COLUMN hookreg.recent_failures.last_run_id IS 'the newest such run';

COMMENT ON VIEW hookreg.housekeeping_health IS 'hookreg: per workspace: the reconciler''s last pass, runs stale now, and the pg_cron job of the next pass';
COMMENT ON COLUMN hookreg.housekeeping_health.workspace_id IS 'the workspace';
COMMENT ON COLUMN hookreg.housekeeping_health.workspace_name IS 'its name';
COMMENT ON COLUMN hookreg.housekeeping_health.last_pass_run_id IS 'the reconciler''s newest run in it';
COMMENT ON COLUMN hookreg.housekeeping_health.last_pass_at IS 'when that pass started';
COMMENT ON COLUMN hookreg.housekeeping_health.last_pass_status IS 'its status';
COMMENT ON COLUMN hookreg.housekeeping_health.last_pass_outcome IS 'its outcome';
COMMENT ON COLUMN hookreg.housekeeping_health.last_pass_counts IS 'its counters: total, processed, failed';
COMMENT ON COLUMN hookreg.housekeeping_health.last_pass_failure_code IS 'its first failure code, if it failed';
COMMENT ON COLUMN hookreg.housekeeping_health.active_runs IS 'queued and running runs now';
COMMENT ON COLUMN hookreg.housekeeping_health.stale_runs IS 'of which past their stale_at';
COMMENT ON COLUMN hookreg.housekeeping_health.scheduled IS 'a hookreg-reconcile pg_cron job exists';
COMMENT ON COLUMN hookreg.housekeeping_health.schedule IS 'its cron schedule';
COMMENT ON COLUMN hookreg.housekeeping_health.schedule_active IS 'it is active';
COMMENT ON COLUMN hookreg.housekeeping_health.next_pass_at IS 'when pg_cron runs it next (GMT schedule; NULL when unknown)';
COMMENT ON COLUMN hookreg.housekeeping_health.health IS 'not scheduled, schedule inactive, last pass failed, stale runs, or ok';

COMMENT ON VIEW hookreg.housekeeping_jobs IS 'hookreg: hookreg''s pg_cron jobs (reconcile, prune) with their next and last run; empty without pg_cron';
COMMENT ON COLUMN hookreg.housekeeping_jobs.job IS 'reconcile or prune';
COMMENT ON COLUMN hookreg.housekeeping_jobs.jobid IS 'pg_cron job id';
COMMENT ON COLUMN hookreg.housekeeping_jobs.schedule IS 'cron schedule';
COMMENT ON COLUMN hookreg.housekeeping_jobs.active IS 'whether pg_cron runs it';
COMMENT ON COLUMN hookreg.housekeeping_jobs.next_run_at IS 'its next run (NULL when unknown)';
COMMENT ON COLUMN hookreg.housekeeping_jobs.last_run_started_at IS 'start of its last run';
COMMENT ON COLUMN hookreg.housekeeping_jobs.last_run_status IS 'status of its last run';
COMMENT ON COLUMN hookreg.housekeeping_jobs.last_run_message IS 'sanitized message of its last run';

COMMENT ON VIEW hookreg.registry_activity IS 'hookreg: per hook: releases and live-pointer moves in the last 24 hours and 7 days';
COMMENT ON COLUMN hookreg.registry_activity.hook_name IS 'the hook';
COMMENT ON COLUMN hookreg.registry_activity.live_version IS 'version of the live release';
COMMENT ON COLUMN hookreg.registry_activity.releases_24h IS 'releases in the last 24 hours';
COMMENT ON COLUMN hookreg.registry_activity.set_live_24h IS 'repoints in the last 24 hours';
COMMENT ON COLUMN hookreg.registry_activity.releases_7d IS 'releases in the last 7 days';
COMMENT ON COLUMN hookreg.registry_activity.set_live_7d IS 'repoints in the last 7 days';
COMMENT ON COLUMN hookreg.registry_activity.last_version IS 'newest version minted';
COMMENT ON COLUMN hookreg.registry_activity.last_move_at IS 'when the pointer last moved';
COMMENT ON COLUMN hookreg.registry_activity.last_move_reason IS 'release or set_live';
COMMENT ON COLUMN hookreg.registry_activity.last_moved_by IS 'who moved it last';

-- Function comments whose text changed since 0.1.0: set here, so that the
-- update from 0.1.0 sets the same text as a fresh install.
COMMENT ON FUNCTION hookreg_deploy_convention(jsonb) IS
    'deploy a convention in one transaction: schema, hooks with feature tables, releases, convention';
