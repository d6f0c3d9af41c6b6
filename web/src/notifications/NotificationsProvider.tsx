import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { toPage } from '../api/hooks';
import { useRefetchOnReconnect, useSubscription } from '../api/liveHooks';
import { MarkNotificationsReadDocument, NotificationReceivedDocument, NotificationsDocument, UnreadNotificationCountDocument } from '../api/operations';
import { useSession } from '../session/SessionProvider';
import { bellReducer, INITIAL_BELL_STATE, LATEST_LIMIT, type BellState, type NotificationItem } from './logic';

export interface ToastItem {
  key: number;
  item: NotificationItem;
}

interface NotificationsValue {
  state: BellState;
  /** Reads the newest notifications for the bell's dropdown. */
  loadLatest: () => Promise<void>;
  latestError: unknown;
  /** Marks these read; resolves with how many became read. */
  markRead: (ids: string[]) => Promise<number>;
  markAllRead: () => Promise<number>;
  /** Called with every notification that arrives live (the centre and the home page refresh). */
  onReceived: (listener: (item: NotificationItem) => void) => () => void;
  toasts: ToastItem[];
  dismissToast: (key: number) => void;
}

const NotificationsContext = createContext<NotificationsValue | null>(null);

/** How long a toast stays (ms). */
const TOAST_MS = 8000;
const MAX_TOASTS = 3;

/**
 * The signed-in person's notifications: the unread count (read on load and after every
 * reconnection), live `notificationReceived` (counted once, toasted), the bell's latest list, and
 * marking read. Inside the LiveProvider (it uses the shared connection).
 */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const { client } = useSession();
  const [state, dispatch] = useReducer(bellReducer, INITIAL_BELL_STATE);
  const [latestError, setLatestError] = useState<unknown>(undefined);
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const listeners = useRef(new Set<(item: NotificationItem) => void>());
  const latestWanted = useRef(false);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const toastKey = useRef(0);

  const loadCount = useCallback(async () => {
    try {
      const data = await client.request(UnreadNotificationCountDocument, {});
      dispatch({ type: 'countLoaded', count: data.unreadNotificationCount });
    } catch {
      // the bell just shows no number
    }
  }, [client]);

  const loadLatest = useCallback(async () => {
    latestWanted.current = true;
    setLatestError(undefined);
    try {
      const data = await client.request(NotificationsDocument, { last: LATEST_LIMIT });
      dispatch({ type: 'latestLoaded', items: toPage(data.notifications, true).nodes });
    } catch (e) {
      setLatestError(e);
    }
  }, [client]);

  useEffect(() => {
    void loadCount();
  }, [loadCount]);

  const dismissToast = useCallback((key: number) => {
    clearTimeout(timers.current.get(key));
    timers.current.delete(key);
    setToasts((list) => list.filter((x) => x.key !== key));
  }, []);

  useEffect(() => {
    const all = timers.current;
    return () => {
      for (const timer of all.values()) clearTimeout(timer);
      all.clear();
    };
  }, []);

  useSubscription(NotificationReceivedDocument, {}, ({ notificationReceived: item }) => {
    dispatch({ type: 'received', item });
    if (!item.readAt) {
      const key = ++toastKey.current;
      setToasts((list) => [{ key, item }, ...list.filter((x) => x.item.id !== item.id)].slice(0, MAX_TOASTS));
      timers.current.set(
        key,
        setTimeout(() => dismissToast(key), TOAST_MS),
      );
    }
    for (const l of [...listeners.current]) l(item);
  });

  // Back after a drop: notifications that arrived meanwhile were missed.
  useRefetchOnReconnect(() => {
    void loadCount();
    if (latestWanted.current) void loadLatest();
  });

  const markRead = useCallback(
    async (ids: string[]) => {
      if (ids.length === 0) return 0;
      const data = await client.request(MarkNotificationsReadDocument, { ids });
      dispatch({ type: 'markedRead', ids, changed: data.markNotificationsRead, at: new Date().toISOString() });
      return data.markNotificationsRead;
    },
    [client],
  );

  const markAllRead = useCallback(async () => {
    const data = await client.request(MarkNotificationsReadDocument, { all: true });
    dispatch({ type: 'allRead', at: new Date().toISOString() });
    return data.markNotificationsRead;
  }, [client]);

  const onReceived = useCallback((listener: (item: NotificationItem) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const value = useMemo(
    () => ({ state, loadLatest, latestError, markRead, markAllRead, onReceived, toasts, dismissToast }),
    [state, loadLatest, latestError, markRead, markAllRead, onReceived, toasts, dismissToast],
  );
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

/** The notifications of the signed-in person (null outside the panel layout). */
export function useNotifications(): NotificationsValue | null {
  return useContext(NotificationsContext);
}

/** Runs `listener` for every notification that arrives live. */
export function useOnNotification(listener: (item: NotificationItem) => void): void {
  const notifications = useNotifications();
  const ref = useRef(listener);
  ref.current = listener;
  const subscribe = notifications?.onReceived;
  useEffect(() => {
    if (!subscribe) return;
    return subscribe((item) => ref.current(item));
  }, [subscribe]);
}
