import { describe, expect, it } from 'vitest';
import { toPage } from './hooks';

const conn = {
  totalCount: 5,
  pageInfo: { hasNextPage: true, endCursor: 'c3', hasPreviousPage: true, startCursor: 'c2' },
  nodes: [{ id: 2 }, { id: 3 }],
};

describe('connection paging', () => {
  it('forward: keeps server order and continues after endCursor', () => {
    expect(toPage(conn, false)).toEqual({ nodes: [{ id: 2 }, { id: 3 }], totalCount: 5, hasMore: true, cursor: 'c3' });
  });

  it('backward (newest first): reverses the page and continues before startCursor', () => {
    expect(toPage(conn, true)).toEqual({ nodes: [{ id: 3 }, { id: 2 }], totalCount: 5, hasMore: true, cursor: 'c2' });
    expect(toPage({ ...conn, pageInfo: { hasNextPage: false } }, true)).toMatchObject({ hasMore: false, cursor: null });
    expect(conn.nodes).toEqual([{ id: 2 }, { id: 3 }]); // input not mutated
  });
});
