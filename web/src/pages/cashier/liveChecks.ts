import { createClient, type Client } from 'graphql-ws';
import { useEffect, useRef, useState } from 'react';
import type { GraphQLClient } from '../../api/client';
import { CheckProcessedDocument } from '../../api/operations';
import type { CheckProcessedSubscription, ReceiptFieldsFragment } from '../../gql/graphql';
import { useSession } from '../../session/SessionProvider';

export type LiveReceipt = ReceiptFieldsFragment;

/** The subscriptions endpoint next to the page: ws(s)://<host>/graphql/ws. */
export function subscriptionUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/graphql/ws`;
}

/**
 * Whether a subscription ended because the server refused the credentials. The server answers a
 * rejected `connection_init` by closing with 1002 (graphql-ws treats that as fatal and does not
 * retry by itself); 4401/4403 are the protocol's own codes; an UNAUTHENTICATED GraphQL error
 * can also end a running subscription.
 */
export function isAuthFailure(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'number') {
    return [1002, 4401, 4403].includes((error as { code: number }).code);
  }
  if (Array.isArray(error)) {
    return error.some((e) => (e as { extensions?: { code?: unknown } })?.extensions?.code === 'UNAUTHENTICATED');
  }
  return false;
}

/** Consecutive refused connections after which the live list gives up (the session is probably gone). */
const MAX_AUTH_RETRIES = 3;

/**
 * Live feed of checks processed at a location (by any till or the POS), over graphql-ws
 * (graphql-transport-ws at `/graphql/ws`). Every (re)connection authenticates in `connection_init`
 * with `{ Authorization: 'Bearer <access token>' }` read at that moment; when the server refuses
 * the token (expired while the socket was down), the session is refreshed (the client's single
 * flight) and the subscription starts again. Network drops reconnect with graphql-ws's backoff.
 * If the server does not know the subscription, `live` stays false and the cashier screen lists
 * only its own receipts.
 */
export function useCheckProcessedSubscription(
  locationId: string | null,
  onReceipt: (receipt: LiveReceipt) => void,
): { live: boolean } {
  const { client } = useSession();
  const [live, setLive] = useState(false);
  const onReceiptRef = useRef(onReceipt);
  onReceiptRef.current = onReceipt;

  useEffect(() => {
    if (!locationId || typeof WebSocket === 'undefined') return;
    return subscribeToChecks(client, locationId, {
      onReceipt: (r) => onReceiptRef.current(r),
      onLive: setLive,
    });
  }, [client, locationId]);

  return { live };
}

/** The subscription outside React; returns the function that ends it. */
export function subscribeToChecks(
  api: Pick<GraphQLClient, 'getAccessToken' | 'refresh'>,
  locationId: string,
  handlers: { onReceipt: (r: LiveReceipt) => void; onLive: (live: boolean) => void },
  options: { url?: string; webSocketImpl?: unknown } = {},
): () => void {
  let stopped = false;
  let refreshFirst = false;
  let authFailures = 0;
  let ws: Client | null = null;
  let unsubscribe: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const start = () => {
    ws = createClient({
      url: options.url ?? subscriptionUrl(window.location),
      webSocketImpl: options.webSocketImpl,
      lazy: true,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      connectionParams: async () => {
        if (refreshFirst || !api.getAccessToken()) {
          refreshFirst = false;
          await api.refresh();
        }
        return { Authorization: `Bearer ${api.getAccessToken() ?? ''}` };
      },
      on: {
        connected: () => {
          authFailures = 0;
          handlers.onLive(true);
        },
        closed: () => handlers.onLive(false),
      },
    });
    unsubscribe = ws.subscribe<CheckProcessedSubscription>(
      { query: CheckProcessedDocument.toString(), variables: { locationId } },
      {
        next: (result) => {
          if (result.data?.checkProcessed) handlers.onReceipt(result.data.checkProcessed);
        },
        error: (error) => {
          handlers.onLive(false);
          if (stopped || !isAuthFailure(error) || authFailures >= MAX_AUTH_RETRIES) return;
          authFailures += 1;
          refreshFirst = true;
          void ws?.dispose();
          timer = setTimeout(start, 500 * authFailures);
        },
        complete: () => handlers.onLive(false),
      },
    );
  };

  start();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    unsubscribe?.();
    void ws?.dispose();
    handlers.onLive(false);
  };
}
