"""One round trip per append on PostgreSQL: `audit_append_event(...)` locks (or creates) the subject's chain head,
hashes the event, inserts it and moves the head, in one statement.

The hash is sha256 over `before_prev || prev_hash || before_seq || seq || after_seq`, where the three text fragments
come from `audit.verify.event_hash_fragments` in Python: all JSON escaping stays in Python, and the database only
splices in the two values it learns under the lock (the previous hash, 64 hex digits, and the new seq, an integer).
tests/audit/test_append_function.py proves the result byte-identical to the Python hash rules.

The checkpoint barrier's advisory lock is taken shared first, like every other append (see audit.services).
SQLite (the demo database) has no such function; audit.services appends there in Python.
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_append_event(
    p_lock_key bigint,
    p_subject varchar,
    p_kind varchar,
    p_actor varchar,
    p_payload text,
    p_recorded_at timestamptz,
    p_organisation_id bigint,
    p_before_prev text,
    p_before_seq text,
    p_after_seq text
) RETURNS TABLE (new_id bigint, new_seq bigint, new_prev_hash varchar, new_hash varchar)
LANGUAGE plpgsql AS $$
DECLARE
    v_head_id bigint;
    v_seq bigint;
    v_prev varchar;
    v_hash varchar;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(p_lock_key);
    -- FOR UPDATE holds the head until the transaction ends, so concurrent appends to one subject queue here and
    -- each reads the head its predecessor left (READ COMMITTED re-reads a row it waited for).
    SELECT id, last_seq, last_hash INTO v_head_id, v_seq, v_prev
        FROM audit_chainhead WHERE subject = p_subject FOR UPDATE;
    IF NOT FOUND THEN
        -- A new subject. Two first appends may race: DO UPDATE (not DO NOTHING) makes the loser wait for the
        -- winner, then lock and return the row the winner committed.
        INSERT INTO audit_chainhead AS h (subject, last_seq, last_hash) VALUES (p_subject, 0, repeat('0', 64))
            ON CONFLICT (subject) DO UPDATE SET last_seq = h.last_seq
            RETURNING h.id, h.last_seq, h.last_hash INTO v_head_id, v_seq, v_prev;
    END IF;
    v_seq := v_seq + 1;
    v_hash := encode(
        sha256(convert_to(p_before_prev || v_prev || p_before_seq || v_seq::text || p_after_seq, 'UTF8')), 'hex'
    );
    INSERT INTO audit_ledgerevent
        (subject, seq, kind, actor, payload, prev_hash, hash, recorded_at, organisation_id)
        VALUES (p_subject, v_seq, p_kind, p_actor, p_payload, v_prev, v_hash, p_recorded_at, p_organisation_id)
        RETURNING id INTO new_id;
    UPDATE audit_chainhead SET last_seq = v_seq, last_hash = v_hash WHERE id = v_head_id;
    new_seq := v_seq;
    new_prev_hash := v_prev;
    new_hash := v_hash;
    RETURN NEXT;
END;
$$;
"""

PG_DROP = (
    "DROP FUNCTION IF EXISTS audit_append_event(bigint, varchar, varchar, varchar, text, timestamptz, bigint, text, "
    "text, text)"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(forwards, backwards)]
