/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Completing an invitation. */
export type AcceptInvitationInput = {
  /** The new member's name (ignored for an existing account). */
  displayName: string;
  /** A new password, or the existing account's password. */
  password: string;
  /** The token from the invitation link. */
  token: string;
};

/** A birthday bonus. */
export type BirthdayRuleInput = {
  /** Days after the birthday the window stays open (0–30). */
  daysAfter: number;
  /** Days before the birthday the window opens (0–30). */
  daysBefore: number;
  /** Points granted once a year. */
  points: number;
};

/** A password change. */
export type ChangePasswordInput = {
  /** The current password. */
  currentPassword: string;
  /** The new password (10+ characters). */
  newPassword: string;
};

/** A new guest. */
export type CreateGuestInput = {
  /** Birthday. */
  birthday?: string | null | undefined;
  /** E-mail. */
  email?: string | null | undefined;
  /** Agreed to marketing messages. */
  marketingConsent?: boolean;
  /** Name. */
  name?: string | null | undefined;
  /** Phone (any common format). */
  phone: string;
  /** The card code of the guest who invited this one (referral promotions). */
  referralCode?: string | null | undefined;
  /** Tags. */
  tags?: Array<string>;
};

/** A new integration. */
export type CreateIntegrationInput = {
  /** Kind. */
  kind: IntegrationKind;
  /** Its location. */
  locationId: string;
  /** Name for people. */
  name: string;
};

/** A new location. */
export type CreateLocationInput = {
  /** Street address. */
  address?: string | null | undefined;
  /** Name, unique in the business. */
  name: string;
  /** IANA time zone. */
  timezone?: string;
};

/** A new endpoint. */
export type CreateWebhookEndpointInput = {
  /** What it is for. */
  description?: string | null | undefined;
  /** Event types to receive (see `webhookEventTypes`). */
  eventTypes: Array<string>;
  /** Where to POST events (`https://…`; private addresses are refused). */
  url: string;
};

/** ISO 4217 currency. */
export type Currency =
  /** Kazakhstani tenge. */
  | 'KZT'
  /** Russian rouble. */
  | 'RUB';

/** Kinds of ledger entries. */
export type EntryKind =
  /** Earned on a check. */
  | 'ACCRUAL'
  /** A manual correction. */
  | 'ADJUSTMENT'
  /** Expired. */
  | 'EXPIRY'
  /** Reserved (balance unchanged). */
  | 'HOLD'
  /** A hold turned into a redemption. */
  | 'HOLD_CAPTURE'
  /** A hold released. */
  | 'HOLD_VOID'
  /** Granted by a promotion. */
  | 'PROMOTION_BONUS'
  /** Spent on a check. */
  | 'REDEMPTION'
  /** Undoing an earlier entry. */
  | 'REVERSAL';

/** What became of a rule's points. */
export type GrantStatus =
  /** Already granted before: nothing now. */
  | 'ALREADY_GRANTED'
  /** The promotion's budget is exhausted: nothing granted. */
  | 'BUDGET_EXHAUSTED'
  /** Granted. */
  | 'GRANTED'
  /** The promotion stopped meanwhile: nothing granted. */
  | 'INACTIVE';

/** How a guest is named: exactly one of these. */
export type GuestRefInput =
  {   /** By card code (`XXXX-XXXX`, case and dashes ignored). */
  cardCode: string; id?: never; phone?: never; qr?: never; }
  |  { cardCode?: never;   /** By id. */
  id: string; phone?: never; qr?: never; }
  |  { cardCode?: never; id?: never;   /** By phone (any common format; +7 assumed for 10 digits). */
  phone: string; qr?: never; }
  |  { cardCode?: never; id?: never; phone?: never;   /** By the payload of the guest's QR code. */
  qr: string; };

/** Hours of the day, `[from, to)` in the business's time; `from > to` spans midnight. */
export type HourRangeInput = {
  /** First hour (0–23). */
  from: number;
  /** Hour it stops (1–24). */
  to: number;
};

/** Where an inbound event stands. */
export type InboundEventStatus =
  /** The same external id came with another payload. */
  | 'CONFLICT'
  /** Failed: reprocess it once fixed. */
  | 'FAILED'
  /** Nothing to do (see the error). */
  | 'IGNORED'
  /** Stored, waiting for the worker. */
  | 'PENDING'
  /** Done. */
  | 'PROCESSED'
  /** Refused at the door (signature, body, disabled). */
  | 'REJECTED';

/** What talks to an integration's endpoint. */
export type IntegrationKind =
  /** iikoCloud webhooks. */
  | 'IIKO'
  /** Any POS in our canonical signed format (`docs/POS_WEBHOOK.md`). */
  | 'POS'
  /** The r_keeper FarCards relay. */
  | 'RKEEPER';

/** Where an invitation stands. */
export type InvitationStatus =
  /** Used to join. */
  | 'ACCEPTED'
  /** Not used in time. */
  | 'EXPIRED'
  /** Sent, not yet used. */
  | 'PENDING'
  /** Withdrawn or replaced. */
  | 'REVOKED';

/** Inviting a staff member. */
export type InviteStaffInput = {
  /** Their e-mail. */
  email: string;
  /** Their role. */
  role: Role;
};

/** Which due jobs a worker takes first. */
export type JobPriority =
  /** Someone waits for it now (a POS check's points): runs before normal jobs. */
  | 'INTERACTIVE'
  /** Fan-out, deliveries, notifications, scheduled tasks. */
  | 'NORMAL';

/** Where a job stands. */
export type JobStatus =
  /** Failed for good: re-drive it once the cause is fixed. */
  | 'DEAD'
  /** Finished. */
  | 'DONE'
  /** Waiting to run (or to be retried). */
  | 'QUEUED'
  /** Held by a worker. */
  | 'RUNNING';

/** A level's values. */
export type LevelInput = {
  /** Cashback, basis points. */
  cashbackBp: number;
  /** Largest share of a check payable by points, basis points. */
  maxRedeemBp: number;
  /** Name. */
  name: string;
  /** Spend from which it applies, minor units. */
  thresholdMinor: number;
};

/** Interface language. */
export type Locale =
  /** English. */
  | 'EN'
  /** Russian. */
  | 'RU';

/** E-mail and password. */
export type LoginInput = {
  /** Login e-mail. */
  email: string;
  /** Password. */
  password: string;
  /** The business to sign in to (default: the most recently joined one). */
  tenantId?: string | null | undefined;
};

/** Loyalty settings. */
export type LoyaltySettingsInput = {
  /** Days after which points expire; null = never. */
  expiryDays?: number | null | undefined;
  /** Seconds an unresolved hold lives. */
  holdTtlSeconds: number;
  /** What one point is worth when redeemed, minor units. */
  pointValueMinor: number;
  /** Which spend decides levels. */
  spendBasis: SpendBasis;
  /**
   * The business's offset from UTC in minutes (promotion hours and birthdays);
   * omitted = unchanged.
   */
  utcOffsetMinutes?: number | null | undefined;
};

/** A cashback multiplier. */
export type MultiplierRuleInput = {
  /** The factor in percent: 200 = ×2, 150 = ×1.5 (101–1000). */
  factorPercent: number;
  /** Hours it applies in; null = all day. */
  hours?: HourRangeInput | null | undefined;
  /** Locations it applies at; empty = all. */
  locationIds?: Array<string>;
  /** Weekdays it applies on; empty = every day. */
  weekdays?: Array<Weekday>;
};

/** What a notification is about. */
export type NotificationKind =
  /** Staff: a guest reached a higher level. */
  | 'GUEST_LEVEL_UP'
  /** Staff: a POS event could not be processed. */
  | 'INTEGRATION_EVENT_FAILED'
  /** Guest: their level changed. */
  | 'LEVEL_CHANGED'
  /** Guest: a check earned points. */
  | 'POINTS_EARNED'
  /** Guest: a promotion (welcome, birthday, referral) credited points. */
  | 'PROMOTION_GRANTED';

/** Channels to change (omitted ones stay). */
export type NotificationPreferencesInput = {
  /** E-mail. */
  email?: boolean | null | undefined;
  /** The notification centre and live toasts. */
  inApp?: boolean | null | undefined;
  /** Telegram (guests only). */
  telegram?: boolean | null | undefined;
};

/** A check to process. */
export type ProcessCheckInput = {
  /** The check's id at its source: the same id is processed once. */
  externalId: string;
  /** Whose. */
  guest: GuestRefInput;
  /** Or: a hold to capture (from `holdPoints`). */
  holdId?: string | null | undefined;
  /** Where. */
  locationId: string;
  /** Points to pay with now (capped by the level's share and the available points). */
  redeemPoints?: number | null | undefined;
  /** Total, minor units (kopecks, tiyn). */
  totalMinor: number;
};

/** A promotion's values. */
export type PromotionInput = {
  /** Most points it may grant in all; null = no cap. */
  budget?: number | null | undefined;
  /** Last day it applies; null = open-ended. */
  endsOn?: string | null | undefined;
  /** Name shown to staff and guests. */
  name: string;
  /** What it does (the kind cannot change later). */
  rule: PromotionRuleInput;
  /** First day it applies (business time); null = from now. */
  startsOn?: string | null | undefined;
};

/** Kinds of promotions. */
export type PromotionKind =
  /** Points once a year around the birthday. */
  | 'BIRTHDAY'
  /** ×N cashback on chosen weekdays, hours and locations. */
  | 'MULTIPLIER'
  /** Points for both sides after the invited guest's first check. */
  | 'REFERRAL'
  /** Points on registration. */
  | 'WELCOME';

/** What a promotion does: exactly one kind. */
export type PromotionRuleInput =
  {   /** Birthday bonus. */
  birthday: BirthdayRuleInput; multiplier?: never; referral?: never; welcome?: never; }
  |  { birthday?: never;   /** Multiplier. */
  multiplier: MultiplierRuleInput; referral?: never; welcome?: never; }
  |  { birthday?: never; multiplier?: never;   /** Referral bonus. */
  referral: ReferralRuleInput; welcome?: never; }
  |  { birthday?: never; multiplier?: never; referral?: never;   /** Welcome bonus. */
  welcome: WelcomeRuleInput; };

/** A referral bonus. */
export type ReferralRuleInput = {
  /** Points for the invited guest. */
  refereePoints: number;
  /** Points for the guest who invited. */
  referrerPoints: number;
};

/** A staff role within a business. */
export type Role =
  /** Day-to-day management; cannot touch owners. */
  | 'ADMIN'
  /** Finds guests and processes checks. */
  | 'CASHIER'
  /** Guests, adjustments, orders, inventory. */
  | 'MANAGER'
  /** Everything, including roles and billing. */
  | 'OWNER';

/** A new business and its owner. */
export type SignUpInput = {
  /** The business's name. */
  businessName: string;
  /** The business's currency. */
  currency?: Currency;
  /** The owner's name. */
  displayName: string;
  /** The owner's e-mail (their login). */
  email: string;
  /** The owner's language. */
  locale?: Locale;
  /** Its first location's name. */
  locationName: string;
  /** The owner's password (10+ characters). */
  password: string;
};

/** Which spend decides levels. */
export type SpendBasis =
  /** Everything ever paid. */
  | 'LIFETIME'
  /** The last 365 days. */
  | 'ROLLING_365';

/** Changes to a guest: omitted fields stay, `null` clears. */
export type UpdateGuestInput = {
  /** Birthday. */
  birthday?: string | null | undefined;
  /** E-mail. */
  email?: string | null | undefined;
  /** Marketing consent. */
  marketingConsent?: boolean | null | undefined;
  /** Name. */
  name?: string | null | undefined;
  /** Phone. */
  phone?: string | null | undefined;
  /** Tags. */
  tags?: Array<string> | null | undefined;
};

/** What a guest may change about themselves. */
export type UpdateMyGuestProfileInput = {
  /** Birthday. */
  birthday?: string | null | undefined;
  /** Agreed to marketing messages. */
  marketingConsent?: boolean | null | undefined;
  /** Name. */
  name?: string | null | undefined;
};

/** Changes to one's own profile (omitted fields stay as they are). */
export type UpdateMyProfileInput = {
  /** Name shown to colleagues. */
  displayName?: string | null | undefined;
  /** Interface language. */
  locale?: Locale | null | undefined;
};

/** Where a delivery stands. */
export type WebhookDeliveryStatus =
  /** Not sent: the endpoint was disabled meanwhile. */
  | 'CANCELLED'
  /** Given up (schedule used up, 410, or the endpoint was disabled for failing). */
  | 'FAILED'
  /** Waiting for its first attempt or a retry. */
  | 'PENDING'
  /** The endpoint answered 2xx. */
  | 'SUCCEEDED';

/** Days of the week. */
export type Weekday =
  /** Friday. */
  | 'FRI'
  /** Monday. */
  | 'MON'
  /** Saturday. */
  | 'SAT'
  /** Sunday. */
  | 'SUN'
  /** Thursday. */
  | 'THU'
  /** Tuesday. */
  | 'TUE'
  /** Wednesday. */
  | 'WED';

/** A welcome bonus. */
export type WelcomeRuleInput = {
  /** Points granted on registration. */
  points: number;
};

export type MeFieldsFragment = { role: Role, permissions: Array<string>, user: { id: string, email: string, displayName: string, locale: Locale }, tenant: { id: string, name: string, currency: Currency, createdAt: string } };

export type AuthFieldsFragment = { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, refreshTokenExpiresAt: string, me: { role: Role, permissions: Array<string>, user: { id: string, email: string, displayName: string, locale: Locale }, tenant: { id: string, name: string, currency: Currency, createdAt: string } } };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, refreshTokenExpiresAt: string, me: { role: Role, permissions: Array<string>, user: { id: string, email: string, displayName: string, locale: Locale }, tenant: { id: string, name: string, currency: Currency, createdAt: string } } } };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, refreshTokenExpiresAt: string, me: { role: Role, permissions: Array<string>, user: { id: string, email: string, displayName: string, locale: Locale }, tenant: { id: string, name: string, currency: Currency, createdAt: string } } } };

export type RefreshSessionMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshSessionMutation = { refreshSession: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, refreshTokenExpiresAt: string, me: { role: Role, permissions: Array<string>, user: { id: string, email: string, displayName: string, locale: Locale }, tenant: { id: string, name: string, currency: Currency, createdAt: string } } } };

export type LogoutMutationVariables = Exact<{
  refreshToken: string;
}>;


export type LogoutMutation = { logout: boolean };

export type InvitationPreviewQueryVariables = Exact<{
  token: string;
}>;


export type InvitationPreviewQuery = { invitationPreview: { email: string, role: Role, tenantName: string, expiresAt: string } };

export type AcceptInvitationMutationVariables = Exact<{
  input: AcceptInvitationInput;
}>;


export type AcceptInvitationMutation = { acceptInvitation: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, refreshTokenExpiresAt: string, me: { role: Role, permissions: Array<string>, user: { id: string, email: string, displayName: string, locale: Locale }, tenant: { id: string, name: string, currency: Currency, createdAt: string } } } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { role: Role, permissions: Array<string>, user: { id: string, email: string, displayName: string, locale: Locale }, tenant: { id: string, name: string, currency: Currency, createdAt: string } } };

export type MyTenantsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyTenantsQuery = { myTenants: Array<{ role: Role, current: boolean, tenant: { id: string, name: string, currency: Currency } }> };

export type SwitchTenantMutationVariables = Exact<{
  tenantId: string;
}>;


export type SwitchTenantMutation = { switchTenant: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, refreshTokenExpiresAt: string, me: { role: Role, permissions: Array<string>, user: { id: string, email: string, displayName: string, locale: Locale }, tenant: { id: string, name: string, currency: Currency, createdAt: string } } } };

export type UpdateMyProfileMutationVariables = Exact<{
  input: UpdateMyProfileInput;
}>;


export type UpdateMyProfileMutation = { updateMyProfile: { id: string, email: string, displayName: string, locale: Locale } };

export type ChangePasswordMutationVariables = Exact<{
  input: ChangePasswordInput;
}>;


export type ChangePasswordMutation = { changePassword: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, refreshTokenExpiresAt: string, me: { role: Role, permissions: Array<string>, user: { id: string, email: string, displayName: string, locale: Locale }, tenant: { id: string, name: string, currency: Currency, createdAt: string } } } };

export type StaffQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type StaffQuery = { staff: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, email: string, displayName: string, role: Role, active: boolean, joinedAt: string }> } };

export type InvitationsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type InvitationsQuery = { invitations: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null, hasPreviousPage: boolean, startCursor: string | null }, nodes: Array<{ id: string, email: string, role: Role, status: InvitationStatus, expiresAt: string, createdAt: string }> } };

export type InviteStaffMutationVariables = Exact<{
  input: InviteStaffInput;
}>;


export type InviteStaffMutation = { inviteStaff: { id: string, email: string, role: Role, status: InvitationStatus, expiresAt: string, createdAt: string } };

export type RevokeInvitationMutationVariables = Exact<{
  id: string;
}>;


export type RevokeInvitationMutation = { revokeInvitation: { id: string, email: string, role: Role, status: InvitationStatus, expiresAt: string, createdAt: string } };

export type ChangeStaffRoleMutationVariables = Exact<{
  id: string;
  role: Role;
}>;


export type ChangeStaffRoleMutation = { changeStaffRole: { id: string, email: string, displayName: string, role: Role, active: boolean, joinedAt: string } };

export type DeactivateStaffMutationVariables = Exact<{
  id: string;
}>;


export type DeactivateStaffMutation = { deactivateStaff: { id: string, email: string, displayName: string, role: Role, active: boolean, joinedAt: string } };

export type ReactivateStaffMutationVariables = Exact<{
  id: string;
}>;


export type ReactivateStaffMutation = { reactivateStaff: { id: string, email: string, displayName: string, role: Role, active: boolean, joinedAt: string } };

export type LocationsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type LocationsQuery = { locations: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, address: string | null, timezone: string, createdAt: string }> } };

export type CreateLocationMutationVariables = Exact<{
  input: CreateLocationInput;
}>;


export type CreateLocationMutation = { createLocation: { id: string, name: string, address: string | null, timezone: string, createdAt: string } };

export type RenameLocationMutationVariables = Exact<{
  id: string;
  name: string;
}>;


export type RenameLocationMutation = { renameLocation: { id: string, name: string, address: string | null, timezone: string, createdAt: string } };

export type RolePermissionsQueryVariables = Exact<{ [key: string]: never; }>;


export type RolePermissionsQuery = { permissionCatalog: Array<{ key: string, description: string }>, rolePermissions: Array<{ role: Role, permissions: Array<string>, editable: boolean }> };

export type SetRolePermissionsMutationVariables = Exact<{
  role: Role;
  permissions: Array<string> | string;
}>;


export type SetRolePermissionsMutation = { setRolePermissions: { role: Role, permissions: Array<string>, editable: boolean } };

export type AuditLogQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  action?: string | null | undefined;
}>;


export type AuditLogQuery = { auditLog: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null, hasPreviousPage: boolean, startCursor: string | null }, nodes: Array<{ id: string, at: string, actorId: string | null, actorEmail: string | null, action: string, targetType: string, targetId: string | null, ip: string | null, details: string }> } };

export type GuestCardFragment = { id: string, name: string | null, phone: string | null, email: string | null, birthday: string | null, marketingConsent: boolean, tags: Array<string>, cardCode: string, qrPayload: string, lifetimeSpendMinor: number, createdAt: string, account: { guestId: string, balance: number, available: number, held: number }, level: { id: string, name: string, thresholdMinor: number, cashbackBp: number, maxRedeemBp: number } | null, progress: { spendMinor: number, missingMinor: number | null, next: { id: string, name: string, thresholdMinor: number } | null } };

export type GuestsQueryVariables = Exact<{
  query?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type GuestsQuery = { guests: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string | null, phone: string | null, cardCode: string, createdAt: string, lastVisitAt: string | null, account: { guestId: string, balance: number, available: number }, level: { id: string, name: string } | null }> } };

export type GuestQueryVariables = Exact<{
  id: string;
}>;


export type GuestQuery = { guest: { id: string, name: string | null, phone: string | null, email: string | null, birthday: string | null, marketingConsent: boolean, tags: Array<string>, cardCode: string, qrPayload: string, lifetimeSpendMinor: number, createdAt: string, account: { guestId: string, balance: number, available: number, held: number }, level: { id: string, name: string, thresholdMinor: number, cashbackBp: number, maxRedeemBp: number } | null, progress: { spendMinor: number, missingMinor: number | null, next: { id: string, name: string, thresholdMinor: number } | null } } };

export type GuestMaxRedeemableQueryVariables = Exact<{
  id: string;
  totalMinor: number;
}>;


export type GuestMaxRedeemableQuery = { guest: { id: string, maxRedeemable: number, account: { guestId: string, balance: number, available: number, held: number } } };

export type GuestLedgerQueryVariables = Exact<{
  id: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type GuestLedgerQuery = { guest: { id: string, ledger: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null, hasPreviousPage: boolean, startCursor: string | null }, nodes: Array<{ id: string, kind: EntryKind, amount: number, heldDelta: number, balanceAfter: number, checkId: string | null, holdId: string | null, reason: string | null, actorId: string | null, createdAt: string }> } } };

export type CreateGuestMutationVariables = Exact<{
  input: CreateGuestInput;
}>;


export type CreateGuestMutation = { createGuest: { id: string, name: string | null, phone: string | null, email: string | null, birthday: string | null, marketingConsent: boolean, tags: Array<string>, cardCode: string, qrPayload: string, lifetimeSpendMinor: number, createdAt: string, account: { guestId: string, balance: number, available: number, held: number }, level: { id: string, name: string, thresholdMinor: number, cashbackBp: number, maxRedeemBp: number } | null, progress: { spendMinor: number, missingMinor: number | null, next: { id: string, name: string, thresholdMinor: number } | null } } };

export type UpdateGuestMutationVariables = Exact<{
  id: string;
  input: UpdateGuestInput;
}>;


export type UpdateGuestMutation = { updateGuest: { id: string, name: string | null, phone: string | null, email: string | null, birthday: string | null, marketingConsent: boolean, tags: Array<string>, cardCode: string, qrPayload: string, lifetimeSpendMinor: number, createdAt: string, account: { guestId: string, balance: number, available: number, held: number }, level: { id: string, name: string, thresholdMinor: number, cashbackBp: number, maxRedeemBp: number } | null, progress: { spendMinor: number, missingMinor: number | null, next: { id: string, name: string, thresholdMinor: number } | null } } };

export type AdjustPointsMutationVariables = Exact<{
  guestId: string;
  points: number;
  reason: string;
  idempotencyKey?: string | null | undefined;
}>;


export type AdjustPointsMutation = { adjustPoints: { guestId: string, balance: number, available: number, held: number } };

export type ReceiptFieldsFragment = { checkId: string, guestId: string, locationId: string, externalId: string, totalMinor: number, currency: Currency, redeemed: number, redeemedValueMinor: number, earned: number, balance: number, available: number, processedAt: string, rules: Array<{ code: string, description: string, points: number, promotionId: string | null, status: GrantStatus }>, levelBefore: { id: string, name: string } | null, levelAfter: { id: string, name: string } | null };

export type ProcessCheckMutationVariables = Exact<{
  input: ProcessCheckInput;
}>;


export type ProcessCheckMutation = { processCheck: { checkId: string, guestId: string, locationId: string, externalId: string, totalMinor: number, currency: Currency, redeemed: number, redeemedValueMinor: number, earned: number, balance: number, available: number, processedAt: string, rules: Array<{ code: string, description: string, points: number, promotionId: string | null, status: GrantStatus }>, levelBefore: { id: string, name: string } | null, levelAfter: { id: string, name: string } | null } };

export type LevelFieldsFragment = { id: string, name: string, thresholdMinor: number, cashbackBp: number, maxRedeemBp: number };

export type LevelsQueryVariables = Exact<{ [key: string]: never; }>;


export type LevelsQuery = { levels: Array<{ id: string, name: string, thresholdMinor: number, cashbackBp: number, maxRedeemBp: number }> };

export type CreateLevelMutationVariables = Exact<{
  input: LevelInput;
}>;


export type CreateLevelMutation = { createLevel: Array<{ id: string, name: string, thresholdMinor: number, cashbackBp: number, maxRedeemBp: number }> };

export type UpdateLevelMutationVariables = Exact<{
  id: string;
  input: LevelInput;
}>;


export type UpdateLevelMutation = { updateLevel: Array<{ id: string, name: string, thresholdMinor: number, cashbackBp: number, maxRedeemBp: number }> };

export type DeleteLevelMutationVariables = Exact<{
  id: string;
}>;


export type DeleteLevelMutation = { deleteLevel: Array<{ id: string, name: string, thresholdMinor: number, cashbackBp: number, maxRedeemBp: number }> };

export type LoyaltySettingsQueryVariables = Exact<{ [key: string]: never; }>;


export type LoyaltySettingsQuery = { loyaltySettings: { expiryDays: number | null, spendBasis: SpendBasis, pointValueMinor: number, holdTtlSeconds: number, utcOffsetMinutes: number } };

export type UpdateLoyaltySettingsMutationVariables = Exact<{
  input: LoyaltySettingsInput;
}>;


export type UpdateLoyaltySettingsMutation = { updateLoyaltySettings: { expiryDays: number | null, spendBasis: SpendBasis, pointValueMinor: number, holdTtlSeconds: number, utcOffsetMinutes: number } };

type PromotionRuleFields_BirthdayRule_Fragment = { __typename: 'BirthdayRule', points: number, daysBefore: number, daysAfter: number };

type PromotionRuleFields_MultiplierRule_Fragment = { __typename: 'MultiplierRule', factorPercent: number, weekdays: Array<Weekday>, locationIds: Array<string>, hours: { from: number, to: number } | null };

type PromotionRuleFields_ReferralRule_Fragment = { __typename: 'ReferralRule', referrerPoints: number, refereePoints: number };

type PromotionRuleFields_WelcomeRule_Fragment = { __typename: 'WelcomeRule', points: number };

export type PromotionRuleFieldsFragment =
  | PromotionRuleFields_BirthdayRule_Fragment
  | PromotionRuleFields_MultiplierRule_Fragment
  | PromotionRuleFields_ReferralRule_Fragment
  | PromotionRuleFields_WelcomeRule_Fragment
;

export type PromotionFieldsFragment = { id: string, name: string, kind: PromotionKind, startsOn: string | null, endsOn: string | null, budget: number | null, budgetExhaustedAt: string | null, archived: boolean, createdAt: string, granted: number, remainingBudget: number | null, rule:
    | { __typename: 'BirthdayRule', points: number, daysBefore: number, daysAfter: number }
    | { __typename: 'MultiplierRule', factorPercent: number, weekdays: Array<Weekday>, locationIds: Array<string>, hours: { from: number, to: number } | null }
    | { __typename: 'ReferralRule', referrerPoints: number, refereePoints: number }
    | { __typename: 'WelcomeRule', points: number }
   };

export type PromotionsQueryVariables = Exact<{
  includeArchived: boolean;
}>;


export type PromotionsQuery = { promotions: Array<{ id: string, name: string, kind: PromotionKind, startsOn: string | null, endsOn: string | null, budget: number | null, budgetExhaustedAt: string | null, archived: boolean, createdAt: string, granted: number, remainingBudget: number | null, rule:
      | { __typename: 'BirthdayRule', points: number, daysBefore: number, daysAfter: number }
      | { __typename: 'MultiplierRule', factorPercent: number, weekdays: Array<Weekday>, locationIds: Array<string>, hours: { from: number, to: number } | null }
      | { __typename: 'ReferralRule', referrerPoints: number, refereePoints: number }
      | { __typename: 'WelcomeRule', points: number }
     }> };

export type CreatePromotionMutationVariables = Exact<{
  input: PromotionInput;
}>;


export type CreatePromotionMutation = { createPromotion: { id: string, name: string, kind: PromotionKind, startsOn: string | null, endsOn: string | null, budget: number | null, budgetExhaustedAt: string | null, archived: boolean, createdAt: string, granted: number, remainingBudget: number | null, rule:
      | { __typename: 'BirthdayRule', points: number, daysBefore: number, daysAfter: number }
      | { __typename: 'MultiplierRule', factorPercent: number, weekdays: Array<Weekday>, locationIds: Array<string>, hours: { from: number, to: number } | null }
      | { __typename: 'ReferralRule', referrerPoints: number, refereePoints: number }
      | { __typename: 'WelcomeRule', points: number }
     } };

export type UpdatePromotionMutationVariables = Exact<{
  id: string;
  input: PromotionInput;
}>;


export type UpdatePromotionMutation = { updatePromotion: { id: string, name: string, kind: PromotionKind, startsOn: string | null, endsOn: string | null, budget: number | null, budgetExhaustedAt: string | null, archived: boolean, createdAt: string, granted: number, remainingBudget: number | null, rule:
      | { __typename: 'BirthdayRule', points: number, daysBefore: number, daysAfter: number }
      | { __typename: 'MultiplierRule', factorPercent: number, weekdays: Array<Weekday>, locationIds: Array<string>, hours: { from: number, to: number } | null }
      | { __typename: 'ReferralRule', referrerPoints: number, refereePoints: number }
      | { __typename: 'WelcomeRule', points: number }
     } };

export type ArchivePromotionMutationVariables = Exact<{
  id: string;
}>;


export type ArchivePromotionMutation = { archivePromotion: { id: string, name: string, kind: PromotionKind, startsOn: string | null, endsOn: string | null, budget: number | null, budgetExhaustedAt: string | null, archived: boolean, createdAt: string, granted: number, remainingBudget: number | null, rule:
      | { __typename: 'BirthdayRule', points: number, daysBefore: number, daysAfter: number }
      | { __typename: 'MultiplierRule', factorPercent: number, weekdays: Array<Weekday>, locationIds: Array<string>, hours: { from: number, to: number } | null }
      | { __typename: 'ReferralRule', referrerPoints: number, refereePoints: number }
      | { __typename: 'WelcomeRule', points: number }
     } };

export type GuestNameQueryVariables = Exact<{
  id: string;
}>;


export type GuestNameQuery = { guest: { id: string, name: string | null, phone: string | null } };

export type CheckProcessedSubscriptionVariables = Exact<{
  locationId: string;
}>;


export type CheckProcessedSubscription = { checkProcessed: { checkId: string, guestId: string, locationId: string, externalId: string, totalMinor: number, currency: Currency, redeemed: number, redeemedValueMinor: number, earned: number, balance: number, available: number, processedAt: string, rules: Array<{ code: string, description: string, points: number, promotionId: string | null, status: GrantStatus }>, levelBefore: { id: string, name: string } | null, levelAfter: { id: string, name: string } | null } };

export type GuestUpdatedSubscriptionVariables = Exact<{
  guestId: string;
}>;


export type GuestUpdatedSubscription = { guestUpdated: { guestId: string, balance: number, held: number, available: number, levelId: string | null } };

export type GuestCountQueryVariables = Exact<{ [key: string]: never; }>;


export type GuestCountQuery = { guests: { totalCount: number } };

export type GuestSignInMutationVariables = Exact<{
  tenantId: string;
  initData: string;
}>;


export type GuestSignInMutation = { guestSignIn: { token: string, expiresAt: string, created: boolean } };

export type MyCardFieldsFragment = { missingMinor: number | null, spendMinor: number, progressPercent: number, guest: { id: string, name: string | null, phone: string | null, email: string | null, cardCode: string, qrPayload: string, birthday: string | null, marketingConsent: boolean }, account: { balance: number, held: number, available: number }, level: { id: string, name: string, cashbackBp: number } | null, nextLevel: { id: string, name: string, thresholdMinor: number } | null };

export type MyCardQueryVariables = Exact<{ [key: string]: never; }>;


export type MyCardQuery = { myCard: { missingMinor: number | null, spendMinor: number, progressPercent: number, guest: { id: string, name: string | null, phone: string | null, email: string | null, cardCode: string, qrPayload: string, birthday: string | null, marketingConsent: boolean }, account: { balance: number, held: number, available: number }, level: { id: string, name: string, cashbackBp: number } | null, nextLevel: { id: string, name: string, thresholdMinor: number } | null } };

export type MyLedgerQueryVariables = Exact<{
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type MyLedgerQuery = { myLedger: { nodes: Array<{ id: string, kind: EntryKind, amount: number, createdAt: string, reason: string | null }>, pageInfo: { hasPreviousPage: boolean, startCursor: string | null } } };

export type UpdateMyGuestProfileMutationVariables = Exact<{
  input: UpdateMyGuestProfileInput;
}>;


export type UpdateMyGuestProfileMutation = { updateMyGuestProfile: { missingMinor: number | null, spendMinor: number, progressPercent: number, guest: { id: string, name: string | null, phone: string | null, email: string | null, cardCode: string, qrPayload: string, birthday: string | null, marketingConsent: boolean }, account: { balance: number, held: number, available: number }, level: { id: string, name: string, cashbackBp: number } | null, nextLevel: { id: string, name: string, thresholdMinor: number } | null } };

export type MyCardUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type MyCardUpdatedSubscription = { myCardUpdated: { guestId: string, balance: number, held: number, available: number, levelId: string | null } };

export type MyPromotionsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyPromotionsQuery = { myPromotions: Array<{ id: string, name: string, kind: PromotionKind, startsOn: string | null, endsOn: string | null, windowStartsOn: string | null, windowEndsOn: string | null, granted: boolean, rule:
      | { __typename: 'BirthdayRule', points: number, daysBefore: number, daysAfter: number }
      | { __typename: 'MultiplierRule', factorPercent: number, weekdays: Array<Weekday>, locationIds: Array<string>, hours: { from: number, to: number } | null }
      | { __typename: 'ReferralRule', referrerPoints: number, refereePoints: number }
      | { __typename: 'WelcomeRule', points: number }
     }> };

export type IntegrationFieldsFragment = { id: string, kind: IntegrationKind, name: string, locationId: string, active: boolean, endpointUrl: string, secretRotatedAt: string, previousSecretValidUntil: string | null, createdAt: string, iikoApiLoginSet: boolean };

export type IntegrationsQueryVariables = Exact<{ [key: string]: never; }>;


export type IntegrationsQuery = { integrations: Array<{ id: string, kind: IntegrationKind, name: string, locationId: string, active: boolean, endpointUrl: string, secretRotatedAt: string, previousSecretValidUntil: string | null, createdAt: string, iikoApiLoginSet: boolean }> };

export type CreateIntegrationMutationVariables = Exact<{
  input: CreateIntegrationInput;
}>;


export type CreateIntegrationMutation = { createIntegration: { secret: string, integration: { id: string, kind: IntegrationKind, name: string, locationId: string, active: boolean, endpointUrl: string, secretRotatedAt: string, previousSecretValidUntil: string | null, createdAt: string, iikoApiLoginSet: boolean } } };

export type RotateIntegrationSecretMutationVariables = Exact<{
  id: string;
}>;


export type RotateIntegrationSecretMutation = { rotateIntegrationSecret: { secret: string, integration: { id: string, kind: IntegrationKind, name: string, locationId: string, active: boolean, endpointUrl: string, secretRotatedAt: string, previousSecretValidUntil: string | null, createdAt: string, iikoApiLoginSet: boolean } } };

export type SetIikoApiLoginMutationVariables = Exact<{
  id: string;
  apiLogin?: string | null | undefined;
}>;


export type SetIikoApiLoginMutation = { setIikoApiLogin: { id: string, kind: IntegrationKind, name: string, locationId: string, active: boolean, endpointUrl: string, secretRotatedAt: string, previousSecretValidUntil: string | null, createdAt: string, iikoApiLoginSet: boolean } };

export type DisableIntegrationMutationVariables = Exact<{
  id: string;
}>;


export type DisableIntegrationMutation = { disableIntegration: { id: string, kind: IntegrationKind, name: string, locationId: string, active: boolean, endpointUrl: string, secretRotatedAt: string, previousSecretValidUntil: string | null, createdAt: string, iikoApiLoginSet: boolean } };

export type EnableIntegrationMutationVariables = Exact<{
  id: string;
}>;


export type EnableIntegrationMutation = { enableIntegration: { id: string, kind: IntegrationKind, name: string, locationId: string, active: boolean, endpointUrl: string, secretRotatedAt: string, previousSecretValidUntil: string | null, createdAt: string, iikoApiLoginSet: boolean } };

export type InboundEventFieldsFragment = { id: string, kind: string, externalId: string | null, status: InboundEventStatus, error: string | null, checkId: string | null, payload: string, receivedAt: string, processedAt: string | null };

export type IntegrationEventsQueryVariables = Exact<{
  integrationId: string;
  statuses?: Array<InboundEventStatus> | InboundEventStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type IntegrationEventsQuery = { integrationEvents: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null, hasPreviousPage: boolean, startCursor: string | null }, nodes: Array<{ id: string, kind: string, externalId: string | null, status: InboundEventStatus, error: string | null, checkId: string | null, payload: string, receivedAt: string, processedAt: string | null }> } };

export type ReprocessIntegrationEventMutationVariables = Exact<{
  id: string;
}>;


export type ReprocessIntegrationEventMutation = { reprocessIntegrationEvent: { id: string, kind: string, externalId: string | null, status: InboundEventStatus, error: string | null, checkId: string | null, payload: string, receivedAt: string, processedAt: string | null } };

export type JobQueueStatsQueryVariables = Exact<{ [key: string]: never; }>;


export type JobQueueStatsQuery = { jobQueueStats: { queued: number, running: number, dead: number, oldestQueuedAgeSeconds: number | null } };

export type DeadJobsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type DeadJobsQuery = { deadJobs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null, hasPreviousPage: boolean, startCursor: string | null }, nodes: Array<{ id: string, kind: string, payload: unknown, status: JobStatus, priority: JobPriority, attempts: number, maxAttempts: number, lastError: string | null, runAt: string, createdAt: string, updatedAt: string }> } };

export type RedriveJobMutationVariables = Exact<{
  id: string;
}>;


export type RedriveJobMutation = { redriveJob: { id: string, kind: string, payload: unknown, status: JobStatus, priority: JobPriority, attempts: number, maxAttempts: number, lastError: string | null, runAt: string, createdAt: string, updatedAt: string } };

export type ApiKeyFieldsFragment = { id: string, name: string, prefix: string, scopes: Array<string>, createdBy: string | null, createdAt: string, lastUsedAt: string | null, revokedAt: string | null, active: boolean };

export type ApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysQuery = { apiKeys: Array<{ id: string, name: string, prefix: string, scopes: Array<string>, createdBy: string | null, createdAt: string, lastUsedAt: string | null, revokedAt: string | null, active: boolean }> };

export type CreateApiKeyMutationVariables = Exact<{
  name: string;
  scopes: Array<string> | string;
}>;


export type CreateApiKeyMutation = { createApiKey: { key: string, apiKey: { id: string, name: string, prefix: string, scopes: Array<string>, createdBy: string | null, createdAt: string, lastUsedAt: string | null, revokedAt: string | null, active: boolean } } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, name: string, prefix: string, scopes: Array<string>, createdBy: string | null, createdAt: string, lastUsedAt: string | null, revokedAt: string | null, active: boolean } };

export type WebhookEndpointFieldsFragment = { id: string, url: string, description: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason: string | null, disabledAt: string | null, failingSince: string | null, secretRotatedAt: string, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string };

export type WebhookEndpointsQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhookEndpointsQuery = { webhookEventTypes: Array<string>, webhookEndpoints: Array<{ id: string, url: string, description: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason: string | null, disabledAt: string | null, failingSince: string | null, secretRotatedAt: string, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string }> };

export type CreateWebhookEndpointMutationVariables = Exact<{
  input: CreateWebhookEndpointInput;
}>;


export type CreateWebhookEndpointMutation = { createWebhookEndpoint: { secret: string, endpoint: { id: string, url: string, description: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason: string | null, disabledAt: string | null, failingSince: string | null, secretRotatedAt: string, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string } } };

export type RotateWebhookSecretMutationVariables = Exact<{
  id: string;
}>;


export type RotateWebhookSecretMutation = { rotateWebhookSecret: { secret: string, endpoint: { id: string, url: string, description: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason: string | null, disabledAt: string | null, failingSince: string | null, secretRotatedAt: string, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string } } };

export type DisableWebhookEndpointMutationVariables = Exact<{
  id: string;
}>;


export type DisableWebhookEndpointMutation = { disableWebhookEndpoint: { id: string, url: string, description: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason: string | null, disabledAt: string | null, failingSince: string | null, secretRotatedAt: string, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string } };

export type EnableWebhookEndpointMutationVariables = Exact<{
  id: string;
}>;


export type EnableWebhookEndpointMutation = { enableWebhookEndpoint: { id: string, url: string, description: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason: string | null, disabledAt: string | null, failingSince: string | null, secretRotatedAt: string, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string } };

export type WebhookDeliveryFieldsFragment = { id: string, endpointId: string, eventId: string, eventType: string, status: WebhookDeliveryStatus, attemptCount: number, lastStatusCode: number | null, lastError: string | null, nextAttemptAt: string | null, createdAt: string, updatedAt: string, attempts: Array<{ number: number, attemptedAt: string, statusCode: number | null, latencyMs: number, responseExcerpt: string | null, error: string | null }> };

export type WebhookDeliveriesQueryVariables = Exact<{
  endpointId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type WebhookDeliveriesQuery = { webhookDeliveries: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null, hasPreviousPage: boolean, startCursor: string | null }, nodes: Array<{ id: string, endpointId: string, eventId: string, eventType: string, status: WebhookDeliveryStatus, attemptCount: number, lastStatusCode: number | null, lastError: string | null, nextAttemptAt: string | null, createdAt: string, updatedAt: string, attempts: Array<{ number: number, attemptedAt: string, statusCode: number | null, latencyMs: number, responseExcerpt: string | null, error: string | null }> }> } };

export type RedeliverWebhookMutationVariables = Exact<{
  deliveryId?: string | null | undefined;
}>;


export type RedeliverWebhookMutation = { redeliverWebhook: Array<{ id: string, endpointId: string, eventId: string, eventType: string, status: WebhookDeliveryStatus, attemptCount: number, lastStatusCode: number | null, lastError: string | null, nextAttemptAt: string | null, createdAt: string, updatedAt: string, attempts: Array<{ number: number, attemptedAt: string, statusCode: number | null, latencyMs: number, responseExcerpt: string | null, error: string | null }> }> };

export type SendTestWebhookMutationVariables = Exact<{
  endpointId: string;
}>;


export type SendTestWebhookMutation = { sendTestWebhook: { id: string, endpointId: string, eventId: string, eventType: string, status: WebhookDeliveryStatus, attemptCount: number, lastStatusCode: number | null, lastError: string | null, nextAttemptAt: string | null, createdAt: string, updatedAt: string, attempts: Array<{ number: number, attemptedAt: string, statusCode: number | null, latencyMs: number, responseExcerpt: string | null, error: string | null }> } };

export type LinkMyPhoneMutationVariables = Exact<{
  contactData: string;
}>;


export type LinkMyPhoneMutation = { linkMyPhone: { token: string, expiresAt: string, created: boolean } };

export type RequestPasswordResetMutationVariables = Exact<{
  email: string;
}>;


export type RequestPasswordResetMutation = { requestPasswordReset: boolean };

export type ResetPasswordMutationVariables = Exact<{
  token: string;
  newPassword: string;
}>;


export type ResetPasswordMutation = { resetPassword: boolean };

export type NotificationFieldsFragment = { id: string, kind: NotificationKind, title: string, body: string, data: unknown, createdAt: string, readAt: string | null };

export type NotificationsQueryVariables = Exact<{
  last?: number | null | undefined;
  before?: string | null | undefined;
  unreadOnly?: boolean | null | undefined;
}>;


export type NotificationsQuery = { notifications: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null, hasPreviousPage: boolean, startCursor: string | null }, nodes: Array<{ id: string, kind: NotificationKind, title: string, body: string, data: unknown, createdAt: string, readAt: string | null }> } };

export type UnreadNotificationCountQueryVariables = Exact<{ [key: string]: never; }>;


export type UnreadNotificationCountQuery = { unreadNotificationCount: number };

export type MarkNotificationsReadMutationVariables = Exact<{
  ids?: Array<string> | string | null | undefined;
  all?: boolean | null | undefined;
}>;


export type MarkNotificationsReadMutation = { markNotificationsRead: number };

export type NotificationPreferencesQueryVariables = Exact<{ [key: string]: never; }>;


export type NotificationPreferencesQuery = { notificationPreferences: { inApp: boolean, email: boolean, telegram: boolean } };

export type UpdateNotificationPreferencesMutationVariables = Exact<{
  input: NotificationPreferencesInput;
}>;


export type UpdateNotificationPreferencesMutation = { updateNotificationPreferences: { inApp: boolean, email: boolean, telegram: boolean } };

export type NotificationReceivedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type NotificationReceivedSubscription = { notificationReceived: { id: string, kind: NotificationKind, title: string, body: string, data: unknown, createdAt: string, readAt: string | null } };

export type IntegrationEventFailedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type IntegrationEventFailedSubscription = { integrationEventFailed: { integrationId: string, eventId: string, error: string } };

export type MyNotificationsQueryVariables = Exact<{
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type MyNotificationsQuery = { myUnreadNotificationCount: number, myNotifications: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null, hasPreviousPage: boolean, startCursor: string | null }, nodes: Array<{ id: string, kind: NotificationKind, title: string, body: string, data: unknown, createdAt: string, readAt: string | null }> } };

export type MarkMyNotificationsReadMutationVariables = Exact<{
  ids?: Array<string> | string | null | undefined;
  all?: boolean | null | undefined;
}>;


export type MarkMyNotificationsReadMutation = { markMyNotificationsRead: number };

export type MyNotificationPreferencesQueryVariables = Exact<{ [key: string]: never; }>;


export type MyNotificationPreferencesQuery = { myNotificationPreferences: { inApp: boolean, email: boolean, telegram: boolean } };

export type SetMyNotificationLanguageMutationVariables = Exact<{
  language: Locale;
}>;


export type SetMyNotificationLanguageMutation = { setMyNotificationLanguage: Locale };

export type UpdateMyNotificationPreferencesMutationVariables = Exact<{
  input: NotificationPreferencesInput;
}>;


export type UpdateMyNotificationPreferencesMutation = { updateMyNotificationPreferences: { inApp: boolean, email: boolean, telegram: boolean } };

export type MyNotificationReceivedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type MyNotificationReceivedSubscription = { myNotificationReceived: { id: string, kind: NotificationKind, title: string, body: string, data: unknown, createdAt: string, readAt: string | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const MeFieldsFragmentDoc = new TypedDocumentString(`
    fragment MeFields on Me {
  user {
    id
    email
    displayName
    locale
  }
  tenant {
    id
    name
    currency
    createdAt
  }
  role
  permissions
}
    `, {"fragmentName":"MeFields"}) as unknown as TypedDocumentString<MeFieldsFragment, unknown>;
export const AuthFieldsFragmentDoc = new TypedDocumentString(`
    fragment AuthFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  refreshTokenExpiresAt
  me {
    ...MeFields
  }
}
    fragment MeFields on Me {
  user {
    id
    email
    displayName
    locale
  }
  tenant {
    id
    name
    currency
    createdAt
  }
  role
  permissions
}`, {"fragmentName":"AuthFields"}) as unknown as TypedDocumentString<AuthFieldsFragment, unknown>;
export const GuestCardFragmentDoc = new TypedDocumentString(`
    fragment GuestCard on Guest {
  id
  name
  phone
  email
  birthday
  marketingConsent
  tags
  cardCode
  qrPayload
  lifetimeSpendMinor
  createdAt
  account {
    guestId
    balance
    available
    held
  }
  level {
    id
    name
    thresholdMinor
    cashbackBp
    maxRedeemBp
  }
  progress {
    spendMinor
    missingMinor
    next {
      id
      name
      thresholdMinor
    }
  }
}
    `, {"fragmentName":"GuestCard"}) as unknown as TypedDocumentString<GuestCardFragment, unknown>;
export const ReceiptFieldsFragmentDoc = new TypedDocumentString(`
    fragment ReceiptFields on Receipt {
  checkId
  guestId
  locationId
  externalId
  totalMinor
  currency
  redeemed
  redeemedValueMinor
  earned
  rules {
    code
    description
    points
    promotionId
    status
  }
  balance
  available
  levelBefore {
    id
    name
  }
  levelAfter {
    id
    name
  }
  processedAt
}
    `, {"fragmentName":"ReceiptFields"}) as unknown as TypedDocumentString<ReceiptFieldsFragment, unknown>;
export const LevelFieldsFragmentDoc = new TypedDocumentString(`
    fragment LevelFields on Level {
  id
  name
  thresholdMinor
  cashbackBp
  maxRedeemBp
}
    `, {"fragmentName":"LevelFields"}) as unknown as TypedDocumentString<LevelFieldsFragment, unknown>;
export const PromotionRuleFieldsFragmentDoc = new TypedDocumentString(`
    fragment PromotionRuleFields on PromotionRule {
  __typename
  ... on WelcomeRule {
    points
  }
  ... on BirthdayRule {
    points
    daysBefore
    daysAfter
  }
  ... on MultiplierRule {
    factorPercent
    weekdays
    hours {
      from
      to
    }
    locationIds
  }
  ... on ReferralRule {
    referrerPoints
    refereePoints
  }
}
    `, {"fragmentName":"PromotionRuleFields"}) as unknown as TypedDocumentString<PromotionRuleFieldsFragment, unknown>;
export const PromotionFieldsFragmentDoc = new TypedDocumentString(`
    fragment PromotionFields on Promotion {
  id
  name
  kind
  rule {
    ...PromotionRuleFields
  }
  startsOn
  endsOn
  budget
  budgetExhaustedAt
  archived
  createdAt
  granted
  remainingBudget
}
    fragment PromotionRuleFields on PromotionRule {
  __typename
  ... on WelcomeRule {
    points
  }
  ... on BirthdayRule {
    points
    daysBefore
    daysAfter
  }
  ... on MultiplierRule {
    factorPercent
    weekdays
    hours {
      from
      to
    }
    locationIds
  }
  ... on ReferralRule {
    referrerPoints
    refereePoints
  }
}`, {"fragmentName":"PromotionFields"}) as unknown as TypedDocumentString<PromotionFieldsFragment, unknown>;
export const MyCardFieldsFragmentDoc = new TypedDocumentString(`
    fragment MyCardFields on MyCard {
  guest {
    id
    name
    phone
    email
    cardCode
    qrPayload
    birthday
    marketingConsent
  }
  account {
    balance
    held
    available
  }
  level {
    id
    name
    cashbackBp
  }
  nextLevel {
    id
    name
    thresholdMinor
  }
  missingMinor
  spendMinor
  progressPercent
}
    `, {"fragmentName":"MyCardFields"}) as unknown as TypedDocumentString<MyCardFieldsFragment, unknown>;
export const IntegrationFieldsFragmentDoc = new TypedDocumentString(`
    fragment IntegrationFields on Integration {
  id
  kind
  name
  locationId
  active
  endpointUrl
  secretRotatedAt
  previousSecretValidUntil
  createdAt
  iikoApiLoginSet
}
    `, {"fragmentName":"IntegrationFields"}) as unknown as TypedDocumentString<IntegrationFieldsFragment, unknown>;
export const InboundEventFieldsFragmentDoc = new TypedDocumentString(`
    fragment InboundEventFields on InboundEvent {
  id
  kind
  externalId
  status
  error
  checkId
  payload
  receivedAt
  processedAt
}
    `, {"fragmentName":"InboundEventFields"}) as unknown as TypedDocumentString<InboundEventFieldsFragment, unknown>;
export const ApiKeyFieldsFragmentDoc = new TypedDocumentString(`
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  scopes
  createdBy
  createdAt
  lastUsedAt
  revokedAt
  active
}
    `, {"fragmentName":"ApiKeyFields"}) as unknown as TypedDocumentString<ApiKeyFieldsFragment, unknown>;
export const WebhookEndpointFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  disabledAt
  failingSince
  secretRotatedAt
  previousSecretExpiresAt
  createdAt
  updatedAt
}
    `, {"fragmentName":"WebhookEndpointFields"}) as unknown as TypedDocumentString<WebhookEndpointFieldsFragment, unknown>;
export const WebhookDeliveryFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  endpointId
  eventId
  eventType
  status
  attemptCount
  lastStatusCode
  lastError
  nextAttemptAt
  createdAt
  updatedAt
  attempts {
    number
    attemptedAt
    statusCode
    latencyMs
    responseExcerpt
    error
  }
}
    `, {"fragmentName":"WebhookDeliveryFields"}) as unknown as TypedDocumentString<WebhookDeliveryFieldsFragment, unknown>;
export const NotificationFieldsFragmentDoc = new TypedDocumentString(`
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  data
  createdAt
  readAt
}
    `, {"fragmentName":"NotificationFields"}) as unknown as TypedDocumentString<NotificationFieldsFragment, unknown>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($input: LoginInput!) {
  login(input: $input) {
    ...AuthFields
  }
}
    fragment MeFields on Me {
  user {
    id
    email
    displayName
    locale
  }
  tenant {
    id
    name
    currency
    createdAt
  }
  role
  permissions
}
fragment AuthFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  refreshTokenExpiresAt
  me {
    ...MeFields
  }
}`) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    ...AuthFields
  }
}
    fragment MeFields on Me {
  user {
    id
    email
    displayName
    locale
  }
  tenant {
    id
    name
    currency
    createdAt
  }
  role
  permissions
}
fragment AuthFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  refreshTokenExpiresAt
  me {
    ...MeFields
  }
}`) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const RefreshSessionDocument = new TypedDocumentString(`
    mutation RefreshSession($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) {
    ...AuthFields
  }
}
    fragment MeFields on Me {
  user {
    id
    email
    displayName
    locale
  }
  tenant {
    id
    name
    currency
    createdAt
  }
  role
  permissions
}
fragment AuthFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  refreshTokenExpiresAt
  me {
    ...MeFields
  }
}`) as unknown as TypedDocumentString<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout($refreshToken: String!) {
  logout(refreshToken: $refreshToken)
}
    `) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const InvitationPreviewDocument = new TypedDocumentString(`
    query InvitationPreview($token: String!) {
  invitationPreview(token: $token) {
    email
    role
    tenantName
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<InvitationPreviewQuery, InvitationPreviewQueryVariables>;
export const AcceptInvitationDocument = new TypedDocumentString(`
    mutation AcceptInvitation($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) {
    ...AuthFields
  }
}
    fragment MeFields on Me {
  user {
    id
    email
    displayName
    locale
  }
  tenant {
    id
    name
    currency
    createdAt
  }
  role
  permissions
}
fragment AuthFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  refreshTokenExpiresAt
  me {
    ...MeFields
  }
}`) as unknown as TypedDocumentString<AcceptInvitationMutation, AcceptInvitationMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    ...MeFields
  }
}
    fragment MeFields on Me {
  user {
    id
    email
    displayName
    locale
  }
  tenant {
    id
    name
    currency
    createdAt
  }
  role
  permissions
}`) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const MyTenantsDocument = new TypedDocumentString(`
    query MyTenants {
  myTenants {
    tenant {
      id
      name
      currency
    }
    role
    current
  }
}
    `) as unknown as TypedDocumentString<MyTenantsQuery, MyTenantsQueryVariables>;
export const SwitchTenantDocument = new TypedDocumentString(`
    mutation SwitchTenant($tenantId: ID!) {
  switchTenant(tenantId: $tenantId) {
    ...AuthFields
  }
}
    fragment MeFields on Me {
  user {
    id
    email
    displayName
    locale
  }
  tenant {
    id
    name
    currency
    createdAt
  }
  role
  permissions
}
fragment AuthFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  refreshTokenExpiresAt
  me {
    ...MeFields
  }
}`) as unknown as TypedDocumentString<SwitchTenantMutation, SwitchTenantMutationVariables>;
export const UpdateMyProfileDocument = new TypedDocumentString(`
    mutation UpdateMyProfile($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) {
    id
    email
    displayName
    locale
  }
}
    `) as unknown as TypedDocumentString<UpdateMyProfileMutation, UpdateMyProfileMutationVariables>;
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($input: ChangePasswordInput!) {
  changePassword(input: $input) {
    ...AuthFields
  }
}
    fragment MeFields on Me {
  user {
    id
    email
    displayName
    locale
  }
  tenant {
    id
    name
    currency
    createdAt
  }
  role
  permissions
}
fragment AuthFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  refreshTokenExpiresAt
  me {
    ...MeFields
  }
}`) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const StaffDocument = new TypedDocumentString(`
    query Staff($first: Int, $after: String) {
  staff(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      email
      displayName
      role
      active
      joinedAt
    }
  }
}
    `) as unknown as TypedDocumentString<StaffQuery, StaffQueryVariables>;
export const InvitationsDocument = new TypedDocumentString(`
    query Invitations($first: Int, $after: String, $last: Int, $before: String) {
  invitations(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
      hasPreviousPage
      startCursor
    }
    nodes {
      id
      email
      role
      status
      expiresAt
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<InvitationsQuery, InvitationsQueryVariables>;
export const InviteStaffDocument = new TypedDocumentString(`
    mutation InviteStaff($input: InviteStaffInput!) {
  inviteStaff(input: $input) {
    id
    email
    role
    status
    expiresAt
    createdAt
  }
}
    `) as unknown as TypedDocumentString<InviteStaffMutation, InviteStaffMutationVariables>;
export const RevokeInvitationDocument = new TypedDocumentString(`
    mutation RevokeInvitation($id: ID!) {
  revokeInvitation(id: $id) {
    id
    email
    role
    status
    expiresAt
    createdAt
  }
}
    `) as unknown as TypedDocumentString<RevokeInvitationMutation, RevokeInvitationMutationVariables>;
export const ChangeStaffRoleDocument = new TypedDocumentString(`
    mutation ChangeStaffRole($id: ID!, $role: Role!) {
  changeStaffRole(id: $id, role: $role) {
    id
    email
    displayName
    role
    active
    joinedAt
  }
}
    `) as unknown as TypedDocumentString<ChangeStaffRoleMutation, ChangeStaffRoleMutationVariables>;
export const DeactivateStaffDocument = new TypedDocumentString(`
    mutation DeactivateStaff($id: ID!) {
  deactivateStaff(id: $id) {
    id
    email
    displayName
    role
    active
    joinedAt
  }
}
    `) as unknown as TypedDocumentString<DeactivateStaffMutation, DeactivateStaffMutationVariables>;
export const ReactivateStaffDocument = new TypedDocumentString(`
    mutation ReactivateStaff($id: ID!) {
  reactivateStaff(id: $id) {
    id
    email
    displayName
    role
    active
    joinedAt
  }
}
    `) as unknown as TypedDocumentString<ReactivateStaffMutation, ReactivateStaffMutationVariables>;
export const LocationsDocument = new TypedDocumentString(`
    query Locations($first: Int, $after: String) {
  locations(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      address
      timezone
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<LocationsQuery, LocationsQueryVariables>;
export const CreateLocationDocument = new TypedDocumentString(`
    mutation CreateLocation($input: CreateLocationInput!) {
  createLocation(input: $input) {
    id
    name
    address
    timezone
    createdAt
  }
}
    `) as unknown as TypedDocumentString<CreateLocationMutation, CreateLocationMutationVariables>;
export const RenameLocationDocument = new TypedDocumentString(`
    mutation RenameLocation($id: ID!, $name: String!) {
  renameLocation(id: $id, name: $name) {
    id
    name
    address
    timezone
    createdAt
  }
}
    `) as unknown as TypedDocumentString<RenameLocationMutation, RenameLocationMutationVariables>;
export const RolePermissionsDocument = new TypedDocumentString(`
    query RolePermissions {
  permissionCatalog {
    key
    description
  }
  rolePermissions {
    role
    permissions
    editable
  }
}
    `) as unknown as TypedDocumentString<RolePermissionsQuery, RolePermissionsQueryVariables>;
export const SetRolePermissionsDocument = new TypedDocumentString(`
    mutation SetRolePermissions($role: Role!, $permissions: [String!]!) {
  setRolePermissions(role: $role, permissions: $permissions) {
    role
    permissions
    editable
  }
}
    `) as unknown as TypedDocumentString<SetRolePermissionsMutation, SetRolePermissionsMutationVariables>;
export const AuditLogDocument = new TypedDocumentString(`
    query AuditLog($first: Int, $after: String, $last: Int, $before: String, $action: String) {
  auditLog(
    first: $first
    after: $after
    last: $last
    before: $before
    action: $action
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
      hasPreviousPage
      startCursor
    }
    nodes {
      id
      at
      actorId
      actorEmail
      action
      targetType
      targetId
      ip
      details
    }
  }
}
    `) as unknown as TypedDocumentString<AuditLogQuery, AuditLogQueryVariables>;
export const GuestsDocument = new TypedDocumentString(`
    query Guests($query: String, $first: Int, $after: String) {
  guests(query: $query, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      phone
      cardCode
      createdAt
      lastVisitAt
      account {
        guestId
        balance
        available
      }
      level {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<GuestsQuery, GuestsQueryVariables>;
export const GuestDocument = new TypedDocumentString(`
    query Guest($id: ID!) {
  guest(id: $id) {
    ...GuestCard
  }
}
    fragment GuestCard on Guest {
  id
  name
  phone
  email
  birthday
  marketingConsent
  tags
  cardCode
  qrPayload
  lifetimeSpendMinor
  createdAt
  account {
    guestId
    balance
    available
    held
  }
  level {
    id
    name
    thresholdMinor
    cashbackBp
    maxRedeemBp
  }
  progress {
    spendMinor
    missingMinor
    next {
      id
      name
      thresholdMinor
    }
  }
}`) as unknown as TypedDocumentString<GuestQuery, GuestQueryVariables>;
export const GuestMaxRedeemableDocument = new TypedDocumentString(`
    query GuestMaxRedeemable($id: ID!, $totalMinor: Int!) {
  guest(id: $id) {
    id
    maxRedeemable(totalMinor: $totalMinor)
    account {
      guestId
      balance
      available
      held
    }
  }
}
    `) as unknown as TypedDocumentString<GuestMaxRedeemableQuery, GuestMaxRedeemableQueryVariables>;
export const GuestLedgerDocument = new TypedDocumentString(`
    query GuestLedger($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  guest(id: $id) {
    id
    ledger(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
        hasPreviousPage
        startCursor
      }
      nodes {
        id
        kind
        amount
        heldDelta
        balanceAfter
        checkId
        holdId
        reason
        actorId
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<GuestLedgerQuery, GuestLedgerQueryVariables>;
export const CreateGuestDocument = new TypedDocumentString(`
    mutation CreateGuest($input: CreateGuestInput!) {
  createGuest(input: $input) {
    ...GuestCard
  }
}
    fragment GuestCard on Guest {
  id
  name
  phone
  email
  birthday
  marketingConsent
  tags
  cardCode
  qrPayload
  lifetimeSpendMinor
  createdAt
  account {
    guestId
    balance
    available
    held
  }
  level {
    id
    name
    thresholdMinor
    cashbackBp
    maxRedeemBp
  }
  progress {
    spendMinor
    missingMinor
    next {
      id
      name
      thresholdMinor
    }
  }
}`) as unknown as TypedDocumentString<CreateGuestMutation, CreateGuestMutationVariables>;
export const UpdateGuestDocument = new TypedDocumentString(`
    mutation UpdateGuest($id: ID!, $input: UpdateGuestInput!) {
  updateGuest(id: $id, input: $input) {
    ...GuestCard
  }
}
    fragment GuestCard on Guest {
  id
  name
  phone
  email
  birthday
  marketingConsent
  tags
  cardCode
  qrPayload
  lifetimeSpendMinor
  createdAt
  account {
    guestId
    balance
    available
    held
  }
  level {
    id
    name
    thresholdMinor
    cashbackBp
    maxRedeemBp
  }
  progress {
    spendMinor
    missingMinor
    next {
      id
      name
      thresholdMinor
    }
  }
}`) as unknown as TypedDocumentString<UpdateGuestMutation, UpdateGuestMutationVariables>;
export const AdjustPointsDocument = new TypedDocumentString(`
    mutation AdjustPoints($guestId: ID!, $points: Int!, $reason: String!, $idempotencyKey: String) {
  adjustPoints(
    guestId: $guestId
    points: $points
    reason: $reason
    idempotencyKey: $idempotencyKey
  ) {
    guestId
    balance
    available
    held
  }
}
    `) as unknown as TypedDocumentString<AdjustPointsMutation, AdjustPointsMutationVariables>;
export const ProcessCheckDocument = new TypedDocumentString(`
    mutation ProcessCheck($input: ProcessCheckInput!) {
  processCheck(input: $input) {
    ...ReceiptFields
  }
}
    fragment ReceiptFields on Receipt {
  checkId
  guestId
  locationId
  externalId
  totalMinor
  currency
  redeemed
  redeemedValueMinor
  earned
  rules {
    code
    description
    points
    promotionId
    status
  }
  balance
  available
  levelBefore {
    id
    name
  }
  levelAfter {
    id
    name
  }
  processedAt
}`) as unknown as TypedDocumentString<ProcessCheckMutation, ProcessCheckMutationVariables>;
export const LevelsDocument = new TypedDocumentString(`
    query Levels {
  levels {
    ...LevelFields
  }
}
    fragment LevelFields on Level {
  id
  name
  thresholdMinor
  cashbackBp
  maxRedeemBp
}`) as unknown as TypedDocumentString<LevelsQuery, LevelsQueryVariables>;
export const CreateLevelDocument = new TypedDocumentString(`
    mutation CreateLevel($input: LevelInput!) {
  createLevel(input: $input) {
    ...LevelFields
  }
}
    fragment LevelFields on Level {
  id
  name
  thresholdMinor
  cashbackBp
  maxRedeemBp
}`) as unknown as TypedDocumentString<CreateLevelMutation, CreateLevelMutationVariables>;
export const UpdateLevelDocument = new TypedDocumentString(`
    mutation UpdateLevel($id: ID!, $input: LevelInput!) {
  updateLevel(id: $id, input: $input) {
    ...LevelFields
  }
}
    fragment LevelFields on Level {
  id
  name
  thresholdMinor
  cashbackBp
  maxRedeemBp
}`) as unknown as TypedDocumentString<UpdateLevelMutation, UpdateLevelMutationVariables>;
export const DeleteLevelDocument = new TypedDocumentString(`
    mutation DeleteLevel($id: ID!) {
  deleteLevel(id: $id) {
    ...LevelFields
  }
}
    fragment LevelFields on Level {
  id
  name
  thresholdMinor
  cashbackBp
  maxRedeemBp
}`) as unknown as TypedDocumentString<DeleteLevelMutation, DeleteLevelMutationVariables>;
export const LoyaltySettingsDocument = new TypedDocumentString(`
    query LoyaltySettings {
  loyaltySettings {
    expiryDays
    spendBasis
    pointValueMinor
    holdTtlSeconds
    utcOffsetMinutes
  }
}
    `) as unknown as TypedDocumentString<LoyaltySettingsQuery, LoyaltySettingsQueryVariables>;
export const UpdateLoyaltySettingsDocument = new TypedDocumentString(`
    mutation UpdateLoyaltySettings($input: LoyaltySettingsInput!) {
  updateLoyaltySettings(input: $input) {
    expiryDays
    spendBasis
    pointValueMinor
    holdTtlSeconds
    utcOffsetMinutes
  }
}
    `) as unknown as TypedDocumentString<UpdateLoyaltySettingsMutation, UpdateLoyaltySettingsMutationVariables>;
export const PromotionsDocument = new TypedDocumentString(`
    query Promotions($includeArchived: Boolean!) {
  promotions(includeArchived: $includeArchived) {
    ...PromotionFields
  }
}
    fragment PromotionRuleFields on PromotionRule {
  __typename
  ... on WelcomeRule {
    points
  }
  ... on BirthdayRule {
    points
    daysBefore
    daysAfter
  }
  ... on MultiplierRule {
    factorPercent
    weekdays
    hours {
      from
      to
    }
    locationIds
  }
  ... on ReferralRule {
    referrerPoints
    refereePoints
  }
}
fragment PromotionFields on Promotion {
  id
  name
  kind
  rule {
    ...PromotionRuleFields
  }
  startsOn
  endsOn
  budget
  budgetExhaustedAt
  archived
  createdAt
  granted
  remainingBudget
}`) as unknown as TypedDocumentString<PromotionsQuery, PromotionsQueryVariables>;
export const CreatePromotionDocument = new TypedDocumentString(`
    mutation CreatePromotion($input: PromotionInput!) {
  createPromotion(input: $input) {
    ...PromotionFields
  }
}
    fragment PromotionRuleFields on PromotionRule {
  __typename
  ... on WelcomeRule {
    points
  }
  ... on BirthdayRule {
    points
    daysBefore
    daysAfter
  }
  ... on MultiplierRule {
    factorPercent
    weekdays
    hours {
      from
      to
    }
    locationIds
  }
  ... on ReferralRule {
    referrerPoints
    refereePoints
  }
}
fragment PromotionFields on Promotion {
  id
  name
  kind
  rule {
    ...PromotionRuleFields
  }
  startsOn
  endsOn
  budget
  budgetExhaustedAt
  archived
  createdAt
  granted
  remainingBudget
}`) as unknown as TypedDocumentString<CreatePromotionMutation, CreatePromotionMutationVariables>;
export const UpdatePromotionDocument = new TypedDocumentString(`
    mutation UpdatePromotion($id: ID!, $input: PromotionInput!) {
  updatePromotion(id: $id, input: $input) {
    ...PromotionFields
  }
}
    fragment PromotionRuleFields on PromotionRule {
  __typename
  ... on WelcomeRule {
    points
  }
  ... on BirthdayRule {
    points
    daysBefore
    daysAfter
  }
  ... on MultiplierRule {
    factorPercent
    weekdays
    hours {
      from
      to
    }
    locationIds
  }
  ... on ReferralRule {
    referrerPoints
    refereePoints
  }
}
fragment PromotionFields on Promotion {
  id
  name
  kind
  rule {
    ...PromotionRuleFields
  }
  startsOn
  endsOn
  budget
  budgetExhaustedAt
  archived
  createdAt
  granted
  remainingBudget
}`) as unknown as TypedDocumentString<UpdatePromotionMutation, UpdatePromotionMutationVariables>;
export const ArchivePromotionDocument = new TypedDocumentString(`
    mutation ArchivePromotion($id: ID!) {
  archivePromotion(id: $id) {
    ...PromotionFields
  }
}
    fragment PromotionRuleFields on PromotionRule {
  __typename
  ... on WelcomeRule {
    points
  }
  ... on BirthdayRule {
    points
    daysBefore
    daysAfter
  }
  ... on MultiplierRule {
    factorPercent
    weekdays
    hours {
      from
      to
    }
    locationIds
  }
  ... on ReferralRule {
    referrerPoints
    refereePoints
  }
}
fragment PromotionFields on Promotion {
  id
  name
  kind
  rule {
    ...PromotionRuleFields
  }
  startsOn
  endsOn
  budget
  budgetExhaustedAt
  archived
  createdAt
  granted
  remainingBudget
}`) as unknown as TypedDocumentString<ArchivePromotionMutation, ArchivePromotionMutationVariables>;
export const GuestNameDocument = new TypedDocumentString(`
    query GuestName($id: ID!) {
  guest(id: $id) {
    id
    name
    phone
  }
}
    `) as unknown as TypedDocumentString<GuestNameQuery, GuestNameQueryVariables>;
export const CheckProcessedDocument = new TypedDocumentString(`
    subscription CheckProcessed($locationId: ID!) {
  checkProcessed(locationId: $locationId) {
    ...ReceiptFields
  }
}
    fragment ReceiptFields on Receipt {
  checkId
  guestId
  locationId
  externalId
  totalMinor
  currency
  redeemed
  redeemedValueMinor
  earned
  rules {
    code
    description
    points
    promotionId
    status
  }
  balance
  available
  levelBefore {
    id
    name
  }
  levelAfter {
    id
    name
  }
  processedAt
}`) as unknown as TypedDocumentString<CheckProcessedSubscription, CheckProcessedSubscriptionVariables>;
export const GuestUpdatedDocument = new TypedDocumentString(`
    subscription GuestUpdated($guestId: ID!) {
  guestUpdated(guestId: $guestId) {
    guestId
    balance
    held
    available
    levelId
  }
}
    `) as unknown as TypedDocumentString<GuestUpdatedSubscription, GuestUpdatedSubscriptionVariables>;
export const GuestCountDocument = new TypedDocumentString(`
    query GuestCount {
  guests(first: 1) {
    totalCount
  }
}
    `) as unknown as TypedDocumentString<GuestCountQuery, GuestCountQueryVariables>;
export const GuestSignInDocument = new TypedDocumentString(`
    mutation GuestSignIn($tenantId: ID!, $initData: String!) {
  guestSignIn(tenantId: $tenantId, initData: $initData) {
    token
    expiresAt
    created
  }
}
    `) as unknown as TypedDocumentString<GuestSignInMutation, GuestSignInMutationVariables>;
export const MyCardDocument = new TypedDocumentString(`
    query MyCard {
  myCard {
    ...MyCardFields
  }
}
    fragment MyCardFields on MyCard {
  guest {
    id
    name
    phone
    email
    cardCode
    qrPayload
    birthday
    marketingConsent
  }
  account {
    balance
    held
    available
  }
  level {
    id
    name
    cashbackBp
  }
  nextLevel {
    id
    name
    thresholdMinor
  }
  missingMinor
  spendMinor
  progressPercent
}`) as unknown as TypedDocumentString<MyCardQuery, MyCardQueryVariables>;
export const MyLedgerDocument = new TypedDocumentString(`
    query MyLedger($last: Int, $before: String) {
  myLedger(last: $last, before: $before) {
    nodes {
      id
      kind
      amount
      createdAt
      reason
    }
    pageInfo {
      hasPreviousPage
      startCursor
    }
  }
}
    `) as unknown as TypedDocumentString<MyLedgerQuery, MyLedgerQueryVariables>;
export const UpdateMyGuestProfileDocument = new TypedDocumentString(`
    mutation UpdateMyGuestProfile($input: UpdateMyGuestProfileInput!) {
  updateMyGuestProfile(input: $input) {
    ...MyCardFields
  }
}
    fragment MyCardFields on MyCard {
  guest {
    id
    name
    phone
    email
    cardCode
    qrPayload
    birthday
    marketingConsent
  }
  account {
    balance
    held
    available
  }
  level {
    id
    name
    cashbackBp
  }
  nextLevel {
    id
    name
    thresholdMinor
  }
  missingMinor
  spendMinor
  progressPercent
}`) as unknown as TypedDocumentString<UpdateMyGuestProfileMutation, UpdateMyGuestProfileMutationVariables>;
export const MyCardUpdatedDocument = new TypedDocumentString(`
    subscription MyCardUpdated {
  myCardUpdated {
    guestId
    balance
    held
    available
    levelId
  }
}
    `) as unknown as TypedDocumentString<MyCardUpdatedSubscription, MyCardUpdatedSubscriptionVariables>;
export const MyPromotionsDocument = new TypedDocumentString(`
    query MyPromotions {
  myPromotions {
    id
    name
    kind
    rule {
      ...PromotionRuleFields
    }
    startsOn
    endsOn
    windowStartsOn
    windowEndsOn
    granted
  }
}
    fragment PromotionRuleFields on PromotionRule {
  __typename
  ... on WelcomeRule {
    points
  }
  ... on BirthdayRule {
    points
    daysBefore
    daysAfter
  }
  ... on MultiplierRule {
    factorPercent
    weekdays
    hours {
      from
      to
    }
    locationIds
  }
  ... on ReferralRule {
    referrerPoints
    refereePoints
  }
}`) as unknown as TypedDocumentString<MyPromotionsQuery, MyPromotionsQueryVariables>;
export const IntegrationsDocument = new TypedDocumentString(`
    query Integrations {
  integrations {
    ...IntegrationFields
  }
}
    fragment IntegrationFields on Integration {
  id
  kind
  name
  locationId
  active
  endpointUrl
  secretRotatedAt
  previousSecretValidUntil
  createdAt
  iikoApiLoginSet
}`) as unknown as TypedDocumentString<IntegrationsQuery, IntegrationsQueryVariables>;
export const CreateIntegrationDocument = new TypedDocumentString(`
    mutation CreateIntegration($input: CreateIntegrationInput!) {
  createIntegration(input: $input) {
    secret
    integration {
      ...IntegrationFields
    }
  }
}
    fragment IntegrationFields on Integration {
  id
  kind
  name
  locationId
  active
  endpointUrl
  secretRotatedAt
  previousSecretValidUntil
  createdAt
  iikoApiLoginSet
}`) as unknown as TypedDocumentString<CreateIntegrationMutation, CreateIntegrationMutationVariables>;
export const RotateIntegrationSecretDocument = new TypedDocumentString(`
    mutation RotateIntegrationSecret($id: ID!) {
  rotateIntegrationSecret(id: $id) {
    secret
    integration {
      ...IntegrationFields
    }
  }
}
    fragment IntegrationFields on Integration {
  id
  kind
  name
  locationId
  active
  endpointUrl
  secretRotatedAt
  previousSecretValidUntil
  createdAt
  iikoApiLoginSet
}`) as unknown as TypedDocumentString<RotateIntegrationSecretMutation, RotateIntegrationSecretMutationVariables>;
export const SetIikoApiLoginDocument = new TypedDocumentString(`
    mutation SetIikoApiLogin($id: ID!, $apiLogin: String) {
  setIikoApiLogin(id: $id, apiLogin: $apiLogin) {
    ...IntegrationFields
  }
}
    fragment IntegrationFields on Integration {
  id
  kind
  name
  locationId
  active
  endpointUrl
  secretRotatedAt
  previousSecretValidUntil
  createdAt
  iikoApiLoginSet
}`) as unknown as TypedDocumentString<SetIikoApiLoginMutation, SetIikoApiLoginMutationVariables>;
export const DisableIntegrationDocument = new TypedDocumentString(`
    mutation DisableIntegration($id: ID!) {
  disableIntegration(id: $id) {
    ...IntegrationFields
  }
}
    fragment IntegrationFields on Integration {
  id
  kind
  name
  locationId
  active
  endpointUrl
  secretRotatedAt
  previousSecretValidUntil
  createdAt
  iikoApiLoginSet
}`) as unknown as TypedDocumentString<DisableIntegrationMutation, DisableIntegrationMutationVariables>;
export const EnableIntegrationDocument = new TypedDocumentString(`
    mutation EnableIntegration($id: ID!) {
  enableIntegration(id: $id) {
    ...IntegrationFields
  }
}
    fragment IntegrationFields on Integration {
  id
  kind
  name
  locationId
  active
  endpointUrl
  secretRotatedAt
  previousSecretValidUntil
  createdAt
  iikoApiLoginSet
}`) as unknown as TypedDocumentString<EnableIntegrationMutation, EnableIntegrationMutationVariables>;
export const IntegrationEventsDocument = new TypedDocumentString(`
    query IntegrationEvents($integrationId: ID!, $statuses: [InboundEventStatus!], $first: Int, $after: String, $last: Int, $before: String) {
  integrationEvents(
    integrationId: $integrationId
    statuses: $statuses
    first: $first
    after: $after
    last: $last
    before: $before
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
      hasPreviousPage
      startCursor
    }
    nodes {
      ...InboundEventFields
    }
  }
}
    fragment InboundEventFields on InboundEvent {
  id
  kind
  externalId
  status
  error
  checkId
  payload
  receivedAt
  processedAt
}`) as unknown as TypedDocumentString<IntegrationEventsQuery, IntegrationEventsQueryVariables>;
export const ReprocessIntegrationEventDocument = new TypedDocumentString(`
    mutation ReprocessIntegrationEvent($id: ID!) {
  reprocessIntegrationEvent(id: $id) {
    ...InboundEventFields
  }
}
    fragment InboundEventFields on InboundEvent {
  id
  kind
  externalId
  status
  error
  checkId
  payload
  receivedAt
  processedAt
}`) as unknown as TypedDocumentString<ReprocessIntegrationEventMutation, ReprocessIntegrationEventMutationVariables>;
export const JobQueueStatsDocument = new TypedDocumentString(`
    query JobQueueStats {
  jobQueueStats {
    queued
    running
    dead
    oldestQueuedAgeSeconds
  }
}
    `) as unknown as TypedDocumentString<JobQueueStatsQuery, JobQueueStatsQueryVariables>;
export const DeadJobsDocument = new TypedDocumentString(`
    query DeadJobs($first: Int, $after: String, $last: Int, $before: String) {
  deadJobs(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
      hasPreviousPage
      startCursor
    }
    nodes {
      id
      kind
      payload
      status
      priority
      attempts
      maxAttempts
      lastError
      runAt
      createdAt
      updatedAt
    }
  }
}
    `) as unknown as TypedDocumentString<DeadJobsQuery, DeadJobsQueryVariables>;
export const RedriveJobDocument = new TypedDocumentString(`
    mutation RedriveJob($id: ID!) {
  redriveJob(id: $id) {
    id
    kind
    payload
    status
    priority
    attempts
    maxAttempts
    lastError
    runAt
    createdAt
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<RedriveJobMutation, RedriveJobMutationVariables>;
export const ApiKeysDocument = new TypedDocumentString(`
    query ApiKeys {
  apiKeys {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  scopes
  createdBy
  createdAt
  lastUsedAt
  revokedAt
  active
}`) as unknown as TypedDocumentString<ApiKeysQuery, ApiKeysQueryVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($name: String!, $scopes: [String!]!) {
  createApiKey(name: $name, scopes: $scopes) {
    key
    apiKey {
      ...ApiKeyFields
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  scopes
  createdBy
  createdAt
  lastUsedAt
  revokedAt
  active
}`) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  scopes
  createdBy
  createdAt
  lastUsedAt
  revokedAt
  active
}`) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const WebhookEndpointsDocument = new TypedDocumentString(`
    query WebhookEndpoints {
  webhookEndpoints {
    ...WebhookEndpointFields
  }
  webhookEventTypes
}
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  disabledAt
  failingSince
  secretRotatedAt
  previousSecretExpiresAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<WebhookEndpointsQuery, WebhookEndpointsQueryVariables>;
export const CreateWebhookEndpointDocument = new TypedDocumentString(`
    mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    secret
    endpoint {
      ...WebhookEndpointFields
    }
  }
}
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  disabledAt
  failingSince
  secretRotatedAt
  previousSecretExpiresAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<CreateWebhookEndpointMutation, CreateWebhookEndpointMutationVariables>;
export const RotateWebhookSecretDocument = new TypedDocumentString(`
    mutation RotateWebhookSecret($id: ID!) {
  rotateWebhookSecret(id: $id) {
    secret
    endpoint {
      ...WebhookEndpointFields
    }
  }
}
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  disabledAt
  failingSince
  secretRotatedAt
  previousSecretExpiresAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<RotateWebhookSecretMutation, RotateWebhookSecretMutationVariables>;
export const DisableWebhookEndpointDocument = new TypedDocumentString(`
    mutation DisableWebhookEndpoint($id: ID!) {
  disableWebhookEndpoint(id: $id) {
    ...WebhookEndpointFields
  }
}
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  disabledAt
  failingSince
  secretRotatedAt
  previousSecretExpiresAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<DisableWebhookEndpointMutation, DisableWebhookEndpointMutationVariables>;
export const EnableWebhookEndpointDocument = new TypedDocumentString(`
    mutation EnableWebhookEndpoint($id: ID!) {
  enableWebhookEndpoint(id: $id) {
    ...WebhookEndpointFields
  }
}
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  disabledAt
  failingSince
  secretRotatedAt
  previousSecretExpiresAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<EnableWebhookEndpointMutation, EnableWebhookEndpointMutationVariables>;
export const WebhookDeliveriesDocument = new TypedDocumentString(`
    query WebhookDeliveries($endpointId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  webhookDeliveries(
    endpointId: $endpointId
    first: $first
    after: $after
    last: $last
    before: $before
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
      hasPreviousPage
      startCursor
    }
    nodes {
      ...WebhookDeliveryFields
    }
  }
}
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  endpointId
  eventId
  eventType
  status
  attemptCount
  lastStatusCode
  lastError
  nextAttemptAt
  createdAt
  updatedAt
  attempts {
    number
    attemptedAt
    statusCode
    latencyMs
    responseExcerpt
    error
  }
}`) as unknown as TypedDocumentString<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>;
export const RedeliverWebhookDocument = new TypedDocumentString(`
    mutation RedeliverWebhook($deliveryId: ID) {
  redeliverWebhook(deliveryId: $deliveryId) {
    ...WebhookDeliveryFields
  }
}
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  endpointId
  eventId
  eventType
  status
  attemptCount
  lastStatusCode
  lastError
  nextAttemptAt
  createdAt
  updatedAt
  attempts {
    number
    attemptedAt
    statusCode
    latencyMs
    responseExcerpt
    error
  }
}`) as unknown as TypedDocumentString<RedeliverWebhookMutation, RedeliverWebhookMutationVariables>;
export const SendTestWebhookDocument = new TypedDocumentString(`
    mutation SendTestWebhook($endpointId: ID!) {
  sendTestWebhook(endpointId: $endpointId) {
    ...WebhookDeliveryFields
  }
}
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  endpointId
  eventId
  eventType
  status
  attemptCount
  lastStatusCode
  lastError
  nextAttemptAt
  createdAt
  updatedAt
  attempts {
    number
    attemptedAt
    statusCode
    latencyMs
    responseExcerpt
    error
  }
}`) as unknown as TypedDocumentString<SendTestWebhookMutation, SendTestWebhookMutationVariables>;
export const LinkMyPhoneDocument = new TypedDocumentString(`
    mutation LinkMyPhone($contactData: String!) {
  linkMyPhone(contactData: $contactData) {
    token
    expiresAt
    created
  }
}
    `) as unknown as TypedDocumentString<LinkMyPhoneMutation, LinkMyPhoneMutationVariables>;
export const RequestPasswordResetDocument = new TypedDocumentString(`
    mutation RequestPasswordReset($email: String!) {
  requestPasswordReset(email: $email)
}
    `) as unknown as TypedDocumentString<RequestPasswordResetMutation, RequestPasswordResetMutationVariables>;
export const ResetPasswordDocument = new TypedDocumentString(`
    mutation ResetPassword($token: String!, $newPassword: String!) {
  resetPassword(token: $token, newPassword: $newPassword)
}
    `) as unknown as TypedDocumentString<ResetPasswordMutation, ResetPasswordMutationVariables>;
export const NotificationsDocument = new TypedDocumentString(`
    query Notifications($last: Int, $before: String, $unreadOnly: Boolean) {
  notifications(last: $last, before: $before, unreadOnly: $unreadOnly) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
      hasPreviousPage
      startCursor
    }
    nodes {
      ...NotificationFields
    }
  }
}
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  data
  createdAt
  readAt
}`) as unknown as TypedDocumentString<NotificationsQuery, NotificationsQueryVariables>;
export const UnreadNotificationCountDocument = new TypedDocumentString(`
    query UnreadNotificationCount {
  unreadNotificationCount
}
    `) as unknown as TypedDocumentString<UnreadNotificationCountQuery, UnreadNotificationCountQueryVariables>;
export const MarkNotificationsReadDocument = new TypedDocumentString(`
    mutation MarkNotificationsRead($ids: [ID!], $all: Boolean) {
  markNotificationsRead(ids: $ids, all: $all)
}
    `) as unknown as TypedDocumentString<MarkNotificationsReadMutation, MarkNotificationsReadMutationVariables>;
export const NotificationPreferencesDocument = new TypedDocumentString(`
    query NotificationPreferences {
  notificationPreferences {
    inApp
    email
    telegram
  }
}
    `) as unknown as TypedDocumentString<NotificationPreferencesQuery, NotificationPreferencesQueryVariables>;
export const UpdateNotificationPreferencesDocument = new TypedDocumentString(`
    mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) {
    inApp
    email
    telegram
  }
}
    `) as unknown as TypedDocumentString<UpdateNotificationPreferencesMutation, UpdateNotificationPreferencesMutationVariables>;
export const NotificationReceivedDocument = new TypedDocumentString(`
    subscription NotificationReceived {
  notificationReceived {
    ...NotificationFields
  }
}
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  data
  createdAt
  readAt
}`) as unknown as TypedDocumentString<NotificationReceivedSubscription, NotificationReceivedSubscriptionVariables>;
export const IntegrationEventFailedDocument = new TypedDocumentString(`
    subscription IntegrationEventFailed {
  integrationEventFailed {
    integrationId
    eventId
    error
  }
}
    `) as unknown as TypedDocumentString<IntegrationEventFailedSubscription, IntegrationEventFailedSubscriptionVariables>;
export const MyNotificationsDocument = new TypedDocumentString(`
    query MyNotifications($last: Int, $before: String) {
  myNotifications(last: $last, before: $before) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
      hasPreviousPage
      startCursor
    }
    nodes {
      ...NotificationFields
    }
  }
  myUnreadNotificationCount
}
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  data
  createdAt
  readAt
}`) as unknown as TypedDocumentString<MyNotificationsQuery, MyNotificationsQueryVariables>;
export const MarkMyNotificationsReadDocument = new TypedDocumentString(`
    mutation MarkMyNotificationsRead($ids: [ID!], $all: Boolean) {
  markMyNotificationsRead(ids: $ids, all: $all)
}
    `) as unknown as TypedDocumentString<MarkMyNotificationsReadMutation, MarkMyNotificationsReadMutationVariables>;
export const MyNotificationPreferencesDocument = new TypedDocumentString(`
    query MyNotificationPreferences {
  myNotificationPreferences {
    inApp
    email
    telegram
  }
}
    `) as unknown as TypedDocumentString<MyNotificationPreferencesQuery, MyNotificationPreferencesQueryVariables>;
export const SetMyNotificationLanguageDocument = new TypedDocumentString(`
    mutation SetMyNotificationLanguage($language: Locale!) {
  setMyNotificationLanguage(language: $language)
}
    `) as unknown as TypedDocumentString<SetMyNotificationLanguageMutation, SetMyNotificationLanguageMutationVariables>;
export const UpdateMyNotificationPreferencesDocument = new TypedDocumentString(`
    mutation UpdateMyNotificationPreferences($input: NotificationPreferencesInput!) {
  updateMyNotificationPreferences(input: $input) {
    inApp
    email
    telegram
  }
}
    `) as unknown as TypedDocumentString<UpdateMyNotificationPreferencesMutation, UpdateMyNotificationPreferencesMutationVariables>;
export const MyNotificationReceivedDocument = new TypedDocumentString(`
    subscription MyNotificationReceived {
  myNotificationReceived {
    ...NotificationFields
  }
}
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  data
  createdAt
  readAt
}`) as unknown as TypedDocumentString<MyNotificationReceivedSubscription, MyNotificationReceivedSubscriptionVariables>;