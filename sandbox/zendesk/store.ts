/**
 * One Zendesk account's data (one per tenant): records by id plus the look-ups the routes need.
 * Ids are per account, so two tenants hold the same ticket ids with different content.
 */
import type { CommentRecord, OrganizationRecord, TicketRecord, UserRecord } from './records';

export class ZendeskAccount {
  readonly tickets = new Map<number, TicketRecord>();
  readonly users = new Map<number, UserRecord>();
  readonly organizations = new Map<number, OrganizationRecord>();
  /** Comments per ticket id, oldest first. */
  readonly comments = new Map<number, CommentRecord[]>();
  #nextCommentId = 1;
  #nextAuditId = 1;
  #nextEventId = 1;

  constructor(
    readonly tenant: string,
    /** Host part of `recipient` and the account's support address. */
    readonly supportAddress: string,
    ids: { comment: number; audit: number; event: number },
  ) {
    this.#nextCommentId = ids.comment;
    this.#nextAuditId = ids.audit;
    this.#nextEventId = ids.event;
  }

  nextCommentId(): number {
    return this.#nextCommentId++;
  }
  nextAuditId(): number {
    return this.#nextAuditId++;
  }
  nextEventId(): number {
    return this.#nextEventId++;
  }

  addUser(user: UserRecord): void {
    this.users.set(user.id, user);
  }

  addOrganization(org: OrganizationRecord): void {
    this.organizations.set(org.id, org);
  }

  addTicket(ticket: TicketRecord, comments: CommentRecord[]): void {
    this.tickets.set(ticket.id, ticket);
    this.comments.set(ticket.id, comments);
  }

  userByEmail(email: string): UserRecord | undefined {
    const wanted = email.toLowerCase();
    for (const u of this.users.values()) if (u.email !== null && u.email.toLowerCase() === wanted) return u;
    return undefined;
  }

  userByExternalId(externalId: string): UserRecord | undefined {
    for (const u of this.users.values()) if (u.external_id === externalId) return u;
    return undefined;
  }

  organizationByExternalId(externalId: string): OrganizationRecord | undefined {
    for (const o of this.organizations.values()) if (o.external_id === externalId) return o;
    return undefined;
  }

  /** Tickets in id order (the order of the cursor list). */
  ticketList(): TicketRecord[] {
    return [...this.tickets.values()].sort((a, b) => a.id - b.id);
  }
  userList(): UserRecord[] {
    return [...this.users.values()].sort((a, b) => a.id - b.id);
  }
  organizationList(): OrganizationRecord[] {
    return [...this.organizations.values()].sort((a, b) => a.id - b.id);
  }
}
