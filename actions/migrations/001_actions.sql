-- The durable action log: one row per ERP-writing action, and the audit trail of every attempt.
-- Applied by actions/migrate.ts (PostgreSQL and PGlite alike); never edit an applied migration, add 002_….sql.

CREATE TABLE actions (
  id              uuid           NOT NULL,
  tenant          text           NOT NULL,
  kind            text           NOT NULL,
  idempotency_key text           NOT NULL,
  input_hash      text           NOT NULL,
  input           jsonb,
  status          text           NOT NULL CONSTRAINT actions_status_check
                                 CHECK (status IN ('PENDING_APPROVAL', 'APPROVED', 'EXECUTING', 'SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED', 'DEAD')),
  requester       text           NOT NULL,
  requester_roles text[]         NOT NULL DEFAULT '{}',
  approver        text,
  reason          text,
  ticket_id       text,
  customer_id     text,
  amount          numeric,
  currency        text,
  result          jsonb,
  erp_records     jsonb          NOT NULL DEFAULT '[]',
  attempts        integer        NOT NULL DEFAULT 0,
  request_id      text,
  -- Millisecond precision, so that an ISO string (and a list cursor made of one) round-trips exactly.
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now(),
  expires_at      timestamptz(3),
  CONSTRAINT actions_pkey PRIMARY KEY (tenant, id),
  CONSTRAINT actions_idempotency_key UNIQUE (tenant, kind, idempotency_key)
);

-- list(): a tenant's actions newest first, keyset-paged on (created_at, id).
CREATE INDEX actions_tenant_created_idx ON actions (tenant, created_at DESC, id DESC);
-- due(…, 'updatedAt'): the reconciler's stuck EXECUTING actions; purge().
CREATE INDEX actions_status_updated_idx ON actions (status, updated_at);
-- due(…, 'expiresAt'): pending approvals past their expiry.
CREATE INDEX actions_status_expires_idx ON actions (status, expires_at) WHERE expires_at IS NOT NULL;

-- Kept when purge() deletes the action; action_id is text (no foreign key) so that denied and
-- invalid attempts, which have no action, are recorded too.
CREATE TABLE action_audit (
  id        bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT action_audit_pkey PRIMARY KEY,
  tenant    text           NOT NULL,
  action_id text,
  kind      text           NOT NULL,
  actor     text           NOT NULL,
  event     text           NOT NULL,
  outcome   text           NOT NULL,
  detail    jsonb,
  at        timestamptz(3) NOT NULL DEFAULT now()
);

CREATE INDEX action_audit_tenant_at_idx ON action_audit (tenant, at DESC, id DESC);
CREATE INDEX action_audit_action_idx ON action_audit (tenant, action_id, at DESC, id DESC);
