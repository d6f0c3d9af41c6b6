import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useSession } from '../session/SessionProvider';
import type { GraphQLClient, TypedDocument } from './client';
import { ApiError } from './errors';
import { LiveConnection, type LiveStatus } from './live';

const LiveContext = createContext<LiveConnection | null>(null);

/** The staff panel's connection: the session's access token, renewed through the client's single-flight refresh. */
export function staffLiveConnection(api: Pick<GraphQLClient, 'getAccessToken' | 'refresh'>): LiveConnection {
  return new LiveConnection({
    token: async (renew) => {
      const current = api.getAccessToken();
      if (!renew && current) return current;
      return (await api.refresh()).accessToken;
    },
    // the refresh token was refused: the session is over (the panel goes to the login page)
    isFatal: (error) => error instanceof ApiError && ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'].includes(error.code),
  });
}

/**
 * One live connection for everything under it (the bell, the cashier's recent checks, a guest's
 * card). Mounted per session and business: a switch to another business opens a new one, with the
 * new token. Back online after a network loss, it reconnects without waiting out its backoff.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { client } = useSession();
  const [live, setLive] = useState<LiveConnection | null>(null);
  useEffect(() => {
    if (typeof WebSocket === 'undefined') return;
    const connection = staffLiveConnection(client);
    setLive(connection);
    const online = () => connection.reconnectNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      connection.close();
      setLive(null);
    };
  }, [client]);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

/** The connection of the nearest LiveProvider (null before it opened, or outside one). */
export function useLiveConnection(): LiveConnection | null {
  return useContext(LiveContext);
}

/** The connection's status, re-rendering on changes ('idle' without a connection). */
export function useLiveStatus(override?: LiveConnection | null): LiveStatus {
  const fromContext = useLiveConnection();
  const live = override === undefined ? fromContext : override;
  const subscribe = useCallback((onChange: () => void) => (live ? live.onStatus(onChange) : () => undefined), [live]);
  return useSyncExternalStore(
    subscribe,
    () => live?.status ?? 'idle',
    () => 'idle',
  );
}

/**
 * Subscribes while mounted (and `skip` is false); a change of the variables starts it again. The
 * handlers may change on every render. Returns the server's refusal (e.g. no permission), if any:
 * show such a view as not live (`viewStatus`).
 */
export function useSubscription<TData, TVariables>(
  document: TypedDocument<TData, TVariables>,
  variables: TVariables,
  onData: (data: TData) => void,
  options: { skip?: boolean; onError?: (error: unknown) => void; live?: LiveConnection | null } = {},
): { error: unknown } {
  const fromContext = useLiveConnection();
  const live = options.live === undefined ? fromContext : options.live;
  const [error, setError] = useState<unknown>(undefined);
  const onDataRef = useRef(onData);
  onDataRef.current = onData;
  const onErrorRef = useRef(options.onError);
  onErrorRef.current = options.onError;
  const varsKey = JSON.stringify(variables ?? {});
  useEffect(() => {
    if (!live || options.skip) return;
    setError(undefined);
    return live.subscribe(document, JSON.parse(varsKey) as TVariables, {
      next: (data) => {
        setError(undefined);
        onDataRef.current(data);
      },
      error: (e) => {
        setError(e);
        onErrorRef.current?.(e);
      },
    });
  }, [live, document, varsKey, options.skip]);
  return { error };
}

/** A view's status: the connection's, but `offline` when the server refused the view's subscription. */
export function viewStatus(connection: LiveStatus, subscriptionError: unknown): LiveStatus {
  return subscriptionError !== undefined && connection !== 'idle' ? 'offline' : connection;
}

/** Runs `refetch` whenever the connection is back after a drop (what the view shows may be stale). */
export function useRefetchOnReconnect(refetch: () => void, override?: LiveConnection | null): void {
  const fromContext = useLiveConnection();
  const live = override === undefined ? fromContext : override;
  const ref = useRef(refetch);
  ref.current = refetch;
  useEffect(() => {
    if (!live) return;
    return live.onReconnect(() => ref.current());
  }, [live]);
}
