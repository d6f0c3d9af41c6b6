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
    "\n  fragment GuestCard on Guest {\n    id\n    name\n    phone\n    email\n    birthday\n    marketingConsent\n    tags\n    cardCode\n    qrPayload\n    lifetimeSpendMinor\n    createdAt\n    account { guestId balance available held }\n    level { id name thresholdMinor cashbackBp maxRedeemBp }\n    progress { spendMinor missingMinor next { id name thresholdMinor } }\n  }\n": typeof types.GuestCardFragmentDoc,
    "\n  query Guests($query: String, $first: Int, $after: String) {\n    guests(query: $query, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        name\n        phone\n        cardCode\n        createdAt\n        account { guestId balance available }\n        level { id name }\n      }\n    }\n  }\n": typeof types.GuestsDocument,
    "\n  query Guest($id: ID!) {\n    guest(id: $id) { ...GuestCard }\n  }\n": typeof types.GuestDocument,
    "\n  query GuestMaxRedeemable($id: ID!, $totalMinor: Int!) {\n    guest(id: $id) {\n      id\n      maxRedeemable(totalMinor: $totalMinor)\n      account { guestId balance available held }\n    }\n  }\n": typeof types.GuestMaxRedeemableDocument,
    "\n  query GuestLedger($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    guest(id: $id) {\n      id\n      ledger(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n        nodes { id kind amount heldDelta balanceAfter checkId holdId reason actorId createdAt }\n      }\n    }\n  }\n": typeof types.GuestLedgerDocument,
    "\n  mutation CreateGuest($input: CreateGuestInput!) {\n    createGuest(input: $input) { ...GuestCard }\n  }\n": typeof types.CreateGuestDocument,
    "\n  mutation UpdateGuest($id: ID!, $input: UpdateGuestInput!) {\n    updateGuest(id: $id, input: $input) { ...GuestCard }\n  }\n": typeof types.UpdateGuestDocument,
    "\n  mutation AdjustPoints($guestId: ID!, $points: Int!, $reason: String!, $idempotencyKey: String) {\n    adjustPoints(guestId: $guestId, points: $points, reason: $reason, idempotencyKey: $idempotencyKey) {\n      guestId\n      balance\n      available\n      held\n    }\n  }\n": typeof types.AdjustPointsDocument,
    "\n  fragment ReceiptFields on Receipt {\n    checkId\n    guestId\n    locationId\n    externalId\n    totalMinor\n    currency\n    redeemed\n    redeemedValueMinor\n    earned\n    rules { code description points }\n    balance\n    available\n    levelBefore { id name }\n    levelAfter { id name }\n    processedAt\n  }\n": typeof types.ReceiptFieldsFragmentDoc,
    "\n  mutation ProcessCheck($input: ProcessCheckInput!) {\n    processCheck(input: $input) { ...ReceiptFields }\n  }\n": typeof types.ProcessCheckDocument,
    "\n  fragment LevelFields on Level { id name thresholdMinor cashbackBp maxRedeemBp }\n": typeof types.LevelFieldsFragmentDoc,
    "\n  query Levels {\n    levels { ...LevelFields }\n  }\n": typeof types.LevelsDocument,
    "\n  mutation CreateLevel($input: LevelInput!) {\n    createLevel(input: $input) { ...LevelFields }\n  }\n": typeof types.CreateLevelDocument,
    "\n  mutation UpdateLevel($id: ID!, $input: LevelInput!) {\n    updateLevel(id: $id, input: $input) { ...LevelFields }\n  }\n": typeof types.UpdateLevelDocument,
    "\n  mutation DeleteLevel($id: ID!) {\n    deleteLevel(id: $id) { ...LevelFields }\n  }\n": typeof types.DeleteLevelDocument,
    "\n  query LoyaltySettings {\n    loyaltySettings { expiryDays spendBasis pointValueMinor holdTtlSeconds }\n  }\n": typeof types.LoyaltySettingsDocument,
    "\n  mutation UpdateLoyaltySettings($input: LoyaltySettingsInput!) {\n    updateLoyaltySettings(input: $input) { expiryDays spendBasis pointValueMinor holdTtlSeconds }\n  }\n": typeof types.UpdateLoyaltySettingsDocument,
    "\n  query GuestName($id: ID!) {\n    guest(id: $id) { id name phone }\n  }\n": typeof types.GuestNameDocument,
    "\n  subscription CheckProcessed($locationId: ID!) {\n    checkProcessed(locationId: $locationId) { ...ReceiptFields }\n  }\n": typeof types.CheckProcessedDocument,
    "\n  mutation GuestSignIn($tenantId: ID!, $initData: String!) {\n    guestSignIn(tenantId: $tenantId, initData: $initData) { token expiresAt created }\n  }\n": typeof types.GuestSignInDocument,
    "\n  fragment MyCardFields on MyCard {\n    guest { id name cardCode qrPayload birthday marketingConsent }\n    account { balance held available }\n    level { id name cashbackBp }\n    nextLevel { id name thresholdMinor }\n    missingMinor\n    spendMinor\n    progressPercent\n  }\n": typeof types.MyCardFieldsFragmentDoc,
    "\n  query MyCard {\n    myCard { ...MyCardFields }\n  }\n": typeof types.MyCardDocument,
    "\n  query MyLedger($last: Int, $before: String) {\n    myLedger(last: $last, before: $before) {\n      nodes { id kind amount createdAt reason }\n      pageInfo { hasPreviousPage startCursor }\n    }\n  }\n": typeof types.MyLedgerDocument,
    "\n  mutation UpdateMyGuestProfile($input: UpdateMyGuestProfileInput!) {\n    updateMyGuestProfile(input: $input) { ...MyCardFields }\n  }\n": typeof types.UpdateMyGuestProfileDocument,
    "\n  subscription MyCardUpdated {\n    myCardUpdated { guestId balance held available levelId }\n  }\n": typeof types.MyCardUpdatedDocument,
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
    "\n  fragment GuestCard on Guest {\n    id\n    name\n    phone\n    email\n    birthday\n    marketingConsent\n    tags\n    cardCode\n    qrPayload\n    lifetimeSpendMinor\n    createdAt\n    account { guestId balance available held }\n    level { id name thresholdMinor cashbackBp maxRedeemBp }\n    progress { spendMinor missingMinor next { id name thresholdMinor } }\n  }\n": types.GuestCardFragmentDoc,
    "\n  query Guests($query: String, $first: Int, $after: String) {\n    guests(query: $query, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        name\n        phone\n        cardCode\n        createdAt\n        account { guestId balance available }\n        level { id name }\n      }\n    }\n  }\n": types.GuestsDocument,
    "\n  query Guest($id: ID!) {\n    guest(id: $id) { ...GuestCard }\n  }\n": types.GuestDocument,
    "\n  query GuestMaxRedeemable($id: ID!, $totalMinor: Int!) {\n    guest(id: $id) {\n      id\n      maxRedeemable(totalMinor: $totalMinor)\n      account { guestId balance available held }\n    }\n  }\n": types.GuestMaxRedeemableDocument,
    "\n  query GuestLedger($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    guest(id: $id) {\n      id\n      ledger(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n        nodes { id kind amount heldDelta balanceAfter checkId holdId reason actorId createdAt }\n      }\n    }\n  }\n": types.GuestLedgerDocument,
    "\n  mutation CreateGuest($input: CreateGuestInput!) {\n    createGuest(input: $input) { ...GuestCard }\n  }\n": types.CreateGuestDocument,
    "\n  mutation UpdateGuest($id: ID!, $input: UpdateGuestInput!) {\n    updateGuest(id: $id, input: $input) { ...GuestCard }\n  }\n": types.UpdateGuestDocument,
    "\n  mutation AdjustPoints($guestId: ID!, $points: Int!, $reason: String!, $idempotencyKey: String) {\n    adjustPoints(guestId: $guestId, points: $points, reason: $reason, idempotencyKey: $idempotencyKey) {\n      guestId\n      balance\n      available\n      held\n    }\n  }\n": types.AdjustPointsDocument,
    "\n  fragment ReceiptFields on Receipt {\n    checkId\n    guestId\n    locationId\n    externalId\n    totalMinor\n    currency\n    redeemed\n    redeemedValueMinor\n    earned\n    rules { code description points }\n    balance\n    available\n    levelBefore { id name }\n    levelAfter { id name }\n    processedAt\n  }\n": types.ReceiptFieldsFragmentDoc,
    "\n  mutation ProcessCheck($input: ProcessCheckInput!) {\n    processCheck(input: $input) { ...ReceiptFields }\n  }\n": types.ProcessCheckDocument,
    "\n  fragment LevelFields on Level { id name thresholdMinor cashbackBp maxRedeemBp }\n": types.LevelFieldsFragmentDoc,
    "\n  query Levels {\n    levels { ...LevelFields }\n  }\n": types.LevelsDocument,
    "\n  mutation CreateLevel($input: LevelInput!) {\n    createLevel(input: $input) { ...LevelFields }\n  }\n": types.CreateLevelDocument,
    "\n  mutation UpdateLevel($id: ID!, $input: LevelInput!) {\n    updateLevel(id: $id, input: $input) { ...LevelFields }\n  }\n": types.UpdateLevelDocument,
    "\n  mutation DeleteLevel($id: ID!) {\n    deleteLevel(id: $id) { ...LevelFields }\n  }\n": types.DeleteLevelDocument,
    "\n  query LoyaltySettings {\n    loyaltySettings { expiryDays spendBasis pointValueMinor holdTtlSeconds }\n  }\n": types.LoyaltySettingsDocument,
    "\n  mutation UpdateLoyaltySettings($input: LoyaltySettingsInput!) {\n    updateLoyaltySettings(input: $input) { expiryDays spendBasis pointValueMinor holdTtlSeconds }\n  }\n": types.UpdateLoyaltySettingsDocument,
    "\n  query GuestName($id: ID!) {\n    guest(id: $id) { id name phone }\n  }\n": types.GuestNameDocument,
    "\n  subscription CheckProcessed($locationId: ID!) {\n    checkProcessed(locationId: $locationId) { ...ReceiptFields }\n  }\n": types.CheckProcessedDocument,
    "\n  mutation GuestSignIn($tenantId: ID!, $initData: String!) {\n    guestSignIn(tenantId: $tenantId, initData: $initData) { token expiresAt created }\n  }\n": types.GuestSignInDocument,
    "\n  fragment MyCardFields on MyCard {\n    guest { id name cardCode qrPayload birthday marketingConsent }\n    account { balance held available }\n    level { id name cashbackBp }\n    nextLevel { id name thresholdMinor }\n    missingMinor\n    spendMinor\n    progressPercent\n  }\n": types.MyCardFieldsFragmentDoc,
    "\n  query MyCard {\n    myCard { ...MyCardFields }\n  }\n": types.MyCardDocument,
    "\n  query MyLedger($last: Int, $before: String) {\n    myLedger(last: $last, before: $before) {\n      nodes { id kind amount createdAt reason }\n      pageInfo { hasPreviousPage startCursor }\n    }\n  }\n": types.MyLedgerDocument,
    "\n  mutation UpdateMyGuestProfile($input: UpdateMyGuestProfileInput!) {\n    updateMyGuestProfile(input: $input) { ...MyCardFields }\n  }\n": types.UpdateMyGuestProfileDocument,
    "\n  subscription MyCardUpdated {\n    myCardUpdated { guestId balance held available levelId }\n  }\n": types.MyCardUpdatedDocument,
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
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GuestCard on Guest {\n    id\n    name\n    phone\n    email\n    birthday\n    marketingConsent\n    tags\n    cardCode\n    qrPayload\n    lifetimeSpendMinor\n    createdAt\n    account { guestId balance available held }\n    level { id name thresholdMinor cashbackBp maxRedeemBp }\n    progress { spendMinor missingMinor next { id name thresholdMinor } }\n  }\n"): typeof import('./graphql').GuestCardFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Guests($query: String, $first: Int, $after: String) {\n    guests(query: $query, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        name\n        phone\n        cardCode\n        createdAt\n        account { guestId balance available }\n        level { id name }\n      }\n    }\n  }\n"): typeof import('./graphql').GuestsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Guest($id: ID!) {\n    guest(id: $id) { ...GuestCard }\n  }\n"): typeof import('./graphql').GuestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GuestMaxRedeemable($id: ID!, $totalMinor: Int!) {\n    guest(id: $id) {\n      id\n      maxRedeemable(totalMinor: $totalMinor)\n      account { guestId balance available held }\n    }\n  }\n"): typeof import('./graphql').GuestMaxRedeemableDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GuestLedger($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    guest(id: $id) {\n      id\n      ledger(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n        nodes { id kind amount heldDelta balanceAfter checkId holdId reason actorId createdAt }\n      }\n    }\n  }\n"): typeof import('./graphql').GuestLedgerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateGuest($input: CreateGuestInput!) {\n    createGuest(input: $input) { ...GuestCard }\n  }\n"): typeof import('./graphql').CreateGuestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateGuest($id: ID!, $input: UpdateGuestInput!) {\n    updateGuest(id: $id, input: $input) { ...GuestCard }\n  }\n"): typeof import('./graphql').UpdateGuestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustPoints($guestId: ID!, $points: Int!, $reason: String!, $idempotencyKey: String) {\n    adjustPoints(guestId: $guestId, points: $points, reason: $reason, idempotencyKey: $idempotencyKey) {\n      guestId\n      balance\n      available\n      held\n    }\n  }\n"): typeof import('./graphql').AdjustPointsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReceiptFields on Receipt {\n    checkId\n    guestId\n    locationId\n    externalId\n    totalMinor\n    currency\n    redeemed\n    redeemedValueMinor\n    earned\n    rules { code description points }\n    balance\n    available\n    levelBefore { id name }\n    levelAfter { id name }\n    processedAt\n  }\n"): typeof import('./graphql').ReceiptFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProcessCheck($input: ProcessCheckInput!) {\n    processCheck(input: $input) { ...ReceiptFields }\n  }\n"): typeof import('./graphql').ProcessCheckDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LevelFields on Level { id name thresholdMinor cashbackBp maxRedeemBp }\n"): typeof import('./graphql').LevelFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Levels {\n    levels { ...LevelFields }\n  }\n"): typeof import('./graphql').LevelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateLevel($input: LevelInput!) {\n    createLevel(input: $input) { ...LevelFields }\n  }\n"): typeof import('./graphql').CreateLevelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateLevel($id: ID!, $input: LevelInput!) {\n    updateLevel(id: $id, input: $input) { ...LevelFields }\n  }\n"): typeof import('./graphql').UpdateLevelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteLevel($id: ID!) {\n    deleteLevel(id: $id) { ...LevelFields }\n  }\n"): typeof import('./graphql').DeleteLevelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LoyaltySettings {\n    loyaltySettings { expiryDays spendBasis pointValueMinor holdTtlSeconds }\n  }\n"): typeof import('./graphql').LoyaltySettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateLoyaltySettings($input: LoyaltySettingsInput!) {\n    updateLoyaltySettings(input: $input) { expiryDays spendBasis pointValueMinor holdTtlSeconds }\n  }\n"): typeof import('./graphql').UpdateLoyaltySettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GuestName($id: ID!) {\n    guest(id: $id) { id name phone }\n  }\n"): typeof import('./graphql').GuestNameDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CheckProcessed($locationId: ID!) {\n    checkProcessed(locationId: $locationId) { ...ReceiptFields }\n  }\n"): typeof import('./graphql').CheckProcessedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GuestSignIn($tenantId: ID!, $initData: String!) {\n    guestSignIn(tenantId: $tenantId, initData: $initData) { token expiresAt created }\n  }\n"): typeof import('./graphql').GuestSignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MyCardFields on MyCard {\n    guest { id name cardCode qrPayload birthday marketingConsent }\n    account { balance held available }\n    level { id name cashbackBp }\n    nextLevel { id name thresholdMinor }\n    missingMinor\n    spendMinor\n    progressPercent\n  }\n"): typeof import('./graphql').MyCardFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyCard {\n    myCard { ...MyCardFields }\n  }\n"): typeof import('./graphql').MyCardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyLedger($last: Int, $before: String) {\n    myLedger(last: $last, before: $before) {\n      nodes { id kind amount createdAt reason }\n      pageInfo { hasPreviousPage startCursor }\n    }\n  }\n"): typeof import('./graphql').MyLedgerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMyGuestProfile($input: UpdateMyGuestProfileInput!) {\n    updateMyGuestProfile(input: $input) { ...MyCardFields }\n  }\n"): typeof import('./graphql').UpdateMyGuestProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MyCardUpdated {\n    myCardUpdated { guestId balance held available levelId }\n  }\n"): typeof import('./graphql').MyCardUpdatedDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
