-- Hand-written: what schema.prisma cannot express. Separation of duties and the audit hash
-- chain are enforced by the database, as a backstop to the services (DESIGN.md §4).

-- ---------------------------------------------------------------------------
-- Separation of duties on approvals
-- ---------------------------------------------------------------------------

-- The requester of a change request never approves (or rejects) it, and a voided decision
-- (the plan changed) can never count again.
CREATE OR REPLACE FUNCTION meridian_approval_separation_of_duties() RETURNS trigger AS $$
DECLARE
  requester uuid;
BEGIN
  SELECT requester_id INTO requester FROM change_request WHERE id = NEW.request_id;
  IF requester IS NOT NULL AND requester = NEW.approver_id THEN
    RAISE EXCEPTION 'separation of duties: the requester of change request % cannot approve or reject it', NEW.request_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_requester_cannot_approve';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.voided AND NOT NEW.voided THEN
    RAISE EXCEPTION 'a voided approval cannot be reinstated (approval %)', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_voided_is_final';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER approval_separation_of_duties
  BEFORE INSERT OR UPDATE ON "approval"
  FOR EACH ROW EXECUTE FUNCTION meridian_approval_separation_of_duties();

-- The requester of a change request is fixed once it exists (so the rule above cannot be
-- dodged by re-assigning the request after an approval).
CREATE OR REPLACE FUNCTION meridian_change_request_requester_fixed() RETURNS trigger AS $$
BEGIN
  IF NEW.requester_id IS DISTINCT FROM OLD.requester_id THEN
    RAISE EXCEPTION 'the requester of change request % cannot change', OLD.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'change_request_requester_fixed';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER change_request_requester_fixed
  BEFORE UPDATE OF requester_id ON "change_request"
  FOR EACH ROW EXECUTE FUNCTION meridian_change_request_requester_fixed();

-- One person counts once per request: at most one decision per approver that is not voided.
CREATE UNIQUE INDEX "approval_one_decision_per_person" ON "approval" ("request_id", "approver_id") WHERE NOT "voided";

-- ---------------------------------------------------------------------------
-- Audit hash chain
-- ---------------------------------------------------------------------------

-- The text a row's hash covers (everything but the hashes), fields separated by U+001F.
CREATE OR REPLACE FUNCTION meridian_audit_canonical(e "audit_event") RETURNS text AS $$
  SELECT concat_ws(
    E'\x1f',
    e.id::text,
    to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    coalesce(e.actor_id::text, ''),
    coalesce(e.actor_email, ''),
    e.action,
    e.target_type,
    coalesce(e.target_id, ''),
    coalesce(e.before::text, 'null'),
    coalesce(e.after::text, 'null')
  )
$$ LANGUAGE sql STABLE;

-- sha256(prev_hash || U+001F || canonical row text), hex.
CREATE OR REPLACE FUNCTION meridian_audit_row_hash(e "audit_event") RETURNS text AS $$
  SELECT encode(sha256(convert_to(e.prev_hash || E'\x1f' || meridian_audit_canonical(e), 'UTF8')), 'hex')
$$ LANGUAGE sql STABLE;

-- Chains every new row to the previous one. A transaction-scoped advisory lock serialises
-- writers, so under concurrency each row links to the row committed just before it; the id
-- and the time are assigned under the lock, so id order is chain order. Whatever the
-- application sends for id, occurred_at, prev_hash and hash is overwritten: no app code can
-- forge the chain. READ COMMITTED only: a REPEATABLE READ snapshot could miss the latest row.
CREATE OR REPLACE FUNCTION meridian_audit_chain() RETURNS trigger AS $$
DECLARE
  previous text;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'audit events are written under READ COMMITTED only (this transaction is %)',
      current_setting('transaction_isolation') USING ERRCODE = 'serialization_failure';
  END IF;
  PERFORM pg_advisory_xact_lock(727042);
  NEW.id := nextval(pg_get_serial_sequence('audit_event', 'id'));
  NEW.occurred_at := date_trunc('milliseconds', clock_timestamp());
  SELECT hash INTO previous FROM "audit_event" ORDER BY id DESC LIMIT 1;
  NEW.prev_hash := coalesce(previous, repeat('0', 64));
  NEW.hash := meridian_audit_row_hash(NEW);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_hash_chain
  BEFORE INSERT ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION meridian_audit_chain();
