/**
 * Versioned schema of the PostgreSQL event store. Each migration runs once per schema, in order, in
 * one transaction, and is recorded in `<schema>.migrations`. Never edit a shipped migration: add one.
 */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: (schema: string) => string;
}

/** Channel the append function notifies; subscribers LISTEN on it to wake up early. */
export function appendChannel(schema: string): string {
  return `${schema}_appended`;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'create events',
    sql: (s) => `
      CREATE TABLE ${s}.events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        stream_name text NOT NULL,
        revision bigint NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_stream_revision_key UNIQUE (stream_name, revision),
        CONSTRAINT events_stream_event_id_key UNIQUE (stream_name, event_id)
      );
      CREATE INDEX events_transaction_position_idx ON ${s}.events (transaction_id, global_position);`,
  },
  {
    version: 2,
    name: 'create append_to_stream',
    // The stream lock is taken BEFORE the transaction gets its xid (an advisory lock does not assign
    // one; pg_current_xact_id() does). Two appends to one stream therefore get xids in the order they
    // hold the lock, so ordering by (transaction_id, global_position) keeps every stream in revision
    // order. The expected revision is checked under that lock; the unique constraints are a backstop.
    sql: (s) => `
      CREATE OR REPLACE FUNCTION ${s}.append_to_stream(p_stream text, p_expected text, p_events jsonb, p_notify boolean)
      RETURNS TABLE (outcome text, actual_revision bigint, last_tx text, last_position bigint, duplicates jsonb)
      LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      DECLARE
        v_tx xid8;
        v_actual bigint;
        v_duplicates jsonb;
        v_last_position bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended(${quoteLiteral(s)} || '/' || p_stream, 0));
        v_tx := pg_current_xact_id();
        SELECT coalesce(max(e.revision), -1) INTO v_actual FROM ${s}.events e WHERE e.stream_name = p_stream;

        SELECT jsonb_agg(jsonb_build_object('eventId', e.event_id, 'revision', e.revision,
                                            'tx', e.transaction_id::text, 'position', e.global_position::text))
          INTO v_duplicates
          FROM jsonb_array_elements(p_events) AS x(ev)
          JOIN ${s}.events e ON e.stream_name = p_stream AND e.event_id = (x.ev->>'eventId')::uuid;
        IF v_duplicates IS NOT NULL THEN
          RETURN QUERY SELECT 'duplicates'::text, v_actual, NULL::text, NULL::bigint, v_duplicates;
          RETURN;
        END IF;

        IF NOT (p_expected = 'any'
                OR (p_expected = 'no_stream' AND v_actual = -1)
                OR (p_expected = 'stream_exists' AND v_actual >= 0)
                OR (p_expected ~ '^[0-9]+$' AND v_actual = p_expected::bigint)) THEN
          RETURN QUERY SELECT 'wrong_expected_revision'::text, v_actual, NULL::text, NULL::bigint, NULL::jsonb;
          RETURN;
        END IF;

        WITH inserted AS (
          INSERT INTO ${s}.events (transaction_id, stream_name, revision, event_id, event_type, data, metadata)
          SELECT v_tx, p_stream, v_actual + x.ordinal, (x.ev->>'eventId')::uuid, x.ev->>'type', x.ev->'data',
                 coalesce(x.ev->'metadata', '{}'::jsonb)
            FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, ordinal)
           ORDER BY x.ordinal
          RETURNING global_position)
        SELECT max(global_position) INTO v_last_position FROM inserted;

        IF p_notify THEN
          PERFORM pg_notify(${quoteLiteral(appendChannel(s))}, '');
        END IF;
        RETURN QUERY SELECT 'appended'::text, v_actual + jsonb_array_length(p_events), v_tx::text, v_last_position, NULL::jsonb;
      END
      $fn$;`,
  },
  {
    version: 3,
    name: 'create append_to_streams',
    // Several streams in one transaction, all or nothing. Every stream lock is taken before the xid,
    // as in append_to_stream, and in stream-name order, so two multi-stream appends never deadlock.
    // Every stream is judged before any is written: if one has duplicates or the wrong revision,
    // the function writes nothing and reports each stream's outcome ('ok' for the ones that could
    // be written), and the caller decides (idempotent retry or refusal).
    sql: (s) => `
      CREATE OR REPLACE FUNCTION ${s}.append_to_streams(p_appends jsonb, p_notify boolean)
      RETURNS TABLE (outcome text, actual_revision bigint, last_tx text, last_position bigint, duplicates jsonb)
      LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      DECLARE
        v_count int := jsonb_array_length(p_appends);
        v_stream text;
        v_expected text;
        v_actuals bigint[] := '{}';
        v_duplicates jsonb[] := '{}';
        v_outcomes text[] := '{}';
        v_found jsonb;
        v_actual bigint;
        v_writable boolean := true;
        v_tx xid8;
        v_last_position bigint;
      BEGIN
        FOR v_stream IN SELECT DISTINCT a->>'stream' FROM jsonb_array_elements(p_appends) AS a ORDER BY 1 LOOP
          PERFORM pg_advisory_xact_lock(hashtextextended(${quoteLiteral(s)} || '/' || v_stream, 0));
        END LOOP;

        FOR i IN 0 .. v_count - 1 LOOP
          v_stream := p_appends->i->>'stream';
          v_expected := p_appends->i->>'expected';
          SELECT coalesce(max(e.revision), -1) INTO v_actual FROM ${s}.events e WHERE e.stream_name = v_stream;
          SELECT jsonb_agg(jsonb_build_object('eventId', e.event_id, 'revision', e.revision,
                                              'tx', e.transaction_id::text, 'position', e.global_position::text))
            INTO v_found
            FROM jsonb_array_elements(p_appends->i->'events') AS x(ev)
            JOIN ${s}.events e ON e.stream_name = v_stream AND e.event_id = (x.ev->>'eventId')::uuid;
          v_actuals := v_actuals || v_actual;
          v_duplicates := v_duplicates || v_found;
          IF v_found IS NOT NULL THEN
            v_outcomes := v_outcomes || 'duplicates'::text;
          ELSIF v_expected = 'any'
                OR (v_expected = 'no_stream' AND v_actual = -1)
                OR (v_expected = 'stream_exists' AND v_actual >= 0)
                OR (v_expected ~ '^[0-9]+$' AND v_actual = v_expected::bigint) THEN
            v_outcomes := v_outcomes || 'ok'::text;
          ELSE
            v_outcomes := v_outcomes || 'wrong_expected_revision'::text;
          END IF;
          IF v_outcomes[i + 1] <> 'ok' THEN v_writable := false; END IF;
        END LOOP;

        IF NOT v_writable THEN
          FOR i IN 1 .. v_count LOOP
            RETURN QUERY SELECT v_outcomes[i], v_actuals[i], NULL::text, NULL::bigint, v_duplicates[i];
          END LOOP;
          RETURN;
        END IF;

        v_tx := pg_current_xact_id();
        FOR i IN 0 .. v_count - 1 LOOP
          WITH inserted AS (
            INSERT INTO ${s}.events (transaction_id, stream_name, revision, event_id, event_type, data, metadata)
            SELECT v_tx, p_appends->i->>'stream', v_actuals[i + 1] + x.n, (x.ev->>'eventId')::uuid, x.ev->>'type', x.ev->'data',
                   coalesce(x.ev->'metadata', '{}'::jsonb)
              FROM jsonb_array_elements(p_appends->i->'events') WITH ORDINALITY AS x(ev, n)
             ORDER BY x.n
            RETURNING global_position)
          SELECT max(global_position) INTO v_last_position FROM inserted;
          RETURN QUERY SELECT 'appended'::text, v_actuals[i + 1] + jsonb_array_length(p_appends->i->'events'), v_tx::text, v_last_position, NULL::jsonb;
        END LOOP;

        IF p_notify THEN
          PERFORM pg_notify(${quoteLiteral(appendChannel(s))}, '');
        END IF;
      END
      $fn$;`,
  },
  {
    version: 4,
    name: 'create append_batch',
    // Group commit: the appends a process issues in one event-loop turn, in one transaction — one
    // commit and one WAL flush for all of them, not one each. Each group (one appendToStreams call)
    // is judged and written on its own, in the order given, all or nothing as in append_to_streams;
    // a refused group writes nothing and reports each stream's outcome, and the others still write.
    // Every stream lock of the batch is taken first, in stream-name order as append_to_streams does
    // (so the two never deadlock), and the xid after them, so (transaction_id, global_position)
    // stays revision order in every stream. A later group sees what earlier ones wrote. A stream
    // with no event yet has nothing to be a duplicate of, so only existing streams are searched.
    sql: (s) => `
      CREATE OR REPLACE FUNCTION ${s}.append_batch(p_groups jsonb)
      RETURNS TABLE (group_index int, outcome text, actual_revision bigint, last_tx text, last_position bigint, duplicates jsonb)
      LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      DECLARE
        v_group jsonb;
        v_count int;
        v_stream text;
        v_expected text;
        v_actuals bigint[];
        v_duplicates jsonb[];
        v_outcomes text[];
        v_found jsonb;
        v_actual bigint;
        v_writable boolean;
        v_tx xid8;
        v_last_position bigint;
      BEGIN
        FOR v_stream IN SELECT DISTINCT a->>'stream'
                          FROM jsonb_array_elements(p_groups) AS g(appends), jsonb_array_elements(g.appends) AS a
                         ORDER BY 1 LOOP
          PERFORM pg_advisory_xact_lock(hashtextextended(${quoteLiteral(s)} || '/' || v_stream, 0));
        END LOOP;

        FOR g IN 0 .. jsonb_array_length(p_groups) - 1 LOOP
          v_group := p_groups->g;
          v_count := jsonb_array_length(v_group);
          v_actuals := '{}';
          v_duplicates := '{}';
          v_outcomes := '{}';
          v_writable := true;
          FOR i IN 0 .. v_count - 1 LOOP
            v_stream := v_group->i->>'stream';
            v_expected := v_group->i->>'expected';
            SELECT coalesce(max(e.revision), -1) INTO v_actual FROM ${s}.events e WHERE e.stream_name = v_stream;
            v_found := NULL;
            IF v_actual >= 0 THEN
              SELECT jsonb_agg(jsonb_build_object('eventId', e.event_id, 'revision', e.revision,
                                                  'tx', e.transaction_id::text, 'position', e.global_position::text))
                INTO v_found
                FROM jsonb_array_elements(v_group->i->'events') AS x(ev)
                JOIN ${s}.events e ON e.stream_name = v_stream AND e.event_id = (x.ev->>'eventId')::uuid;
            END IF;
            v_actuals := v_actuals || v_actual;
            v_duplicates := v_duplicates || v_found;
            IF v_found IS NOT NULL THEN
              v_outcomes := v_outcomes || 'duplicates'::text;
            ELSIF v_expected = 'any'
                  OR (v_expected = 'no_stream' AND v_actual = -1)
                  OR (v_expected = 'stream_exists' AND v_actual >= 0)
                  OR (v_expected ~ '^[0-9]+$' AND v_actual = v_expected::bigint) THEN
              v_outcomes := v_outcomes || 'ok'::text;
            ELSE
              v_outcomes := v_outcomes || 'wrong_expected_revision'::text;
            END IF;
            IF v_outcomes[i + 1] <> 'ok' THEN v_writable := false; END IF;
          END LOOP;

          IF NOT v_writable THEN
            FOR i IN 1 .. v_count LOOP
              RETURN QUERY SELECT g, v_outcomes[i], v_actuals[i], NULL::text, NULL::bigint, v_duplicates[i];
            END LOOP;
            CONTINUE;
          END IF;

          IF v_tx IS NULL THEN v_tx := pg_current_xact_id(); END IF;
          FOR i IN 0 .. v_count - 1 LOOP
            WITH inserted AS (
              INSERT INTO ${s}.events (transaction_id, stream_name, revision, event_id, event_type, data, metadata)
              SELECT v_tx, v_group->i->>'stream', v_actuals[i + 1] + x.n, (x.ev->>'eventId')::uuid, x.ev->>'type', x.ev->'data',
                     coalesce(x.ev->'metadata', '{}'::jsonb)
                FROM jsonb_array_elements(v_group->i->'events') WITH ORDINALITY AS x(ev, n)
               ORDER BY x.n
              RETURNING global_position)
            SELECT max(global_position) INTO v_last_position FROM inserted;
            RETURN QUERY SELECT g, 'appended'::text, v_actuals[i + 1] + jsonb_array_length(v_group->i->'events'), v_tx::text, v_last_position, NULL::jsonb;
          END LOOP;
        END LOOP;
      END
      $fn$;`,
  },
  {
    version: 5,
    name: 'append_batch in a few statements',
    // The same contract as version 4, in a few statements per batch instead of four or five per
    // stream: the stream locks in one statement, every stream's revision in one, the writable
    // groups inserted together. Run statement by statement, executor start-up was the largest part
    // of the server's CPU per created user (four streams). Groups are still judged in order, each
    // seeing what the earlier ones wrote: the revisions they reached are kept in arrays, and a group
    // that touches a stream an earlier group wrote first inserts what is pending. Only a stream that
    // exists is searched for the append's event ids (one small statement each, as before).
    sql: (s) => `
      CREATE OR REPLACE FUNCTION ${s}.append_batch(p_groups jsonb)
      RETURNS TABLE (group_index int, outcome text, actual_revision bigint, last_tx text, last_position bigint, duplicates jsonb)
      LANGUAGE plpgsql
      -- Planned once per connection: a custom plan (the default for a statement whose generic plan
      -- looks dearer, as one over an array of unknown length does) was planned again on every call,
      -- which cost more than running these statements.
      SET plan_cache_mode = force_generic_plan
      AS $fn$
      #variable_conflict use_column
      DECLARE
        v_group_count int := jsonb_array_length(p_groups);
        v_streams text[];
        v_revisions bigint[];
        v_stream_index int;
        v_touched text[] := '{}';
        v_group jsonb;
        v_count int;
        v_stream text;
        v_expected text;
        v_actual bigint;
        v_found jsonb;
        v_actuals bigint[];
        v_duplicates jsonb[];
        v_outcomes text[];
        v_writable boolean;
        v_sees_batch boolean;
        v_tx xid8;
        v_positions bigint[];
        v_event_count int;
        v_pending_group int[] := '{}';
        v_pending_append int[] := '{}';
        v_pending_stream text[] := '{}';
        v_pending_base bigint[] := '{}';
        v_pending_last bigint[] := '{}';
        v_pending_events int[] := '{}';
      BEGIN
        SELECT array_agg(DISTINCT a->>'stream' ORDER BY a->>'stream')
          INTO v_streams
          FROM jsonb_array_elements(p_groups) AS g(appends), jsonb_array_elements(g.appends) AS a;
        -- In stream-name order, as append_to_streams takes them (so the two never deadlock); the
        -- revisions are read by the next statement, whose snapshot follows the locks.
        PERFORM pg_advisory_xact_lock(hashtextextended(${quoteLiteral(s)} || '/' || x.stream, 0)) FROM unnest(v_streams) AS x(stream);
        v_revisions := ARRAY(SELECT coalesce((SELECT max(e.revision) FROM ${s}.events e WHERE e.stream_name = x.stream), -1)
                               FROM unnest(v_streams) WITH ORDINALITY AS x(stream, n) ORDER BY x.n);

        -- One pass past the last group inserts what is still pending.
        FOR v_g IN 0 .. v_group_count LOOP
          v_sees_batch := false;
          IF v_g < v_group_count THEN
            v_group := p_groups->v_g;
            v_count := jsonb_array_length(v_group);
            FOR i IN 0 .. v_count - 1 LOOP
              IF (v_group->i->>'stream') = ANY(v_touched) THEN v_sees_batch := true; END IF;
            END LOOP;
          END IF;

          IF (v_g = v_group_count OR v_sees_batch) AND cardinality(v_pending_group) > 0 THEN
            IF v_tx IS NULL THEN v_tx := pg_current_xact_id(); END IF;
            -- Positions rise in insertion order, which is pending order: sorted, they line up with it.
            WITH inserted AS (
              INSERT INTO ${s}.events (transaction_id, stream_name, revision, event_id, event_type, data, metadata)
              SELECT v_tx, p.stream, p.base + x.n, (x.ev->>'eventId')::uuid, x.ev->>'type', x.ev->'data',
                     coalesce(x.ev->'metadata', '{}'::jsonb)
                FROM unnest(v_pending_group, v_pending_append, v_pending_stream, v_pending_base) WITH ORDINALITY AS p(grp, app, stream, base, k),
                     jsonb_array_elements(p_groups->p.grp->p.app->'events') WITH ORDINALITY AS x(ev, n)
               ORDER BY p.k, x.n
              RETURNING global_position)
            SELECT array_agg(global_position ORDER BY global_position) INTO v_positions FROM inserted;
            v_event_count := 0;
            FOR k IN 1 .. cardinality(v_pending_group) LOOP
              v_event_count := v_event_count + v_pending_events[k];
              group_index := v_pending_group[k];
              outcome := 'appended';
              actual_revision := v_pending_last[k];
              last_tx := v_tx::text;
              last_position := v_positions[v_event_count];
              duplicates := NULL;
              RETURN NEXT;
            END LOOP;
            v_pending_group := '{}';
            v_pending_append := '{}';
            v_pending_stream := '{}';
            v_pending_base := '{}';
            v_pending_last := '{}';
            v_pending_events := '{}';
          END IF;
          CONTINUE WHEN v_g = v_group_count;

          v_actuals := '{}';
          v_duplicates := '{}';
          v_outcomes := '{}';
          v_writable := true;
          FOR i IN 0 .. v_count - 1 LOOP
            v_stream := v_group->i->>'stream';
            v_expected := v_group->i->>'expected';
            v_actual := v_revisions[array_position(v_streams, v_stream)];
            v_found := NULL;
            IF v_actual >= 0 THEN
              SELECT jsonb_agg(jsonb_build_object('eventId', e.event_id, 'revision', e.revision,
                                                  'tx', e.transaction_id::text, 'position', e.global_position::text))
                INTO v_found
                FROM jsonb_array_elements(v_group->i->'events') AS x(ev)
                JOIN ${s}.events e ON e.stream_name = v_stream AND e.event_id = (x.ev->>'eventId')::uuid;
            END IF;
            v_actuals := v_actuals || v_actual;
            v_duplicates := v_duplicates || v_found;
            IF v_found IS NOT NULL THEN
              v_outcomes := v_outcomes || 'duplicates'::text;
            ELSIF v_expected = 'any'
                  OR (v_expected = 'no_stream' AND v_actual = -1)
                  OR (v_expected = 'stream_exists' AND v_actual >= 0)
                  OR (v_expected ~ '^[0-9]+$' AND v_actual = v_expected::bigint) THEN
              v_outcomes := v_outcomes || 'ok'::text;
            ELSE
              v_outcomes := v_outcomes || 'wrong_expected_revision'::text;
            END IF;
            IF v_outcomes[i + 1] <> 'ok' THEN v_writable := false; END IF;
          END LOOP;

          IF NOT v_writable THEN
            FOR i IN 1 .. v_count LOOP
              group_index := v_g;
              outcome := v_outcomes[i];
              actual_revision := v_actuals[i];
              last_tx := NULL;
              last_position := NULL;
              duplicates := v_duplicates[i];
              RETURN NEXT;
            END LOOP;
            CONTINUE;
          END IF;

          FOR i IN 0 .. v_count - 1 LOOP
            v_stream := v_group->i->>'stream';
            v_event_count := jsonb_array_length(v_group->i->'events');
            v_pending_group := v_pending_group || v_g;
            v_pending_append := v_pending_append || i;
            v_pending_stream := v_pending_stream || v_stream;
            v_pending_base := v_pending_base || v_actuals[i + 1];
            v_pending_last := v_pending_last || (v_actuals[i + 1] + v_event_count);
            v_pending_events := v_pending_events || v_event_count;
            v_stream_index := array_position(v_streams, v_stream);
            v_revisions[v_stream_index] := v_actuals[i + 1] + v_event_count;
            IF NOT (v_stream = ANY(v_touched)) THEN v_touched := v_touched || v_stream; END IF;
          END LOOP;
        END LOOP;
      END
      $fn$;`,
  },
];

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
