/**
 * Stored records to wire objects: each gets its `url`, built from the host the request came in on,
 * so that `url`, `next_page` and `links.next` all start with the client's own `endpointUri`.
 */
import type { CommentRecord, OrganizationRecord, TicketRecord, UserRecord } from './records';

/** `http://<host>/api/v2` for a request. */
export const apiBase = (url: URL): string => `${url.origin}/api/v2`;

export const renderTicket = (t: TicketRecord, base: string): Record<string, unknown> => {
  const { id, ...rest } = t;
  return {
    url: `${base}/tickets/${id}.json`,
    id,
    ...rest,
    custom_fields: t.custom_fields.map((f) => ({ ...f })),
    fields: t.custom_fields.map((f) => ({ ...f })),
  };
};

export const renderUser = (u: UserRecord, base: string): Record<string, unknown> => {
  const { id, ...rest } = u;
  return { id, url: `${base}/users/${id}.json`, ...rest };
};

export const renderOrganization = (o: OrganizationRecord, base: string): Record<string, unknown> => {
  const { id, ...rest } = o;
  return { url: `${base}/organizations/${id}.json`, id, ...rest };
};

export const renderComment = (c: CommentRecord): Record<string, unknown> => ({ ...c });
