/**
 * A random UUID v4 for idempotency keys (`externalId`, `idempotencyKey`).
 * `crypto.randomUUID` exists only in secure contexts (https, localhost); a cashier terminal may
 * open the panel over plain http on a local network, so fall back to `getRandomValues`.
 */
export function newUuid(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') {
    try {
      return c.randomUUID();
    } catch {
      // not a secure context: fall through
    }
  }
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One idempotency key per attempt: the same key for every retry of the attempt (so a request
 * that reached the server before the connection dropped is never applied twice), a new key
 * once the attempt is done (success) or abandoned (the user starts over).
 */
export class IdempotentAttempt {
  private current: string;

  constructor(private readonly generate: () => string = newUuid) {
    this.current = generate();
  }

  /** The key for the next submission of this attempt. */
  get key(): string {
    return this.current;
  }

  /** The attempt succeeded or was abandoned: the next submission is a new operation. */
  renew(): string {
    this.current = this.generate();
    return this.current;
  }

  /**
   * Sends with the attempt's key. Success renews the key; any failure keeps it, so a retry
   * (after a network error, or after fixing the input) is recognised by the server.
   */
  async run<T>(send: (key: string) => Promise<T>): Promise<T> {
    const key = this.current;
    const result = await send(key);
    if (this.current === key) this.renew();
    return result;
  }
}
