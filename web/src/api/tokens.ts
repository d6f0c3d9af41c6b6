/**
 * Where the session lives: the access token only in memory (never persisted),
 * the refresh token in localStorage so a reload can restore the session.
 * Refresh tokens are single-use: whoever refreshes must store the new one.
 */
export const REFRESH_TOKEN_STORAGE_KEY = 'maxloyalty.refreshToken';

export interface TokenStore {
  getAccessToken(): string | null;
  getRefreshToken(): string | null;
  setTokens(accessToken: string, refreshToken: string): void;
  /** Forgets the access token only (e.g. it was rejected). */
  dropAccessToken(): void;
  clear(): void;
}

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function createTokenStore(storage: StorageLike | undefined): TokenStore {
  let accessToken: string | null = null;
  // Fallback when storage is unavailable (private mode, tests): keep it in memory.
  let memoryRefresh: string | null = null;

  const read = (): string | null => {
    if (!storage) return memoryRefresh;
    try {
      return storage.getItem(REFRESH_TOKEN_STORAGE_KEY);
    } catch {
      return memoryRefresh;
    }
  };
  const write = (value: string | null): void => {
    memoryRefresh = value;
    if (!storage) return;
    try {
      if (value === null) storage.removeItem(REFRESH_TOKEN_STORAGE_KEY);
      else storage.setItem(REFRESH_TOKEN_STORAGE_KEY, value);
    } catch {
      // keep the in-memory copy
    }
  };

  return {
    getAccessToken: () => accessToken,
    getRefreshToken: read,
    setTokens(access, refresh) {
      accessToken = access;
      write(refresh);
    },
    dropAccessToken() {
      accessToken = null;
    },
    clear() {
      accessToken = null;
      write(null);
    },
  };
}

/** An in-memory Storage, for tests and environments without localStorage. */
export function memoryStorage(initial: Record<string, string> = {}): StorageLike & { dump(): Record<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, String(v)),
    removeItem: (k) => void data.delete(k),
    dump: () => Object.fromEntries(data),
  };
}
