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
    "\n  query Guests($query: String, $first: Int, $after: String) {\n    guests(query: $query, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        name\n        phone\n        cardCode\n        createdAt\n        lastVisitAt\n        account { guestId balance available }\n        level { id name }\n      }\n    }\n  }\n": typeof types.GuestsDocument,
    "\n  query Guest($id: ID!) {\n    guest(id: $id) { ...GuestCard }\n  }\n": typeof types.GuestDocument,
    "\n  query GuestMaxRedeemable($id: ID!, $totalMinor: Int!) {\n    guest(id: $id) {\n      id\n      maxRedeemable(totalMinor: $totalMinor)\n      account { guestId balance available held }\n    }\n  }\n": typeof types.GuestMaxRedeemableDocument,
    "\n  query GuestLedger($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    guest(id: $id) {\n      id\n      ledger(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n        nodes { id kind amount heldDelta balanceAfter checkId holdId reason actorId createdAt }\n      }\n    }\n  }\n": typeof types.GuestLedgerDocument,
    "\n  mutation CreateGuest($input: CreateGuestInput!) {\n    createGuest(input: $input) { ...GuestCard }\n  }\n": typeof types.CreateGuestDocument,
    "\n  mutation UpdateGuest($id: ID!, $input: UpdateGuestInput!) {\n    updateGuest(id: $id, input: $input) { ...GuestCard }\n  }\n": typeof types.UpdateGuestDocument,
    "\n  mutation AdjustPoints($guestId: ID!, $points: Int!, $reason: String!, $idempotencyKey: String) {\n    adjustPoints(guestId: $guestId, points: $points, reason: $reason, idempotencyKey: $idempotencyKey) {\n      guestId\n      balance\n      available\n      held\n    }\n  }\n": typeof types.AdjustPointsDocument,
    "\n  fragment ReceiptFields on Receipt {\n    checkId\n    guestId\n    locationId\n    externalId\n    totalMinor\n    currency\n    redeemed\n    redeemedValueMinor\n    earned\n    rules { code description points promotionId status }\n    balance\n    available\n    levelBefore { id name }\n    levelAfter { id name }\n    processedAt\n  }\n": typeof types.ReceiptFieldsFragmentDoc,
    "\n  mutation ProcessCheck($input: ProcessCheckInput!) {\n    processCheck(input: $input) { ...ReceiptFields }\n  }\n": typeof types.ProcessCheckDocument,
    "\n  fragment LevelFields on Level { id name thresholdMinor cashbackBp maxRedeemBp }\n": typeof types.LevelFieldsFragmentDoc,
    "\n  query Levels {\n    levels { ...LevelFields }\n  }\n": typeof types.LevelsDocument,
    "\n  mutation CreateLevel($input: LevelInput!) {\n    createLevel(input: $input) { ...LevelFields }\n  }\n": typeof types.CreateLevelDocument,
    "\n  mutation UpdateLevel($id: ID!, $input: LevelInput!) {\n    updateLevel(id: $id, input: $input) { ...LevelFields }\n  }\n": typeof types.UpdateLevelDocument,
    "\n  mutation DeleteLevel($id: ID!) {\n    deleteLevel(id: $id) { ...LevelFields }\n  }\n": typeof types.DeleteLevelDocument,
    "\n  query LoyaltySettings {\n    loyaltySettings { expiryDays spendBasis pointValueMinor holdTtlSeconds utcOffsetMinutes }\n  }\n": typeof types.LoyaltySettingsDocument,
    "\n  mutation UpdateLoyaltySettings($input: LoyaltySettingsInput!) {\n    updateLoyaltySettings(input: $input) { expiryDays spendBasis pointValueMinor holdTtlSeconds utcOffsetMinutes }\n  }\n": typeof types.UpdateLoyaltySettingsDocument,
    "\n  fragment PromotionRuleFields on PromotionRule {\n    __typename\n    ... on WelcomeRule { points }\n    ... on BirthdayRule { points daysBefore daysAfter }\n    ... on MultiplierRule { factorPercent weekdays hours { from to } locationIds }\n    ... on ReferralRule { referrerPoints refereePoints }\n  }\n": typeof types.PromotionRuleFieldsFragmentDoc,
    "\n  fragment PromotionFields on Promotion {\n    id\n    name\n    kind\n    rule { ...PromotionRuleFields }\n    startsOn\n    endsOn\n    budget\n    budgetExhaustedAt\n    archived\n    createdAt\n    granted\n    remainingBudget\n  }\n": typeof types.PromotionFieldsFragmentDoc,
    "\n  query Promotions($includeArchived: Boolean!) {\n    promotions(includeArchived: $includeArchived) { ...PromotionFields }\n  }\n": typeof types.PromotionsDocument,
    "\n  mutation CreatePromotion($input: PromotionInput!) {\n    createPromotion(input: $input) { ...PromotionFields }\n  }\n": typeof types.CreatePromotionDocument,
    "\n  mutation UpdatePromotion($id: ID!, $input: PromotionInput!) {\n    updatePromotion(id: $id, input: $input) { ...PromotionFields }\n  }\n": typeof types.UpdatePromotionDocument,
    "\n  mutation ArchivePromotion($id: ID!) {\n    archivePromotion(id: $id) { ...PromotionFields }\n  }\n": typeof types.ArchivePromotionDocument,
    "\n  query GuestName($id: ID!) {\n    guest(id: $id) { id name phone }\n  }\n": typeof types.GuestNameDocument,
    "\n  subscription CheckProcessed($locationId: ID!) {\n    checkProcessed(locationId: $locationId) { ...ReceiptFields }\n  }\n": typeof types.CheckProcessedDocument,
    "\n  subscription GuestUpdated($guestId: ID!) {\n    guestUpdated(guestId: $guestId) { guestId balance held available levelId }\n  }\n": typeof types.GuestUpdatedDocument,
    "\n  query GuestCount {\n    guests(first: 1) { totalCount }\n  }\n": typeof types.GuestCountDocument,
    "\n  mutation GuestSignIn($tenantId: ID!, $initData: String!) {\n    guestSignIn(tenantId: $tenantId, initData: $initData) { token expiresAt created }\n  }\n": typeof types.GuestSignInDocument,
    "\n  fragment MyCardFields on MyCard {\n    guest { id name phone email cardCode qrPayload birthday marketingConsent }\n    account { balance held available }\n    level { id name cashbackBp }\n    nextLevel { id name thresholdMinor }\n    missingMinor\n    spendMinor\n    progressPercent\n  }\n": typeof types.MyCardFieldsFragmentDoc,
    "\n  query MyCard {\n    myCard { ...MyCardFields }\n  }\n": typeof types.MyCardDocument,
    "\n  query MyLedger($last: Int, $before: String) {\n    myLedger(last: $last, before: $before) {\n      nodes { id kind amount createdAt reason }\n      pageInfo { hasPreviousPage startCursor }\n    }\n  }\n": typeof types.MyLedgerDocument,
    "\n  mutation UpdateMyGuestProfile($input: UpdateMyGuestProfileInput!) {\n    updateMyGuestProfile(input: $input) { ...MyCardFields }\n  }\n": typeof types.UpdateMyGuestProfileDocument,
    "\n  subscription MyCardUpdated {\n    myCardUpdated { guestId balance held available levelId }\n  }\n": typeof types.MyCardUpdatedDocument,
    "\n  query MyPromotions {\n    myPromotions {\n      id\n      name\n      kind\n      rule { ...PromotionRuleFields }\n      startsOn\n      endsOn\n      windowStartsOn\n      windowEndsOn\n      granted\n    }\n  }\n": typeof types.MyPromotionsDocument,
    "\n  fragment IntegrationFields on Integration {\n    id\n    kind\n    name\n    locationId\n    active\n    endpointUrl\n    secretRotatedAt\n    previousSecretValidUntil\n    createdAt\n    iikoApiLoginSet\n  }\n": typeof types.IntegrationFieldsFragmentDoc,
    "\n  query Integrations {\n    integrations { ...IntegrationFields }\n  }\n": typeof types.IntegrationsDocument,
    "\n  mutation CreateIntegration($input: CreateIntegrationInput!) {\n    createIntegration(input: $input) { secret integration { ...IntegrationFields } }\n  }\n": typeof types.CreateIntegrationDocument,
    "\n  mutation RotateIntegrationSecret($id: ID!) {\n    rotateIntegrationSecret(id: $id) { secret integration { ...IntegrationFields } }\n  }\n": typeof types.RotateIntegrationSecretDocument,
    "\n  mutation SetIikoApiLogin($id: ID!, $apiLogin: String) {\n    setIikoApiLogin(id: $id, apiLogin: $apiLogin) { ...IntegrationFields }\n  }\n": typeof types.SetIikoApiLoginDocument,
    "\n  mutation DisableIntegration($id: ID!) {\n    disableIntegration(id: $id) { ...IntegrationFields }\n  }\n": typeof types.DisableIntegrationDocument,
    "\n  mutation EnableIntegration($id: ID!) {\n    enableIntegration(id: $id) { ...IntegrationFields }\n  }\n": typeof types.EnableIntegrationDocument,
    "\n  fragment InboundEventFields on InboundEvent {\n    id\n    kind\n    externalId\n    status\n    error\n    checkId\n    payload\n    receivedAt\n    processedAt\n  }\n": typeof types.InboundEventFieldsFragmentDoc,
    "\n  query IntegrationEvents($integrationId: ID!, $statuses: [InboundEventStatus!], $first: Int, $after: String, $last: Int, $before: String) {\n    integrationEvents(integrationId: $integrationId, statuses: $statuses, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { ...InboundEventFields }\n    }\n  }\n": typeof types.IntegrationEventsDocument,
    "\n  mutation ReprocessIntegrationEvent($id: ID!) {\n    reprocessIntegrationEvent(id: $id) { ...InboundEventFields }\n  }\n": typeof types.ReprocessIntegrationEventDocument,
    "\n  query JobQueueStats {\n    jobQueueStats { queued running dead oldestQueuedAgeSeconds }\n  }\n": typeof types.JobQueueStatsDocument,
    "\n  query DeadJobs($first: Int, $after: String, $last: Int, $before: String) {\n    deadJobs(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { id kind payload status priority attempts maxAttempts lastError runAt createdAt updatedAt }\n    }\n  }\n": typeof types.DeadJobsDocument,
    "\n  mutation RedriveJob($id: ID!) {\n    redriveJob(id: $id) { id kind payload status priority attempts maxAttempts lastError runAt createdAt updatedAt }\n  }\n": typeof types.RedriveJobDocument,
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    createdBy\n    createdAt\n    lastUsedAt\n    revokedAt\n    active\n  }\n": typeof types.ApiKeyFieldsFragmentDoc,
    "\n  query ApiKeys {\n    apiKeys { ...ApiKeyFields }\n  }\n": typeof types.ApiKeysDocument,
    "\n  mutation CreateApiKey($name: String!, $scopes: [String!]!) {\n    createApiKey(name: $name, scopes: $scopes) { key apiKey { ...ApiKeyFields } }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { ...ApiKeyFields }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  fragment WebhookEndpointFields on WebhookEndpoint {\n    id\n    url\n    description\n    eventTypes\n    enabled\n    disabledReason\n    disabledAt\n    failingSince\n    secretRotatedAt\n    previousSecretExpiresAt\n    createdAt\n    updatedAt\n  }\n": typeof types.WebhookEndpointFieldsFragmentDoc,
    "\n  query WebhookEndpoints {\n    webhookEndpoints { ...WebhookEndpointFields }\n    webhookEventTypes\n  }\n": typeof types.WebhookEndpointsDocument,
    "\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) { secret endpoint { ...WebhookEndpointFields } }\n  }\n": typeof types.CreateWebhookEndpointDocument,
    "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) { secret endpoint { ...WebhookEndpointFields } }\n  }\n": typeof types.RotateWebhookSecretDocument,
    "\n  mutation DisableWebhookEndpoint($id: ID!) {\n    disableWebhookEndpoint(id: $id) { ...WebhookEndpointFields }\n  }\n": typeof types.DisableWebhookEndpointDocument,
    "\n  mutation EnableWebhookEndpoint($id: ID!) {\n    enableWebhookEndpoint(id: $id) { ...WebhookEndpointFields }\n  }\n": typeof types.EnableWebhookEndpointDocument,
    "\n  fragment WebhookDeliveryFields on WebhookDelivery {\n    id\n    endpointId\n    eventId\n    eventType\n    status\n    attemptCount\n    lastStatusCode\n    lastError\n    nextAttemptAt\n    createdAt\n    updatedAt\n    attempts { number attemptedAt statusCode latencyMs responseExcerpt error }\n  }\n": typeof types.WebhookDeliveryFieldsFragmentDoc,
    "\n  query WebhookDeliveries($endpointId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { ...WebhookDeliveryFields }\n    }\n  }\n": typeof types.WebhookDeliveriesDocument,
    "\n  mutation RedeliverWebhook($deliveryId: ID) {\n    redeliverWebhook(deliveryId: $deliveryId) { ...WebhookDeliveryFields }\n  }\n": typeof types.RedeliverWebhookDocument,
    "\n  mutation SendTestWebhook($endpointId: ID!) {\n    sendTestWebhook(endpointId: $endpointId) { ...WebhookDeliveryFields }\n  }\n": typeof types.SendTestWebhookDocument,
    "\n  mutation LinkMyPhone($contactData: String!) {\n    linkMyPhone(contactData: $contactData) { token expiresAt created }\n  }\n": typeof types.LinkMyPhoneDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword)\n  }\n": typeof types.ResetPasswordDocument,
    "\n  fragment NotificationFields on Notification { id kind title body data createdAt readAt }\n": typeof types.NotificationFieldsFragmentDoc,
    "\n  query Notifications($last: Int, $before: String, $unreadOnly: Boolean) {\n    notifications(last: $last, before: $before, unreadOnly: $unreadOnly) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { ...NotificationFields }\n    }\n  }\n": typeof types.NotificationsDocument,
    "\n  query UnreadNotificationCount {\n    unreadNotificationCount\n  }\n": typeof types.UnreadNotificationCountDocument,
    "\n  mutation MarkNotificationsRead($ids: [ID!], $all: Boolean) {\n    markNotificationsRead(ids: $ids, all: $all)\n  }\n": typeof types.MarkNotificationsReadDocument,
    "\n  query NotificationPreferences {\n    notificationPreferences { inApp email telegram }\n  }\n": typeof types.NotificationPreferencesDocument,
    "\n  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) { inApp email telegram }\n  }\n": typeof types.UpdateNotificationPreferencesDocument,
    "\n  subscription NotificationReceived {\n    notificationReceived { ...NotificationFields }\n  }\n": typeof types.NotificationReceivedDocument,
    "\n  subscription IntegrationEventFailed {\n    integrationEventFailed { integrationId eventId error }\n  }\n": typeof types.IntegrationEventFailedDocument,
    "\n  query MyNotifications($last: Int, $before: String) {\n    myNotifications(last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { ...NotificationFields }\n    }\n    myUnreadNotificationCount\n  }\n": typeof types.MyNotificationsDocument,
    "\n  mutation MarkMyNotificationsRead($ids: [ID!], $all: Boolean) {\n    markMyNotificationsRead(ids: $ids, all: $all)\n  }\n": typeof types.MarkMyNotificationsReadDocument,
    "\n  query MyNotificationPreferences {\n    myNotificationPreferences { inApp email telegram }\n  }\n": typeof types.MyNotificationPreferencesDocument,
    "\n  mutation SetMyNotificationLanguage($language: Locale!) {\n    setMyNotificationLanguage(language: $language)\n  }\n": typeof types.SetMyNotificationLanguageDocument,
    "\n  mutation UpdateMyNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateMyNotificationPreferences(input: $input) { inApp email telegram }\n  }\n": typeof types.UpdateMyNotificationPreferencesDocument,
    "\n  subscription MyNotificationReceived {\n    myNotificationReceived { ...NotificationFields }\n  }\n": typeof types.MyNotificationReceivedDocument,
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
    "\n  query Guests($query: String, $first: Int, $after: String) {\n    guests(query: $query, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        name\n        phone\n        cardCode\n        createdAt\n        lastVisitAt\n        account { guestId balance available }\n        level { id name }\n      }\n    }\n  }\n": types.GuestsDocument,
    "\n  query Guest($id: ID!) {\n    guest(id: $id) { ...GuestCard }\n  }\n": types.GuestDocument,
    "\n  query GuestMaxRedeemable($id: ID!, $totalMinor: Int!) {\n    guest(id: $id) {\n      id\n      maxRedeemable(totalMinor: $totalMinor)\n      account { guestId balance available held }\n    }\n  }\n": types.GuestMaxRedeemableDocument,
    "\n  query GuestLedger($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    guest(id: $id) {\n      id\n      ledger(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n        nodes { id kind amount heldDelta balanceAfter checkId holdId reason actorId createdAt }\n      }\n    }\n  }\n": types.GuestLedgerDocument,
    "\n  mutation CreateGuest($input: CreateGuestInput!) {\n    createGuest(input: $input) { ...GuestCard }\n  }\n": types.CreateGuestDocument,
    "\n  mutation UpdateGuest($id: ID!, $input: UpdateGuestInput!) {\n    updateGuest(id: $id, input: $input) { ...GuestCard }\n  }\n": types.UpdateGuestDocument,
    "\n  mutation AdjustPoints($guestId: ID!, $points: Int!, $reason: String!, $idempotencyKey: String) {\n    adjustPoints(guestId: $guestId, points: $points, reason: $reason, idempotencyKey: $idempotencyKey) {\n      guestId\n      balance\n      available\n      held\n    }\n  }\n": types.AdjustPointsDocument,
    "\n  fragment ReceiptFields on Receipt {\n    checkId\n    guestId\n    locationId\n    externalId\n    totalMinor\n    currency\n    redeemed\n    redeemedValueMinor\n    earned\n    rules { code description points promotionId status }\n    balance\n    available\n    levelBefore { id name }\n    levelAfter { id name }\n    processedAt\n  }\n": types.ReceiptFieldsFragmentDoc,
    "\n  mutation ProcessCheck($input: ProcessCheckInput!) {\n    processCheck(input: $input) { ...ReceiptFields }\n  }\n": types.ProcessCheckDocument,
    "\n  fragment LevelFields on Level { id name thresholdMinor cashbackBp maxRedeemBp }\n": types.LevelFieldsFragmentDoc,
    "\n  query Levels {\n    levels { ...LevelFields }\n  }\n": types.LevelsDocument,
    "\n  mutation CreateLevel($input: LevelInput!) {\n    createLevel(input: $input) { ...LevelFields }\n  }\n": types.CreateLevelDocument,
    "\n  mutation UpdateLevel($id: ID!, $input: LevelInput!) {\n    updateLevel(id: $id, input: $input) { ...LevelFields }\n  }\n": types.UpdateLevelDocument,
    "\n  mutation DeleteLevel($id: ID!) {\n    deleteLevel(id: $id) { ...LevelFields }\n  }\n": types.DeleteLevelDocument,
    "\n  query LoyaltySettings {\n    loyaltySettings { expiryDays spendBasis pointValueMinor holdTtlSeconds utcOffsetMinutes }\n  }\n": types.LoyaltySettingsDocument,
    "\n  mutation UpdateLoyaltySettings($input: LoyaltySettingsInput!) {\n    updateLoyaltySettings(input: $input) { expiryDays spendBasis pointValueMinor holdTtlSeconds utcOffsetMinutes }\n  }\n": types.UpdateLoyaltySettingsDocument,
    "\n  fragment PromotionRuleFields on PromotionRule {\n    __typename\n    ... on WelcomeRule { points }\n    ... on BirthdayRule { points daysBefore daysAfter }\n    ... on MultiplierRule { factorPercent weekdays hours { from to } locationIds }\n    ... on ReferralRule { referrerPoints refereePoints }\n  }\n": types.PromotionRuleFieldsFragmentDoc,
    "\n  fragment PromotionFields on Promotion {\n    id\n    name\n    kind\n    rule { ...PromotionRuleFields }\n    startsOn\n    endsOn\n    budget\n    budgetExhaustedAt\n    archived\n    createdAt\n    granted\n    remainingBudget\n  }\n": types.PromotionFieldsFragmentDoc,
    "\n  query Promotions($includeArchived: Boolean!) {\n    promotions(includeArchived: $includeArchived) { ...PromotionFields }\n  }\n": types.PromotionsDocument,
    "\n  mutation CreatePromotion($input: PromotionInput!) {\n    createPromotion(input: $input) { ...PromotionFields }\n  }\n": types.CreatePromotionDocument,
    "\n  mutation UpdatePromotion($id: ID!, $input: PromotionInput!) {\n    updatePromotion(id: $id, input: $input) { ...PromotionFields }\n  }\n": types.UpdatePromotionDocument,
    "\n  mutation ArchivePromotion($id: ID!) {\n    archivePromotion(id: $id) { ...PromotionFields }\n  }\n": types.ArchivePromotionDocument,
    "\n  query GuestName($id: ID!) {\n    guest(id: $id) { id name phone }\n  }\n": types.GuestNameDocument,
    "\n  subscription CheckProcessed($locationId: ID!) {\n    checkProcessed(locationId: $locationId) { ...ReceiptFields }\n  }\n": types.CheckProcessedDocument,
    "\n  subscription GuestUpdated($guestId: ID!) {\n    guestUpdated(guestId: $guestId) { guestId balance held available levelId }\n  }\n": types.GuestUpdatedDocument,
    "\n  query GuestCount {\n    guests(first: 1) { totalCount }\n  }\n": types.GuestCountDocument,
    "\n  mutation GuestSignIn($tenantId: ID!, $initData: String!) {\n    guestSignIn(tenantId: $tenantId, initData: $initData) { token expiresAt created }\n  }\n": types.GuestSignInDocument,
    "\n  fragment MyCardFields on MyCard {\n    guest { id name phone email cardCode qrPayload birthday marketingConsent }\n    account { balance held available }\n    level { id name cashbackBp }\n    nextLevel { id name thresholdMinor }\n    missingMinor\n    spendMinor\n    progressPercent\n  }\n": types.MyCardFieldsFragmentDoc,
    "\n  query MyCard {\n    myCard { ...MyCardFields }\n  }\n": types.MyCardDocument,
    "\n  query MyLedger($last: Int, $before: String) {\n    myLedger(last: $last, before: $before) {\n      nodes { id kind amount createdAt reason }\n      pageInfo { hasPreviousPage startCursor }\n    }\n  }\n": types.MyLedgerDocument,
    "\n  mutation UpdateMyGuestProfile($input: UpdateMyGuestProfileInput!) {\n    updateMyGuestProfile(input: $input) { ...MyCardFields }\n  }\n": types.UpdateMyGuestProfileDocument,
    "\n  subscription MyCardUpdated {\n    myCardUpdated { guestId balance held available levelId }\n  }\n": types.MyCardUpdatedDocument,
    "\n  query MyPromotions {\n    myPromotions {\n      id\n      name\n      kind\n      rule { ...PromotionRuleFields }\n      startsOn\n      endsOn\n      windowStartsOn\n      windowEndsOn\n      granted\n    }\n  }\n": types.MyPromotionsDocument,
    "\n  fragment IntegrationFields on Integration {\n    id\n    kind\n    name\n    locationId\n    active\n    endpointUrl\n    secretRotatedAt\n    previousSecretValidUntil\n    createdAt\n    iikoApiLoginSet\n  }\n": types.IntegrationFieldsFragmentDoc,
    "\n  query Integrations {\n    integrations { ...IntegrationFields }\n  }\n": types.IntegrationsDocument,
    "\n  mutation CreateIntegration($input: CreateIntegrationInput!) {\n    createIntegration(input: $input) { secret integration { ...IntegrationFields } }\n  }\n": types.CreateIntegrationDocument,
    "\n  mutation RotateIntegrationSecret($id: ID!) {\n    rotateIntegrationSecret(id: $id) { secret integration { ...IntegrationFields } }\n  }\n": types.RotateIntegrationSecretDocument,
    "\n  mutation SetIikoApiLogin($id: ID!, $apiLogin: String) {\n    setIikoApiLogin(id: $id, apiLogin: $apiLogin) { ...IntegrationFields }\n  }\n": types.SetIikoApiLoginDocument,
    "\n  mutation DisableIntegration($id: ID!) {\n    disableIntegration(id: $id) { ...IntegrationFields }\n  }\n": types.DisableIntegrationDocument,
    "\n  mutation EnableIntegration($id: ID!) {\n    enableIntegration(id: $id) { ...IntegrationFields }\n  }\n": types.EnableIntegrationDocument,
    "\n  fragment InboundEventFields on InboundEvent {\n    id\n    kind\n    externalId\n    status\n    error\n    checkId\n    payload\n    receivedAt\n    processedAt\n  }\n": types.InboundEventFieldsFragmentDoc,
    "\n  query IntegrationEvents($integrationId: ID!, $statuses: [InboundEventStatus!], $first: Int, $after: String, $last: Int, $before: String) {\n    integrationEvents(integrationId: $integrationId, statuses: $statuses, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { ...InboundEventFields }\n    }\n  }\n": types.IntegrationEventsDocument,
    "\n  mutation ReprocessIntegrationEvent($id: ID!) {\n    reprocessIntegrationEvent(id: $id) { ...InboundEventFields }\n  }\n": types.ReprocessIntegrationEventDocument,
    "\n  query JobQueueStats {\n    jobQueueStats { queued running dead oldestQueuedAgeSeconds }\n  }\n": types.JobQueueStatsDocument,
    "\n  query DeadJobs($first: Int, $after: String, $last: Int, $before: String) {\n    deadJobs(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { id kind payload status priority attempts maxAttempts lastError runAt createdAt updatedAt }\n    }\n  }\n": types.DeadJobsDocument,
    "\n  mutation RedriveJob($id: ID!) {\n    redriveJob(id: $id) { id kind payload status priority attempts maxAttempts lastError runAt createdAt updatedAt }\n  }\n": types.RedriveJobDocument,
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    createdBy\n    createdAt\n    lastUsedAt\n    revokedAt\n    active\n  }\n": types.ApiKeyFieldsFragmentDoc,
    "\n  query ApiKeys {\n    apiKeys { ...ApiKeyFields }\n  }\n": types.ApiKeysDocument,
    "\n  mutation CreateApiKey($name: String!, $scopes: [String!]!) {\n    createApiKey(name: $name, scopes: $scopes) { key apiKey { ...ApiKeyFields } }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { ...ApiKeyFields }\n  }\n": types.RevokeApiKeyDocument,
    "\n  fragment WebhookEndpointFields on WebhookEndpoint {\n    id\n    url\n    description\n    eventTypes\n    enabled\n    disabledReason\n    disabledAt\n    failingSince\n    secretRotatedAt\n    previousSecretExpiresAt\n    createdAt\n    updatedAt\n  }\n": types.WebhookEndpointFieldsFragmentDoc,
    "\n  query WebhookEndpoints {\n    webhookEndpoints { ...WebhookEndpointFields }\n    webhookEventTypes\n  }\n": types.WebhookEndpointsDocument,
    "\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) { secret endpoint { ...WebhookEndpointFields } }\n  }\n": types.CreateWebhookEndpointDocument,
    "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) { secret endpoint { ...WebhookEndpointFields } }\n  }\n": types.RotateWebhookSecretDocument,
    "\n  mutation DisableWebhookEndpoint($id: ID!) {\n    disableWebhookEndpoint(id: $id) { ...WebhookEndpointFields }\n  }\n": types.DisableWebhookEndpointDocument,
    "\n  mutation EnableWebhookEndpoint($id: ID!) {\n    enableWebhookEndpoint(id: $id) { ...WebhookEndpointFields }\n  }\n": types.EnableWebhookEndpointDocument,
    "\n  fragment WebhookDeliveryFields on WebhookDelivery {\n    id\n    endpointId\n    eventId\n    eventType\n    status\n    attemptCount\n    lastStatusCode\n    lastError\n    nextAttemptAt\n    createdAt\n    updatedAt\n    attempts { number attemptedAt statusCode latencyMs responseExcerpt error }\n  }\n": types.WebhookDeliveryFieldsFragmentDoc,
    "\n  query WebhookDeliveries($endpointId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { ...WebhookDeliveryFields }\n    }\n  }\n": types.WebhookDeliveriesDocument,
    "\n  mutation RedeliverWebhook($deliveryId: ID) {\n    redeliverWebhook(deliveryId: $deliveryId) { ...WebhookDeliveryFields }\n  }\n": types.RedeliverWebhookDocument,
    "\n  mutation SendTestWebhook($endpointId: ID!) {\n    sendTestWebhook(endpointId: $endpointId) { ...WebhookDeliveryFields }\n  }\n": types.SendTestWebhookDocument,
    "\n  mutation LinkMyPhone($contactData: String!) {\n    linkMyPhone(contactData: $contactData) { token expiresAt created }\n  }\n": types.LinkMyPhoneDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword)\n  }\n": types.ResetPasswordDocument,
    "\n  fragment NotificationFields on Notification { id kind title body data createdAt readAt }\n": types.NotificationFieldsFragmentDoc,
    "\n  query Notifications($last: Int, $before: String, $unreadOnly: Boolean) {\n    notifications(last: $last, before: $before, unreadOnly: $unreadOnly) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { ...NotificationFields }\n    }\n  }\n": types.NotificationsDocument,
    "\n  query UnreadNotificationCount {\n    unreadNotificationCount\n  }\n": types.UnreadNotificationCountDocument,
    "\n  mutation MarkNotificationsRead($ids: [ID!], $all: Boolean) {\n    markNotificationsRead(ids: $ids, all: $all)\n  }\n": types.MarkNotificationsReadDocument,
    "\n  query NotificationPreferences {\n    notificationPreferences { inApp email telegram }\n  }\n": types.NotificationPreferencesDocument,
    "\n  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) { inApp email telegram }\n  }\n": types.UpdateNotificationPreferencesDocument,
    "\n  subscription NotificationReceived {\n    notificationReceived { ...NotificationFields }\n  }\n": types.NotificationReceivedDocument,
    "\n  subscription IntegrationEventFailed {\n    integrationEventFailed { integrationId eventId error }\n  }\n": types.IntegrationEventFailedDocument,
    "\n  query MyNotifications($last: Int, $before: String) {\n    myNotifications(last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { ...NotificationFields }\n    }\n    myUnreadNotificationCount\n  }\n": types.MyNotificationsDocument,
    "\n  mutation MarkMyNotificationsRead($ids: [ID!], $all: Boolean) {\n    markMyNotificationsRead(ids: $ids, all: $all)\n  }\n": types.MarkMyNotificationsReadDocument,
    "\n  query MyNotificationPreferences {\n    myNotificationPreferences { inApp email telegram }\n  }\n": types.MyNotificationPreferencesDocument,
    "\n  mutation SetMyNotificationLanguage($language: Locale!) {\n    setMyNotificationLanguage(language: $language)\n  }\n": types.SetMyNotificationLanguageDocument,
    "\n  mutation UpdateMyNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateMyNotificationPreferences(input: $input) { inApp email telegram }\n  }\n": types.UpdateMyNotificationPreferencesDocument,
    "\n  subscription MyNotificationReceived {\n    myNotificationReceived { ...NotificationFields }\n  }\n": types.MyNotificationReceivedDocument,
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
export function graphql(source: "\n  query Guests($query: String, $first: Int, $after: String) {\n    guests(query: $query, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        name\n        phone\n        cardCode\n        createdAt\n        lastVisitAt\n        account { guestId balance available }\n        level { id name }\n      }\n    }\n  }\n"): typeof import('./graphql').GuestsDocument;
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
export function graphql(source: "\n  fragment ReceiptFields on Receipt {\n    checkId\n    guestId\n    locationId\n    externalId\n    totalMinor\n    currency\n    redeemed\n    redeemedValueMinor\n    earned\n    rules { code description points promotionId status }\n    balance\n    available\n    levelBefore { id name }\n    levelAfter { id name }\n    processedAt\n  }\n"): typeof import('./graphql').ReceiptFieldsFragmentDoc;
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
export function graphql(source: "\n  query LoyaltySettings {\n    loyaltySettings { expiryDays spendBasis pointValueMinor holdTtlSeconds utcOffsetMinutes }\n  }\n"): typeof import('./graphql').LoyaltySettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateLoyaltySettings($input: LoyaltySettingsInput!) {\n    updateLoyaltySettings(input: $input) { expiryDays spendBasis pointValueMinor holdTtlSeconds utcOffsetMinutes }\n  }\n"): typeof import('./graphql').UpdateLoyaltySettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PromotionRuleFields on PromotionRule {\n    __typename\n    ... on WelcomeRule { points }\n    ... on BirthdayRule { points daysBefore daysAfter }\n    ... on MultiplierRule { factorPercent weekdays hours { from to } locationIds }\n    ... on ReferralRule { referrerPoints refereePoints }\n  }\n"): typeof import('./graphql').PromotionRuleFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PromotionFields on Promotion {\n    id\n    name\n    kind\n    rule { ...PromotionRuleFields }\n    startsOn\n    endsOn\n    budget\n    budgetExhaustedAt\n    archived\n    createdAt\n    granted\n    remainingBudget\n  }\n"): typeof import('./graphql').PromotionFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Promotions($includeArchived: Boolean!) {\n    promotions(includeArchived: $includeArchived) { ...PromotionFields }\n  }\n"): typeof import('./graphql').PromotionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePromotion($input: PromotionInput!) {\n    createPromotion(input: $input) { ...PromotionFields }\n  }\n"): typeof import('./graphql').CreatePromotionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdatePromotion($id: ID!, $input: PromotionInput!) {\n    updatePromotion(id: $id, input: $input) { ...PromotionFields }\n  }\n"): typeof import('./graphql').UpdatePromotionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ArchivePromotion($id: ID!) {\n    archivePromotion(id: $id) { ...PromotionFields }\n  }\n"): typeof import('./graphql').ArchivePromotionDocument;
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
export function graphql(source: "\n  subscription GuestUpdated($guestId: ID!) {\n    guestUpdated(guestId: $guestId) { guestId balance held available levelId }\n  }\n"): typeof import('./graphql').GuestUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GuestCount {\n    guests(first: 1) { totalCount }\n  }\n"): typeof import('./graphql').GuestCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GuestSignIn($tenantId: ID!, $initData: String!) {\n    guestSignIn(tenantId: $tenantId, initData: $initData) { token expiresAt created }\n  }\n"): typeof import('./graphql').GuestSignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MyCardFields on MyCard {\n    guest { id name phone email cardCode qrPayload birthday marketingConsent }\n    account { balance held available }\n    level { id name cashbackBp }\n    nextLevel { id name thresholdMinor }\n    missingMinor\n    spendMinor\n    progressPercent\n  }\n"): typeof import('./graphql').MyCardFieldsFragmentDoc;
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
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyPromotions {\n    myPromotions {\n      id\n      name\n      kind\n      rule { ...PromotionRuleFields }\n      startsOn\n      endsOn\n      windowStartsOn\n      windowEndsOn\n      granted\n    }\n  }\n"): typeof import('./graphql').MyPromotionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment IntegrationFields on Integration {\n    id\n    kind\n    name\n    locationId\n    active\n    endpointUrl\n    secretRotatedAt\n    previousSecretValidUntil\n    createdAt\n    iikoApiLoginSet\n  }\n"): typeof import('./graphql').IntegrationFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Integrations {\n    integrations { ...IntegrationFields }\n  }\n"): typeof import('./graphql').IntegrationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateIntegration($input: CreateIntegrationInput!) {\n    createIntegration(input: $input) { secret integration { ...IntegrationFields } }\n  }\n"): typeof import('./graphql').CreateIntegrationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateIntegrationSecret($id: ID!) {\n    rotateIntegrationSecret(id: $id) { secret integration { ...IntegrationFields } }\n  }\n"): typeof import('./graphql').RotateIntegrationSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetIikoApiLogin($id: ID!, $apiLogin: String) {\n    setIikoApiLogin(id: $id, apiLogin: $apiLogin) { ...IntegrationFields }\n  }\n"): typeof import('./graphql').SetIikoApiLoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableIntegration($id: ID!) {\n    disableIntegration(id: $id) { ...IntegrationFields }\n  }\n"): typeof import('./graphql').DisableIntegrationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableIntegration($id: ID!) {\n    enableIntegration(id: $id) { ...IntegrationFields }\n  }\n"): typeof import('./graphql').EnableIntegrationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InboundEventFields on InboundEvent {\n    id\n    kind\n    externalId\n    status\n    error\n    checkId\n    payload\n    receivedAt\n    processedAt\n  }\n"): typeof import('./graphql').InboundEventFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IntegrationEvents($integrationId: ID!, $statuses: [InboundEventStatus!], $first: Int, $after: String, $last: Int, $before: String) {\n    integrationEvents(integrationId: $integrationId, statuses: $statuses, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { ...InboundEventFields }\n    }\n  }\n"): typeof import('./graphql').IntegrationEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReprocessIntegrationEvent($id: ID!) {\n    reprocessIntegrationEvent(id: $id) { ...InboundEventFields }\n  }\n"): typeof import('./graphql').ReprocessIntegrationEventDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobQueueStats {\n    jobQueueStats { queued running dead oldestQueuedAgeSeconds }\n  }\n"): typeof import('./graphql').JobQueueStatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeadJobs($first: Int, $after: String, $last: Int, $before: String) {\n    deadJobs(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { id kind payload status priority attempts maxAttempts lastError runAt createdAt updatedAt }\n    }\n  }\n"): typeof import('./graphql').DeadJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedriveJob($id: ID!) {\n    redriveJob(id: $id) { id kind payload status priority attempts maxAttempts lastError runAt createdAt updatedAt }\n  }\n"): typeof import('./graphql').RedriveJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    createdBy\n    createdAt\n    lastUsedAt\n    revokedAt\n    active\n  }\n"): typeof import('./graphql').ApiKeyFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys {\n    apiKeys { ...ApiKeyFields }\n  }\n"): typeof import('./graphql').ApiKeysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($name: String!, $scopes: [String!]!) {\n    createApiKey(name: $name, scopes: $scopes) { key apiKey { ...ApiKeyFields } }\n  }\n"): typeof import('./graphql').CreateApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { ...ApiKeyFields }\n  }\n"): typeof import('./graphql').RevokeApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WebhookEndpointFields on WebhookEndpoint {\n    id\n    url\n    description\n    eventTypes\n    enabled\n    disabledReason\n    disabledAt\n    failingSince\n    secretRotatedAt\n    previousSecretExpiresAt\n    createdAt\n    updatedAt\n  }\n"): typeof import('./graphql').WebhookEndpointFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookEndpoints {\n    webhookEndpoints { ...WebhookEndpointFields }\n    webhookEventTypes\n  }\n"): typeof import('./graphql').WebhookEndpointsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) { secret endpoint { ...WebhookEndpointFields } }\n  }\n"): typeof import('./graphql').CreateWebhookEndpointDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) { secret endpoint { ...WebhookEndpointFields } }\n  }\n"): typeof import('./graphql').RotateWebhookSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableWebhookEndpoint($id: ID!) {\n    disableWebhookEndpoint(id: $id) { ...WebhookEndpointFields }\n  }\n"): typeof import('./graphql').DisableWebhookEndpointDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableWebhookEndpoint($id: ID!) {\n    enableWebhookEndpoint(id: $id) { ...WebhookEndpointFields }\n  }\n"): typeof import('./graphql').EnableWebhookEndpointDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WebhookDeliveryFields on WebhookDelivery {\n    id\n    endpointId\n    eventId\n    eventType\n    status\n    attemptCount\n    lastStatusCode\n    lastError\n    nextAttemptAt\n    createdAt\n    updatedAt\n    attempts { number attemptedAt statusCode latencyMs responseExcerpt error }\n  }\n"): typeof import('./graphql').WebhookDeliveryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookDeliveries($endpointId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { ...WebhookDeliveryFields }\n    }\n  }\n"): typeof import('./graphql').WebhookDeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedeliverWebhook($deliveryId: ID) {\n    redeliverWebhook(deliveryId: $deliveryId) { ...WebhookDeliveryFields }\n  }\n"): typeof import('./graphql').RedeliverWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendTestWebhook($endpointId: ID!) {\n    sendTestWebhook(endpointId: $endpointId) { ...WebhookDeliveryFields }\n  }\n"): typeof import('./graphql').SendTestWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LinkMyPhone($contactData: String!) {\n    linkMyPhone(contactData: $contactData) { token expiresAt created }\n  }\n"): typeof import('./graphql').LinkMyPhoneDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"): typeof import('./graphql').RequestPasswordResetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword)\n  }\n"): typeof import('./graphql').ResetPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NotificationFields on Notification { id kind title body data createdAt readAt }\n"): typeof import('./graphql').NotificationFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Notifications($last: Int, $before: String, $unreadOnly: Boolean) {\n    notifications(last: $last, before: $before, unreadOnly: $unreadOnly) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { ...NotificationFields }\n    }\n  }\n"): typeof import('./graphql').NotificationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnreadNotificationCount {\n    unreadNotificationCount\n  }\n"): typeof import('./graphql').UnreadNotificationCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkNotificationsRead($ids: [ID!], $all: Boolean) {\n    markNotificationsRead(ids: $ids, all: $all)\n  }\n"): typeof import('./graphql').MarkNotificationsReadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotificationPreferences {\n    notificationPreferences { inApp email telegram }\n  }\n"): typeof import('./graphql').NotificationPreferencesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) { inApp email telegram }\n  }\n"): typeof import('./graphql').UpdateNotificationPreferencesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription NotificationReceived {\n    notificationReceived { ...NotificationFields }\n  }\n"): typeof import('./graphql').NotificationReceivedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription IntegrationEventFailed {\n    integrationEventFailed { integrationId eventId error }\n  }\n"): typeof import('./graphql').IntegrationEventFailedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyNotifications($last: Int, $before: String) {\n    myNotifications(last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }\n      nodes { ...NotificationFields }\n    }\n    myUnreadNotificationCount\n  }\n"): typeof import('./graphql').MyNotificationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkMyNotificationsRead($ids: [ID!], $all: Boolean) {\n    markMyNotificationsRead(ids: $ids, all: $all)\n  }\n"): typeof import('./graphql').MarkMyNotificationsReadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyNotificationPreferences {\n    myNotificationPreferences { inApp email telegram }\n  }\n"): typeof import('./graphql').MyNotificationPreferencesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetMyNotificationLanguage($language: Locale!) {\n    setMyNotificationLanguage(language: $language)\n  }\n"): typeof import('./graphql').SetMyNotificationLanguageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMyNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateMyNotificationPreferences(input: $input) { inApp email telegram }\n  }\n"): typeof import('./graphql').UpdateMyNotificationPreferencesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MyNotificationReceived {\n    myNotificationReceived { ...NotificationFields }\n  }\n"): typeof import('./graphql').MyNotificationReceivedDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
