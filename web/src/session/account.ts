import type { AuthPayload, GraphQLClient } from '../api/client';
import { ChangePasswordDocument, SwitchTenantDocument, UpdateMyProfileDocument } from '../api/operations';
import type { ChangePasswordInput, Locale as ApiLocale, UpdateMyProfileInput, UpdateMyProfileMutation } from '../gql/graphql';
import type { Locale } from '../i18n/types';

// The signed-in person's own account: switching business, profile, password.
// Plain functions over the client so the token handling is unit-tested without React.

export type ProfileUser = UpdateMyProfileMutation['updateMyProfile'];

/**
 * Starts a session in another business of the signed-in person. The new tokens are stored
 * exactly like after a login (listeners get the new `me`); the previous session is ended.
 * On failure (NOT_FOUND: not staff there any more) the current session stays untouched.
 */
export async function switchTenant(client: GraphQLClient, tenantId: string): Promise<AuthPayload> {
  const data = await client.request(SwitchTenantDocument, { tenantId });
  await client.replaceSession(data.switchTenant);
  return data.switchTenant;
}

/**
 * Changes the password. The server ends every other session of the person (the old refresh
 * token stops working) and answers with a fresh session, which is stored here.
 */
export async function changePassword(client: GraphQLClient, input: ChangePasswordInput): Promise<AuthPayload> {
  const data = await client.request(ChangePasswordDocument, { input });
  client.setSession(data.changePassword);
  return data.changePassword;
}

export async function updateMyProfile(client: GraphQLClient, input: UpdateMyProfileInput): Promise<ProfileUser> {
  const data = await client.request(UpdateMyProfileDocument, { input });
  return data.updateMyProfile;
}

/** The API's `Locale` enum ↔ the UI language. */
export function uiLocale(locale: ApiLocale): Locale {
  return locale === 'EN' ? 'en' : 'ru';
}

export function apiLocale(locale: Locale): ApiLocale {
  return locale === 'en' ? 'EN' : 'RU';
}

/**
 * The UI language to use when someone signs in: their saved preference (`me.user.locale`),
 * but only if nobody chose a language in this browser (an explicit choice wins).
 * Returns null when the current language should stay.
 */
export function signInLocale(storedChoice: Locale | null, userLocale: ApiLocale | null | undefined): Locale | null {
  if (storedChoice !== null || !userLocale) return null;
  return uiLocale(userLocale);
}
