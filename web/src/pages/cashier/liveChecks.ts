import type { LiveStatus } from '../../api/live';
import { useLiveStatus, useSubscription, viewStatus } from '../../api/liveHooks';
import { CheckProcessedDocument } from '../../api/operations';
import type { ReceiptFieldsFragment } from '../../gql/graphql';

export type LiveReceipt = ReceiptFieldsFragment;

/**
 * Live feed of checks processed at a location (by any till or the POS): `checkProcessed` on the
 * panel's shared graphql-ws connection (see api/live.ts: token in `connection_init`, renewed when
 * refused, reconnects with backoff). If the server refuses the subscription, the status is not
 * `live` and the cashier screen lists only its own receipts.
 */
export function useCheckProcessedSubscription(locationId: string | null, onReceipt: (receipt: LiveReceipt) => void): { status: LiveStatus } {
  const { error } = useSubscription(CheckProcessedDocument, { locationId: locationId ?? '' }, (data) => onReceipt(data.checkProcessed), {
    skip: !locationId,
  });
  const status = viewStatus(useLiveStatus(), error);
  return { status: locationId ? status : 'idle' };
}
