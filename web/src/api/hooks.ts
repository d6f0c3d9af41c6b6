import { useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '../session/SessionProvider';
import type { TypedDocument } from './client';

export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  refetch: () => Promise<void>;
}

/** Runs a query on mount and whenever the variables change. */
export function useQuery<TResult, TVariables>(
  document: TypedDocument<TResult, TVariables>,
  variables: TVariables,
  options: { skip?: boolean } = {},
): QueryState<TResult> {
  const { client } = useSession();
  const [data, setData] = useState<TResult | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(!options.skip);
  const varsKey = JSON.stringify(variables ?? {});
  const generation = useRef(0);

  const run = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    setError(undefined);
    try {
      const result = await client.request(document, JSON.parse(varsKey) as TVariables);
      if (mine === generation.current) setData(result);
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [client, document, varsKey]);

  useEffect(() => {
    if (options.skip) return;
    void run();
    return () => {
      generation.current++; // ignore answers that arrive after unmount / variable change
    };
  }, [run, options.skip]);

  return { data, error, loading, refetch: run };
}

export interface Connection<TNode> {
  totalCount: number;
  pageInfo: {
    hasNextPage: boolean;
    endCursor?: string | null;
    hasPreviousPage?: boolean;
    startCursor?: string | null;
  };
  nodes: TNode[];
}

export interface ConnectionState<TNode> {
  /** In display order: oldest first (forward), newest first (backward). */
  nodes: TNode[];
  totalCount: number;
  hasMore: boolean;
  error: unknown;
  loading: boolean;
  loadingMore: boolean;
  loadMore: () => Promise<void>;
  /** Reloads from the first page. */
  reload: () => Promise<void>;
  /** Replaces one node in place (after a mutation returned its new state). */
  replaceNode: (match: (node: TNode) => boolean, next: TNode) => void;
}

/** One fetched page in display order, with the cursor for the next "load more". */
export function toPage<TNode>(conn: Connection<TNode>, backward: boolean) {
  return {
    nodes: backward ? [...conn.nodes].reverse() : conn.nodes,
    totalCount: conn.totalCount,
    hasMore: backward ? Boolean(conn.pageInfo.hasPreviousPage) : conn.pageInfo.hasNextPage,
    cursor: (backward ? conn.pageInfo.startCursor : conn.pageInfo.endCursor) ?? null,
  };
}

type PageVars = { first?: number | null; after?: string | null; last?: number | null; before?: string | null };

/**
 * Cursor pagination over a Relay-style connection.
 * - forward (default): `first`/`after`, oldest first, "load more" appends newer items;
 * - backward: `last`/`before`, shows the newest items first, "load more" appends older ones
 *   (the server returns every page oldest first; it is reversed for display).
 */
export function useConnection<TResult, TVariables extends PageVars, TNode>(
  document: TypedDocument<TResult, TVariables>,
  select: (data: TResult) => Connection<TNode>,
  baseVariables: Omit<TVariables, 'first' | 'after' | 'last' | 'before'>,
  options: { pageSize?: number; direction?: 'forward' | 'backward' } = {},
): ConnectionState<TNode> {
  const { client } = useSession();
  const pageSize = options.pageSize ?? 50;
  const backward = options.direction === 'backward';
  const [nodes, setNodes] = useState<TNode[]>([]);
  const [totalCount, setTotalCount] = useState(0);
  // A cursor belongs to the variables of the page it came from (a search
  // refuses another query's cursor): "load more" waits for the new first page.
  const [cursor, setCursor] = useState<{ vars: string; at: string | null }>({
    vars: '',
    at: null,
  });
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const varsKey = JSON.stringify(baseVariables ?? {});
  const selectRef = useRef(select);
  selectRef.current = select;
  const generation = useRef(0);

  const fetchPage = useCallback(
    async (from: string | null) => {
      const page = backward ? { last: pageSize, before: from } : { first: pageSize, after: from };
      const vars = { ...(JSON.parse(varsKey) as object), ...page } as unknown as TVariables;
      return toPage(selectRef.current(await client.request(document, vars)), backward);
    },
    [client, document, varsKey, pageSize, backward],
  );

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    setError(undefined);
    try {
      const page = await fetchPage(null);
      if (mine !== generation.current) return;
      setNodes(page.nodes);
      setTotalCount(page.totalCount);
      setHasMore(page.hasMore);
      setCursor({ vars: varsKey, at: page.cursor });
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [fetchPage, varsKey]);

  const loadMore = useCallback(async () => {
    if (!hasMore || loadingMore || cursor.vars !== varsKey) return;
    const mine = generation.current;
    setLoadingMore(true);
    setError(undefined);
    try {
      const page = await fetchPage(cursor.at);
      if (mine !== generation.current) return;
      setNodes((prev) => [...prev, ...page.nodes]);
      setTotalCount(page.totalCount);
      setHasMore(page.hasMore);
      setCursor({ vars: varsKey, at: page.cursor });
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      setLoadingMore(false);
    }
  }, [cursor, fetchPage, hasMore, loadingMore, varsKey]);

  useEffect(() => {
    void reload();
    return () => {
      generation.current++;
    };
  }, [reload]);

  const replaceNode = useCallback((match: (node: TNode) => boolean, next: TNode) => {
    setNodes((prev) => prev.map((n) => (match(n) ? next : n)));
  }, []);

  return { nodes, totalCount, hasMore, error, loading, loadingMore, loadMore, reload, replaceNode };
}
