/** Page sizes of every cursor connection of the public API (`first`), shared by subgraphs and the gateway's cost limit. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
