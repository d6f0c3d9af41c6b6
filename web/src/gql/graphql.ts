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

/** A password change. */
export type ChangePasswordInput = {
  /** The current password. */
  currentPassword: string;
  /** The new password (10+ characters). */
  newPassword: string;
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

/** ISO 4217 currency. */
export type Currency =
  /** Kazakhstani tenge. */
  | 'KZT'
  /** Russian rouble. */
  | 'RUB';

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

/** Changes to one's own profile (omitted fields stay as they are). */
export type UpdateMyProfileInput = {
  /** Name shown to colleagues. */
  displayName?: string | null | undefined;
  /** Interface language. */
  locale?: Locale | null | undefined;
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