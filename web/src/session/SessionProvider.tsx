import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AuthPayload, GraphQLClient } from '../api/client';
import { toApiError } from '../api/errors';
import {
  AcceptInvitationDocument,
  LoginDocument,
  MeDocument,
  SignUpDocument,
} from '../api/operations';
import { REFRESH_TOKEN_STORAGE_KEY } from '../api/tokens';
import type { AcceptInvitationInput, ChangePasswordInput, LoginInput, MeFieldsFragment, SignUpInput, UpdateMyProfileInput } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import {
  changePassword as changePasswordOp,
  signInLocale,
  switchTenant as switchTenantOp,
  updateMyProfile as updateMyProfileOp,
  type ProfileUser,
} from './account';

export type Me = MeFieldsFragment;

export type SessionState =
  | { status: 'restoring' }
  /** The stored session could not be checked (server unreachable): offer a retry. */
  | { status: 'restoreFailed'; error: unknown }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'authenticated'; me: Me };

interface SessionValue {
  state: SessionState;
  client: GraphQLClient;
  login: (input: LoginInput) => Promise<Me>;
  signUp: (input: SignUpInput) => Promise<Me>;
  acceptInvitation: (input: AcceptInvitationInput) => Promise<Me>;
  logout: () => Promise<void>;
  /** Re-reads `me` (e.g. after the permissions of the own role changed). */
  reloadMe: () => Promise<void>;
  /** A new session in another business of the signed-in person (new tokens, new `me`). */
  switchTenant: (tenantId: string) => Promise<Me>;
  /** Saves name and/or language; `me.user` is updated from the answer. */
  updateMyProfile: (input: UpdateMyProfileInput) => Promise<ProfileUser>;
  /** Changes the password; the fresh session the server returns replaces the current one. */
  changePassword: (input: ChangePasswordInput) => Promise<Me>;
  retryRestore: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ client, children }: { client: GraphQLClient; children: ReactNode }) {
  const [state, setState] = useState<SessionState>(() =>
    client.hasRefreshToken() ? { status: 'restoring' } : { status: 'anonymous', expired: false },
  );
  const [restoreAttempt, setRestoreAttempt] = useState(0);
  const loggingOut = useRef(false);
  const { localeChoice, applyLocale } = useI18n();

  // Every new session (login, sign-up, invitation, refresh, switch) updates `me`; a dead session
  // sends the user to login. If nobody chose a language in this browser, the person's saved one is used.
  useEffect(() => {
    const offAuth = client.onAuthenticated((payload: AuthPayload) => {
      setState({ status: 'authenticated', me: payload.me });
      const locale = signInLocale(localeChoice(), payload.me.user.locale);
      if (locale) applyLocale(locale);
    });
    const offExpired = client.onSessionExpired(() => {
      setState({ status: 'anonymous', expired: !loggingOut.current });
    });
    return () => {
      offAuth();
      offExpired();
    };
  }, [client, localeChoice, applyLocale]);

  // Page load with a stored refresh token: refresh to restore the session.
  // (client.refresh() is single-flight, so a double-invoked effect still sends one request.)
  useEffect(() => {
    if (!client.hasRefreshToken()) return;
    let cancelled = false;
    setState((s) => (s.status === 'authenticated' ? s : { status: 'restoring' }));
    client.refresh().catch((error: unknown) => {
      if (cancelled) return;
      const err = toApiError(error);
      if (client.hasRefreshToken()) {
        // Not a definitive rejection (network, server error): keep the token, offer a retry.
        setState({ status: 'restoreFailed', error: err });
      } else {
        setState({ status: 'anonymous', expired: false });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [client, restoreAttempt]);

  // Logging out in another tab removes the shared refresh token: follow it here.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === REFRESH_TOKEN_STORAGE_KEY && event.newValue === null) {
        client.forget();
        setState({ status: 'anonymous', expired: false });
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [client]);

  const startSession = useCallback(
    (payload: AuthPayload): Me => {
      client.setSession(payload);
      return payload.me;
    },
    [client],
  );

  const login = useCallback(
    async (input: LoginInput) => startSession((await client.request(LoginDocument, { input }, { auth: false })).login),
    [client, startSession],
  );

  const signUp = useCallback(
    async (input: SignUpInput) => startSession((await client.request(SignUpDocument, { input }, { auth: false })).signUp),
    [client, startSession],
  );

  const acceptInvitation = useCallback(
    async (input: AcceptInvitationInput) => {
      const data = await client.request(AcceptInvitationDocument, { input }, { auth: false });
      // Someone else was signed in in this browser: end that session first.
      if (client.hasRefreshToken()) await client.logout();
      return startSession(data.acceptInvitation);
    },
    [client, startSession],
  );

  const logout = useCallback(async () => {
    loggingOut.current = true;
    try {
      await client.logout();
    } finally {
      loggingOut.current = false;
      setState({ status: 'anonymous', expired: false });
    }
  }, [client]);

  const reloadMe = useCallback(async () => {
    const data = await client.request(MeDocument, {});
    setState({ status: 'authenticated', me: data.me });
  }, [client]);

  const switchTenant = useCallback(async (tenantId: string) => (await switchTenantOp(client, tenantId)).me, [client]);

  const updateMyProfile = useCallback(
    async (input: UpdateMyProfileInput) => {
      const user = await updateMyProfileOp(client, input);
      setState((s) => (s.status === 'authenticated' && s.me.user.id === user.id ? { ...s, me: { ...s.me, user } } : s));
      return user;
    },
    [client],
  );

  const changePassword = useCallback(async (input: ChangePasswordInput) => (await changePasswordOp(client, input)).me, [client]);

  const retryRestore = useCallback(() => setRestoreAttempt((n) => n + 1), []);

  const value = useMemo<SessionValue>(
    () => ({
      state,
      client,
      login,
      signUp,
      acceptInvitation,
      logout,
      reloadMe,
      switchTenant,
      updateMyProfile,
      changePassword,
      retryRestore,
    }),
    [state, client, login, signUp, acceptInvitation, logout, reloadMe, switchTenant, updateMyProfile, changePassword, retryRestore],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in user; only for components rendered inside the authenticated layout. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'authenticated') throw new Error('useMe used without a session');
  return state.me;
}
