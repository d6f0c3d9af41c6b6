/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment MeFields on Me {\n    user { id email displayName locale }\n    tenant { id name currency createdAt }\n    role\n    permissions\n  }\n": typeof types.MeFieldsFragmentDoc,
    "\n  fragment AuthFields on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    refreshTokenExpiresAt\n    me { ...MeFields }\n  }\n": typeof types.AuthFieldsFragmentDoc,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) { ...AuthFields }\n  }\n": typeof types.LoginDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { ...AuthFields }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { ...AuthFields }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n": typeof types.LogoutDocument,
    "\n  query InvitationPreview($token: String!) {\n    invitationPreview(token: $token) { email role tenantName expiresAt }\n  }\n": typeof types.InvitationPreviewDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) { ...AuthFields }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  query Me {\n    me { ...MeFields }\n  }\n": typeof types.MeDocument,
    "\n  query MyTenants {\n    myTenants { tenant { id name currency } role current }\n  }\n": typeof types.MyTenantsDocument,
    "\n  mutation SwitchTenant($tenantId: ID!) {\n    switchTenant(tenantId: $tenantId) { ...AuthFields }\n  }\n": typeof types.SwitchTenantDocument,
    "\n  mutation UpdateMyProfile($input: UpdateMyProfileInput!) {\n    updateMyProfile(input: $input) { id email displayName locale }\n  }\n": typeof types.UpdateMyProfileDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) { ...AuthFields }\n  }\n": typeof types.ChangePasswordDocument,
    "\n  query Staff($first: Int, $after: String) {\n    staff(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id email displayName role active joinedAt }\n    }\n  }\n": typeof types.StaffDocument,
    "\n  query Invitations($first: Int, $after: String, $last: Int, $before: String) {\n    invitations(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { id email role status expiresAt createdAt }\n    }\n  }\n": typeof types.InvitationsDocument,
    "\n  mutation InviteStaff($input: InviteStaffInput!) {\n    inviteStaff(input: $input) { id email role status expiresAt createdAt }\n  }\n": typeof types.InviteStaffDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) { id email role status expiresAt createdAt }\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  mutation ChangeStaffRole($id: ID!, $role: Role!) {\n    changeStaffRole(id: $id, role: $role) { id email displayName role active joinedAt }\n  }\n": typeof types.ChangeStaffRoleDocument,
    "\n  mutation DeactivateStaff($id: ID!) {\n    deactivateStaff(id: $id) { id email displayName role active joinedAt }\n  }\n": typeof types.DeactivateStaffDocument,
    "\n  mutation ReactivateStaff($id: ID!) {\n    reactivateStaff(id: $id) { id email displayName role active joinedAt }\n  }\n": typeof types.ReactivateStaffDocument,
    "\n  query Locations($first: Int, $after: String) {\n    locations(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name address timezone createdAt }\n    }\n  }\n": typeof types.LocationsDocument,
    "\n  mutation CreateLocation($input: CreateLocationInput!) {\n    createLocation(input: $input) { id name address timezone createdAt }\n  }\n": typeof types.CreateLocationDocument,
    "\n  mutation RenameLocation($id: ID!, $name: String!) {\n    renameLocation(id: $id, name: $name) { id name address timezone createdAt }\n  }\n": typeof types.RenameLocationDocument,
    "\n  query RolePermissions {\n    permissionCatalog { key description }\n    rolePermissions { role permissions editable }\n  }\n": typeof types.RolePermissionsDocument,
    "\n  mutation SetRolePermissions($role: Role!, $permissions: [String!]!) {\n    setRolePermissions(role: $role, permissions: $permissions) { role permissions editable }\n  }\n": typeof types.SetRolePermissionsDocument,
    "\n  query AuditLog($first: Int, $after: String, $last: Int, $before: String, $action: String) {\n    auditLog(first: $first, after: $after, last: $last, before: $before, action: $action) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { id at actorId actorEmail action targetType targetId ip details }\n    }\n  }\n": typeof types.AuditLogDocument,
};
const documents: Documents = {
    "\n  fragment MeFields on Me {\n    user { id email displayName locale }\n    tenant { id name currency createdAt }\n    role\n    permissions\n  }\n": types.MeFieldsFragmentDoc,
    "\n  fragment AuthFields on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    refreshTokenExpiresAt\n    me { ...MeFields }\n  }\n": types.AuthFieldsFragmentDoc,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) { ...AuthFields }\n  }\n": types.LoginDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { ...AuthFields }\n  }\n": types.SignUpDocument,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { ...AuthFields }\n  }\n": types.RefreshSessionDocument,
    "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n": types.LogoutDocument,
    "\n  query InvitationPreview($token: String!) {\n    invitationPreview(token: $token) { email role tenantName expiresAt }\n  }\n": types.InvitationPreviewDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) { ...AuthFields }\n  }\n": types.AcceptInvitationDocument,
    "\n  query Me {\n    me { ...MeFields }\n  }\n": types.MeDocument,
    "\n  query MyTenants {\n    myTenants { tenant { id name currency } role current }\n  }\n": types.MyTenantsDocument,
    "\n  mutation SwitchTenant($tenantId: ID!) {\n    switchTenant(tenantId: $tenantId) { ...AuthFields }\n  }\n": types.SwitchTenantDocument,
    "\n  mutation UpdateMyProfile($input: UpdateMyProfileInput!) {\n    updateMyProfile(input: $input) { id email displayName locale }\n  }\n": types.UpdateMyProfileDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) { ...AuthFields }\n  }\n": types.ChangePasswordDocument,
    "\n  query Staff($first: Int, $after: String) {\n    staff(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id email displayName role active joinedAt }\n    }\n  }\n": types.StaffDocument,
    "\n  query Invitations($first: Int, $after: String, $last: Int, $before: String) {\n    invitations(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { id email role status expiresAt createdAt }\n    }\n  }\n": types.InvitationsDocument,
    "\n  mutation InviteStaff($input: InviteStaffInput!) {\n    inviteStaff(input: $input) { id email role status expiresAt createdAt }\n  }\n": types.InviteStaffDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) { id email role status expiresAt createdAt }\n  }\n": types.RevokeInvitationDocument,
    "\n  mutation ChangeStaffRole($id: ID!, $role: Role!) {\n    changeStaffRole(id: $id, role: $role) { id email displayName role active joinedAt }\n  }\n": types.ChangeStaffRoleDocument,
    "\n  mutation DeactivateStaff($id: ID!) {\n    deactivateStaff(id: $id) { id email displayName role active joinedAt }\n  }\n": types.DeactivateStaffDocument,
    "\n  mutation ReactivateStaff($id: ID!) {\n    reactivateStaff(id: $id) { id email displayName role active joinedAt }\n  }\n": types.ReactivateStaffDocument,
    "\n  query Locations($first: Int, $after: String) {\n    locations(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name address timezone createdAt }\n    }\n  }\n": types.LocationsDocument,
    "\n  mutation CreateLocation($input: CreateLocationInput!) {\n    createLocation(input: $input) { id name address timezone createdAt }\n  }\n": types.CreateLocationDocument,
    "\n  mutation RenameLocation($id: ID!, $name: String!) {\n    renameLocation(id: $id, name: $name) { id name address timezone createdAt }\n  }\n": types.RenameLocationDocument,
    "\n  query RolePermissions {\n    permissionCatalog { key description }\n    rolePermissions { role permissions editable }\n  }\n": types.RolePermissionsDocument,
    "\n  mutation SetRolePermissions($role: Role!, $permissions: [String!]!) {\n    setRolePermissions(role: $role, permissions: $permissions) { role permissions editable }\n  }\n": types.SetRolePermissionsDocument,
    "\n  query AuditLog($first: Int, $after: String, $last: Int, $before: String, $action: String) {\n    auditLog(first: $first, after: $after, last: $last, before: $before, action: $action) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { id at actorId actorEmail action targetType targetId ip details }\n    }\n  }\n": types.AuditLogDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MeFields on Me {\n    user { id email displayName locale }\n    tenant { id name currency createdAt }\n    role\n    permissions\n  }\n"): typeof import('./graphql').MeFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuthFields on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    refreshTokenExpiresAt\n    me { ...MeFields }\n  }\n"): typeof import('./graphql').AuthFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) { ...AuthFields }\n  }\n"): typeof import('./graphql').LoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { ...AuthFields }\n  }\n"): typeof import('./graphql').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { ...AuthFields }\n  }\n"): typeof import('./graphql').RefreshSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n"): typeof import('./graphql').LogoutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InvitationPreview($token: String!) {\n    invitationPreview(token: $token) { email role tenantName expiresAt }\n  }\n"): typeof import('./graphql').InvitationPreviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) { ...AuthFields }\n  }\n"): typeof import('./graphql').AcceptInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { ...MeFields }\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyTenants {\n    myTenants { tenant { id name currency } role current }\n  }\n"): typeof import('./graphql').MyTenantsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SwitchTenant($tenantId: ID!) {\n    switchTenant(tenantId: $tenantId) { ...AuthFields }\n  }\n"): typeof import('./graphql').SwitchTenantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMyProfile($input: UpdateMyProfileInput!) {\n    updateMyProfile(input: $input) { id email displayName locale }\n  }\n"): typeof import('./graphql').UpdateMyProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) { ...AuthFields }\n  }\n"): typeof import('./graphql').ChangePasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Staff($first: Int, $after: String) {\n    staff(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id email displayName role active joinedAt }\n    }\n  }\n"): typeof import('./graphql').StaffDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Invitations($first: Int, $after: String, $last: Int, $before: String) {\n    invitations(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { id email role status expiresAt createdAt }\n    }\n  }\n"): typeof import('./graphql').InvitationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteStaff($input: InviteStaffInput!) {\n    inviteStaff(input: $input) { id email role status expiresAt createdAt }\n  }\n"): typeof import('./graphql').InviteStaffDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) { id email role status expiresAt createdAt }\n  }\n"): typeof import('./graphql').RevokeInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeStaffRole($id: ID!, $role: Role!) {\n    changeStaffRole(id: $id, role: $role) { id email displayName role active joinedAt }\n  }\n"): typeof import('./graphql').ChangeStaffRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeactivateStaff($id: ID!) {\n    deactivateStaff(id: $id) { id email displayName role active joinedAt }\n  }\n"): typeof import('./graphql').DeactivateStaffDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReactivateStaff($id: ID!) {\n    reactivateStaff(id: $id) { id email displayName role active joinedAt }\n  }\n"): typeof import('./graphql').ReactivateStaffDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Locations($first: Int, $after: String) {\n    locations(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name address timezone createdAt }\n    }\n  }\n"): typeof import('./graphql').LocationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateLocation($input: CreateLocationInput!) {\n    createLocation(input: $input) { id name address timezone createdAt }\n  }\n"): typeof import('./graphql').CreateLocationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameLocation($id: ID!, $name: String!) {\n    renameLocation(id: $id, name: $name) { id name address timezone createdAt }\n  }\n"): typeof import('./graphql').RenameLocationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RolePermissions {\n    permissionCatalog { key description }\n    rolePermissions { role permissions editable }\n  }\n"): typeof import('./graphql').RolePermissionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetRolePermissions($role: Role!, $permissions: [String!]!) {\n    setRolePermissions(role: $role, permissions: $permissions) { role permissions editable }\n  }\n"): typeof import('./graphql').SetRolePermissionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($first: Int, $after: String, $last: Int, $before: String, $action: String) {\n    auditLog(first: $first, after: $after, last: $last, before: $before, action: $action) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { id at actorId actorEmail action targetType targetId ip details }\n    }\n  }\n"): typeof import('./graphql').AuditLogDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
