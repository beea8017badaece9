-- Audit events are append-only: no role used by the application may update or delete them.
-- A trigger refuses it for every role (even the table owner); see README "Audit trail on an
-- external server" for the matching GRANTs when the app runs as a restricted role.
CREATE OR REPLACE FUNCTION meridian_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_update
  BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION meridian_audit_append_only();

CREATE TRIGGER audit_event_no_truncate
  BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION meridian_audit_append_only();
