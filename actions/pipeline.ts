/**
 * The one pipeline every action (mutation) goes through, whichever subgraph owns the upstream it
 * writes to:
 *
 *   authorize -> validate -> idempotency -> approval policy -> the gateway's guards ->
 *   execute (with the action's id as a marker, transient failures retried) -> audit -> after-effects
 *
 * - Authorization: the tenant's roles for the action (registry `actions.roles`) or its default
 *   audience; `admin` always. A refusal is audited and answered as a FORBIDDEN user error.
 * - Idempotency (Stripe's contract): (tenant, kind, idempotencyKey) is unique in the durable log.
 *   Same key and same input: the same action and result, `replayed: true`, nothing written again.
 *   Same key, other input: IDEMPOTENCY_KEY_REUSED, nothing written. Concurrent duplicates: one
 *   inserts the row and executes, the others wait for its outcome (in this process at once, from
 *   another replica by reading the log).
 * - Approval: above the tenant's threshold the action is stored PENDING_APPROVAL and nothing reaches
 *   the upstream; an approver (never the requester) approves it, then it executes, or rejects it.
 * - Execution: the spec's `execute` first looks for its marker (a retry after a lost answer, the
 *   reconciler after a crash) and writes only what is not there yet. Transient upstream failures are
 *   retried with backoff (cockatiel); when they persist the action is DEAD (an admin can retry it).
 *   An upstream refusal (Odoo's UserError) is FAILED with the upstream's user-facing message.
 * - Audit: every attempt, including denied, invalid, refused and failed ones, in the log's audit trail.
 */
import { createHash } from 'node:crypto';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { Logger } from 'pino';
import type { Identity, Role } from '../tenancy/identity';
import type { ActionKindName, TenantConfig } from '../tenancy/registry';
import type { ActionRecord, ActionStatus, ActionStore, ErpRecordRef } from './types';

/** A business error of an action (the GraphQL `UserError`). */
export interface ActionUserError {
  code:
    | 'INVALID_INPUT'
    | 'NOT_FOUND'
    | 'FORBIDDEN'
    | 'IDEMPOTENCY_KEY_REUSED'
    | 'GUARD_REFUSED'
    | 'ERP_REFUSED'
    | 'NOT_PENDING'
    | 'SELF_APPROVAL'
    | 'UPSTREAM_FAILED';
  message: string;
  field: string[] | null;
}

/** What every action mutation answers (the GraphQL `ActionPayload`). */
export interface ActionPayload {
  action: ActionRecord | null;
  replayed: boolean;
  userErrors: ActionUserError[];
}

export const userError = (code: ActionUserError['code'], message: string, field: string[] | null = null): ActionUserError => ({ code, message, field });

/** Thrown by a spec's `prepare` or `execute` for a business refusal: the action is answered with it. */
export class ActionRefusal extends Error {
  constructor(readonly userError: ActionUserError) {
    super(userError.message);
    this.name = 'ActionRefusal';
  }
}

/** What a spec's `prepare` learns before anything is written. */
export interface Prepared {
  /** The action's amount. */
  amount?: { amount: number; currency: string } | undefined;
  /** The amount approval rules compare (e.g. with what was already credited on the invoice). @default amount */
  approvalAmount?: { amount: number; currency: string } | undefined;
  customerId?: string | null | undefined;
}

/** What an execution wrote. */
export interface Executed {
  records: ErpRecordRef[];
  result?: unknown;
}

/** One action, as its subgraph implements it. `I` is the validated input (without the idempotency key). */
export interface ActionSpec<I, Deps> {
  kind: ActionKindName;
  /** Who may request it when the tenant says nothing (`admin` always may). */
  defaultRoles: readonly Role[];
  /** Validates the input; the user errors name the fields. */
  parse(input: unknown): { ok: true; value: I; idempotencyKey: string; ticketId: string | null } | { ok: false; errors: ActionUserError[] };
  /** Reads and guards before anything is written (throws ActionRefusal to refuse). */
  prepare(deps: Deps, input: I): Promise<Prepared>;
  /**
   * Writes, safe to run again: looks first for what an earlier attempt of `action` wrote (its
   * marker) and writes only what is missing. Throws ActionRefusal for an upstream refusal; any other
   * throw is retried when `isTransient` says so.
   */
  execute(deps: Deps, input: I, action: ActionRecord): Promise<Executed>;
  /** After success: cache invalidation, notes. Its failures are logged, never fail the action. */
  after?(deps: Deps, input: I, action: ActionRecord, executed: Executed): Promise<void>;
}

export interface PipelineContext<Deps> {
  tenant: TenantConfig;
  identity: Identity;
  store: ActionStore;
  log: Logger;
  deps: Deps;
  /** Whether an error thrown by `execute` is worth retrying (timeouts, 5xx, resets). */
  isTransient(err: unknown): boolean;
  /** @default 3 */
  maxAttempts?: number;
  /** Backoff base in ms. @default 200 */
  backoffMs?: number;
  requestId?: string | null;
  now?: () => number;
}

/** The marker an action leaves in the upstream records it writes. */
export const markerOf = (action: Pick<ActionRecord, 'id'>): string => `GW-${action.id}`;

/** Canonical JSON (sorted keys) → sha256: the same input gives the same hash whatever its key order. */
export function inputHash(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .filter(([, x]) => x !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

/** Whether this identity may request `kind` under the tenant's policy. */
export function mayRequest(tenant: TenantConfig, identity: Identity, kind: ActionKindName, defaultRoles: readonly Role[]): boolean {
  const allowed = tenant.actions.roles[kind] ?? defaultRoles;
  return identity.roles.some((r) => r === 'admin' || allowed.includes(r));
}

/** The approval rule that applies to an action of `kind` with this amount, if any. */
export function approvalRule(tenant: TenantConfig, kind: ActionKindName, amount: Prepared['amount']) {
  return tenant.actions.approval.find((rule) => {
    if (rule.kind !== kind) return false;
    if (!rule.above) return true;
    if (!amount) return false;
    // An amount in another currency than the rule's is not compared: it needs approval.
    return amount.currency !== rule.above.currency || Math.abs(amount.amount) > rule.above.amount;
  });
}

/** Outcomes of this process's executions, so concurrent duplicates wait for the one that runs. */
const running = new Map<string, Promise<ActionRecord>>();

const FINAL: readonly ActionStatus[] = ['SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED', 'DEAD', 'PENDING_APPROVAL'];

/** Waits for another request's (or replica's) execution of the action to settle, reading the log. */
async function settled(store: ActionStore, tenant: string, id: string, timeoutMs = 30_000): Promise<ActionRecord | null> {
  const local = running.get(id);
  if (local) return local.catch(() => store.get(tenant, id));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await store.get(tenant, id);
    if (!current || FINAL.includes(current.status) || Date.now() > deadline) return current;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The payload of an action as logged: its user error when it did not succeed. */
function payloadOf(action: ActionRecord, replayed: boolean): ActionPayload {
  const errors: ActionUserError[] = [];
  if (action.status === 'FAILED') errors.push(userError('ERP_REFUSED', action.reason ?? 'The upstream refused the action'));
  if (action.status === 'DEAD') errors.push(userError('UPSTREAM_FAILED', 'The upstream could not be reached; the action is DEAD and an admin can retry it'));
  if (action.status === 'REJECTED') errors.push(userError('NOT_PENDING', `The action was rejected: ${action.reason ?? ''}`.trim()));
  if (action.status === 'EXPIRED') errors.push(userError('NOT_PENDING', 'Nobody approved the action in time'));
  return { action, replayed, userErrors: errors };
}

async function audit<D>(ctx: PipelineContext<D>, kind: string, actionId: string | null, event: string, outcome: string, detail: unknown = null): Promise<void> {
  try {
    await ctx.store.audit({ tenant: ctx.tenant.id, actionId, kind, actor: ctx.identity.subject, event, outcome, detail });
  } catch (err) {
    ctx.log.error({ err: err instanceof Error ? err.message : String(err), kind, event }, 'action audit could not be written');
  }
}

/** Executes an action (status EXECUTING) to its end state, with retries; never throws. */
async function executeToEnd<I, D>(spec: ActionSpec<I, D>, ctx: PipelineContext<D>, input: I, start: ActionRecord): Promise<ActionRecord> {
  const work = (async () => {
    let action = start;
    const policy = retry(
      handleWhen((err) => !(err instanceof ActionRefusal) && ctx.isTransient(err)),
      { maxAttempts: Math.max(0, (ctx.maxAttempts ?? 3) - 1), backoff: new ExponentialBackoff({ initialDelay: ctx.backoffMs ?? 200, maxDelay: 5_000 }) },
    );
    try {
      const executed = await policy.execute(async () => {
        action = (await ctx.store.transition(ctx.tenant.id, action.id, ['EXECUTING'], { incrementAttempts: true })) ?? action;
        return spec.execute(ctx.deps, input, action);
      });
      const done = await ctx.store.transition(ctx.tenant.id, action.id, ['EXECUTING'], {
        status: 'SUCCEEDED',
        erpRecords: executed.records,
        result: executed.result ?? null,
      });
      action = done ?? (await ctx.store.get(ctx.tenant.id, action.id)) ?? action;
      await audit(ctx, spec.kind, action.id, 'executed', 'succeeded', { records: executed.records });
      if (spec.after) {
        await spec.after(ctx.deps, input, action, executed).catch((err: unknown) => {
          ctx.log.warn({ err: err instanceof Error ? err.message : String(err), action: action.id }, 'action after-effects failed');
        });
      }
      return action;
    } catch (err) {
      if (err instanceof ActionRefusal) {
        const failed = await ctx.store.transition(ctx.tenant.id, action.id, ['EXECUTING'], { status: 'FAILED', reason: err.userError.message });
        await audit(ctx, spec.kind, action.id, 'executed', 'refused', { message: err.userError.message });
        return failed ?? action;
      }
      ctx.log.warn({ err: err instanceof Error ? err.message : String(err), action: action.id, kind: spec.kind }, 'action failed after its retries');
      const dead = await ctx.store.transition(ctx.tenant.id, action.id, ['EXECUTING'], { status: 'DEAD', reason: 'The upstream could not be reached' });
      await audit(ctx, spec.kind, action.id, 'executed', 'dead', { error: err instanceof Error ? err.message : String(err) });
      return dead ?? action;
    }
  })();
  running.set(start.id, work);
  try {
    return await work;
  } finally {
    running.delete(start.id);
  }
}

/** Runs a new action request through the whole pipeline. Never throws for a business outcome. */
export async function requestAction<I, D>(spec: ActionSpec<I, D>, ctx: PipelineContext<D>, rawInput: unknown): Promise<ActionPayload> {
  if (!mayRequest(ctx.tenant, ctx.identity, spec.kind, spec.defaultRoles)) {
    await audit(ctx, spec.kind, null, 'requested', 'denied');
    return { action: null, replayed: false, userErrors: [userError('FORBIDDEN', `Your roles may not request ${spec.kind}`)] };
  }
  const parsed = spec.parse(rawInput);
  if (!parsed.ok) {
    await audit(ctx, spec.kind, null, 'requested', 'invalid', { errors: parsed.errors });
    return { action: null, replayed: false, userErrors: parsed.errors };
  }
  const hash = inputHash(parsed.value);
  const earlier = await ctx.store.getByKey(ctx.tenant.id, spec.kind, parsed.idempotencyKey);
  if (earlier) return replay(spec, ctx, earlier, hash);

  let prepared: Prepared;
  try {
    prepared = await spec.prepare(ctx.deps, parsed.value);
  } catch (err) {
    if (err instanceof ActionRefusal) {
      await audit(ctx, spec.kind, null, 'requested', 'refused', { error: err.userError });
      return { action: null, replayed: false, userErrors: [err.userError] };
    }
    await audit(ctx, spec.kind, null, 'requested', 'upstream_failed', { error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
  const rule = approvalRule(ctx.tenant, spec.kind, prepared.approvalAmount ?? prepared.amount);
  const now = ctx.now?.() ?? Date.now();
  const { action, created } = await ctx.store.create({
    tenant: ctx.tenant.id,
    kind: spec.kind,
    idempotencyKey: parsed.idempotencyKey,
    inputHash: hash,
    input: parsed.value,
    status: rule ? 'PENDING_APPROVAL' : 'EXECUTING',
    requester: ctx.identity.subject,
    requesterRoles: [...ctx.identity.roles],
    ticketId: parsed.ticketId,
    customerId: prepared.customerId ?? null,
    amount: prepared.amount?.amount ?? null,
    currency: prepared.amount?.currency ?? null,
    requestId: ctx.requestId ?? null,
    expiresAt: rule ? new Date(now + ctx.tenant.actions.pendingExpiryHours * 3_600_000).toISOString() : null,
  });
  // Another request with the same key got there first: its outcome is this request's answer.
  if (!created) return replay(spec, ctx, action, hash);
  if (rule) {
    await audit(ctx, spec.kind, action.id, 'requested', 'pending_approval', { approvers: rule.approvers });
    return { action, replayed: false, userErrors: [] };
  }
  await audit(ctx, spec.kind, action.id, 'requested', 'accepted');
  return payloadOf(await executeToEnd(spec, ctx, parsed.value, action), false);
}

async function replay<I, D>(spec: ActionSpec<I, D>, ctx: PipelineContext<D>, earlier: ActionRecord, hash: string): Promise<ActionPayload> {
  // A key is its requester's: another user's same key is a reuse, never a window on their action.
  if (earlier.inputHash !== hash || earlier.requester !== ctx.identity.subject) {
    await audit(ctx, spec.kind, earlier.id, 'requested', 'idempotency_key_reused');
    return {
      action: null,
      replayed: false,
      userErrors: [userError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used before with other input', ['input', 'idempotencyKey'])],
    };
  }
  const outcome = FINAL.includes(earlier.status) ? earlier : ((await settled(ctx.store, ctx.tenant.id, earlier.id)) ?? earlier);
  return payloadOf(outcome, true);
}

/** Whether this identity may decide (approve or reject) the action under the tenant's rules. */
function mayDecide(tenant: TenantConfig, identity: Identity, action: ActionRecord): boolean {
  const rule = approvalRule(
    tenant,
    action.kind as ActionKindName,
    action.amount === null ? undefined : { amount: action.amount, currency: action.currency ?? 'XXX' },
  );
  const approvers = rule?.approvers ?? [];
  return identity.roles.some((r) => r === 'admin' || approvers.includes(r));
}

/** What `parse` takes back from the log: the validated input with its key and ticket. */
const storedInput = (action: ActionRecord): unknown => ({
  ...(action.input as Record<string, unknown>),
  idempotencyKey: action.idempotencyKey,
  ticketId: action.ticketId,
});

const refusal = (code: ActionUserError['code'], message: string, field: string[] | null = null): ActionPayload => ({
  action: null,
  replayed: false,
  userErrors: [userError(code, message, field)],
});

/** Loads a pending action (audited when it is not one), expiring it when its time is up. */
async function pending<D>(ctx: PipelineContext<D>, id: string, event: string): Promise<ActionRecord | ActionPayload> {
  const action = await ctx.store.get(ctx.tenant.id, id);
  if (!action) {
    await audit(ctx, 'unknown', null, event, 'not_found', { id });
    return refusal('NOT_FOUND', 'No such action', ['id']);
  }
  if (action.status !== 'PENDING_APPROVAL') {
    await audit(ctx, action.kind, id, event, 'not_pending', { status: action.status });
    return refusal('NOT_PENDING', `The action is ${action.status}, not waiting for approval`);
  }
  const now = ctx.now?.() ?? Date.now();
  if (action.expiresAt !== null && Date.parse(action.expiresAt) <= now) {
    await ctx.store.transition(ctx.tenant.id, id, ['PENDING_APPROVAL'], { status: 'EXPIRED' });
    await audit(ctx, action.kind, id, event, 'expired');
    return refusal('NOT_PENDING', 'Nobody approved the action in time: it expired');
  }
  return action;
}

/**
 * Approves a pending action and executes it (PENDING_APPROVAL → APPROVED → EXECUTING). The guards run
 * again first: what held when it was requested (goods not yet returned, an order not yet shipped) may
 * no longer hold, and a refusal then ends the action FAILED.
 */
export async function approveAction<D>(specs: ReadonlyMap<string, ActionSpec<unknown, D>>, ctx: PipelineContext<D>, id: string): Promise<ActionPayload> {
  const found = await pending(ctx, id, 'approved');
  if (!('id' in found)) return found;
  if (found.requester === ctx.identity.subject) {
    await audit(ctx, found.kind, id, 'approved', 'self_approval');
    return { action: found, replayed: false, userErrors: [userError('SELF_APPROVAL', 'The requester of an action cannot approve it')] };
  }
  if (!mayDecide(ctx.tenant, ctx.identity, found)) {
    await audit(ctx, found.kind, id, 'approved', 'denied');
    return refusal('FORBIDDEN', 'Your roles may not approve this action');
  }
  const spec = specs.get(found.kind);
  const parsed = spec?.parse(storedInput(found));
  if (!spec || !parsed?.ok) {
    await audit(ctx, found.kind, id, 'approved', 'not_executable');
    return refusal('NOT_FOUND', 'This action cannot be executed here');
  }
  try {
    await spec.prepare(ctx.deps, parsed.value);
  } catch (err) {
    if (!(err instanceof ActionRefusal)) throw err;
    const failed = await ctx.store.transition(ctx.tenant.id, id, ['PENDING_APPROVAL'], {
      status: 'FAILED',
      approver: ctx.identity.subject,
      reason: err.userError.message,
    });
    await audit(ctx, found.kind, id, 'approved', 'refused', { error: err.userError });
    return { action: failed, replayed: false, userErrors: [err.userError] };
  }
  const approved = await ctx.store.transition(ctx.tenant.id, id, ['PENDING_APPROVAL'], { status: 'APPROVED', approver: ctx.identity.subject });
  const executing = approved ? await ctx.store.transition(ctx.tenant.id, id, ['APPROVED'], { status: 'EXECUTING' }) : null;
  if (!executing) {
    await audit(ctx, found.kind, id, 'approved', 'not_pending');
    return refusal('NOT_PENDING', 'The action was decided meanwhile');
  }
  await audit(ctx, found.kind, id, 'approved', 'accepted');
  return payloadOf(await executeToEnd(spec, ctx, parsed.value, executing), false);
}

/** Rejects a pending action; nothing is written upstream. */
export async function rejectAction<D>(ctx: PipelineContext<D>, id: string, reason: string): Promise<ActionPayload> {
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > 1000) {
    await audit(ctx, 'unknown', null, 'rejected', 'invalid', { id });
    return refusal('INVALID_INPUT', 'A reason of 1 to 1000 characters is required', ['reason']);
  }
  const found = await pending(ctx, id, 'rejected');
  if (!('id' in found)) return found;
  if (!mayDecide(ctx.tenant, ctx.identity, found)) {
    await audit(ctx, found.kind, id, 'rejected', 'denied');
    return refusal('FORBIDDEN', 'Your roles may not reject this action');
  }
  const rejected = await ctx.store.transition(ctx.tenant.id, id, ['PENDING_APPROVAL'], { status: 'REJECTED', approver: ctx.identity.subject, reason: trimmed });
  await audit(ctx, found.kind, id, 'rejected', rejected ? 'accepted' : 'not_pending');
  return rejected ? { action: rejected, replayed: false, userErrors: [] } : refusal('NOT_PENDING', 'The action was decided meanwhile');
}

/**
 * Executes again a DEAD action (admins) or an EXECUTING one left behind (the reconciler). The action
 * is claimed first (compare-and-set to APPROVED, then EXECUTING): of two reconcilers, or a reconciler
 * and an admin, one runs it. An input that no longer validates ends it FAILED, audited, never a crash.
 */
export async function resumeAction<D>(
  specs: ReadonlyMap<string, ActionSpec<unknown, D>>,
  ctx: PipelineContext<D>,
  action: ActionRecord,
  from: readonly ActionStatus[],
): Promise<ActionPayload> {
  const spec = specs.get(action.kind);
  if (!spec) {
    await audit(ctx, action.kind, action.id, 'resumed', 'not_executable');
    return refusal('NOT_FOUND', 'This subgraph does not execute that kind of action');
  }
  const parsed = spec.parse(storedInput(action));
  if (!parsed.ok) {
    await ctx.store.transition(ctx.tenant.id, action.id, from, { status: 'FAILED', reason: 'The stored input no longer validates' });
    await audit(ctx, action.kind, action.id, 'resumed', 'invalid_input', { errors: parsed.errors });
    return { action: null, replayed: false, userErrors: parsed.errors };
  }
  const claimed = await ctx.store.transition(ctx.tenant.id, action.id, from, { status: 'APPROVED' });
  const resumed = claimed ? await ctx.store.transition(ctx.tenant.id, action.id, ['APPROVED'], { status: 'EXECUTING' }) : null;
  if (!resumed) {
    await audit(ctx, action.kind, action.id, 'resumed', 'not_claimed', { from: action.status });
    return refusal('NOT_PENDING', `The action is not ${from.join(' or ')} any more`);
  }
  await audit(ctx, action.kind, action.id, 'resumed', 'accepted', { from: action.status });
  return payloadOf(await executeToEnd(spec, ctx, parsed.value, resumed), false);
}
