import { graphql } from '../gql';

// Every operation the panel sends. `npm run codegen` turns these into typed
// documents (src/gql/), so results and variables are checked against ../schema.graphql.

export const MeFieldsFragment = graphql(`
  fragment MeFields on Me {
    user { id email displayName locale }
    tenant { id name currency createdAt }
    role
    permissions
  }
`);

export const AuthFieldsFragment = graphql(`
  fragment AuthFields on AuthPayload {
    accessToken
    accessTokenExpiresAt
    refreshToken
    refreshTokenExpiresAt
    me { ...MeFields }
  }
`);

// ---- session (public) ----

export const LoginDocument = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) { ...AuthFields }
  }
`);

export const SignUpDocument = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { ...AuthFields }
  }
`);

export const RefreshSessionDocument = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) { ...AuthFields }
  }
`);

export const LogoutDocument = graphql(`
  mutation Logout($refreshToken: String!) {
    logout(refreshToken: $refreshToken)
  }
`);

export const InvitationPreviewDocument = graphql(`
  query InvitationPreview($token: String!) {
    invitationPreview(token: $token) { email role tenantName expiresAt }
  }
`);

export const AcceptInvitationDocument = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) { ...AuthFields }
  }
`);

export const MeDocument = graphql(`
  query Me {
    me { ...MeFields }
  }
`);

// ---- own account (any signed-in role) ----

export const MyTenantsDocument = graphql(`
  query MyTenants {
    myTenants { tenant { id name currency } role current }
  }
`);

export const SwitchTenantDocument = graphql(`
  mutation SwitchTenant($tenantId: ID!) {
    switchTenant(tenantId: $tenantId) { ...AuthFields }
  }
`);

export const UpdateMyProfileDocument = graphql(`
  mutation UpdateMyProfile($input: UpdateMyProfileInput!) {
    updateMyProfile(input: $input) { id email displayName locale }
  }
`);

export const ChangePasswordDocument = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) { ...AuthFields }
  }
`);

// ---- staff ----

export const StaffDocument = graphql(`
  query Staff($first: Int, $after: String) {
    staff(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id email displayName role active joinedAt }
    }
  }
`);

export const InvitationsDocument = graphql(`
  query Invitations($first: Int, $after: String, $last: Int, $before: String) {
    invitations(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
      nodes { id email role status expiresAt createdAt }
    }
  }
`);

export const InviteStaffDocument = graphql(`
  mutation InviteStaff($input: InviteStaffInput!) {
    inviteStaff(input: $input) { id email role status expiresAt createdAt }
  }
`);

export const RevokeInvitationDocument = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id) { id email role status expiresAt createdAt }
  }
`);

export const ChangeStaffRoleDocument = graphql(`
  mutation ChangeStaffRole($id: ID!, $role: Role!) {
    changeStaffRole(id: $id, role: $role) { id email displayName role active joinedAt }
  }
`);

export const DeactivateStaffDocument = graphql(`
  mutation DeactivateStaff($id: ID!) {
    deactivateStaff(id: $id) { id email displayName role active joinedAt }
  }
`);

export const ReactivateStaffDocument = graphql(`
  mutation ReactivateStaff($id: ID!) {
    reactivateStaff(id: $id) { id email displayName role active joinedAt }
  }
`);

// ---- locations ----

export const LocationsDocument = graphql(`
  query Locations($first: Int, $after: String) {
    locations(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id name address timezone createdAt }
    }
  }
`);

export const CreateLocationDocument = graphql(`
  mutation CreateLocation($input: CreateLocationInput!) {
    createLocation(input: $input) { id name address timezone createdAt }
  }
`);

export const RenameLocationDocument = graphql(`
  mutation RenameLocation($id: ID!, $name: String!) {
    renameLocation(id: $id, name: $name) { id name address timezone createdAt }
  }
`);

// ---- roles ----

export const RolePermissionsDocument = graphql(`
  query RolePermissions {
    permissionCatalog { key description }
    rolePermissions { role permissions editable }
  }
`);

export const SetRolePermissionsDocument = graphql(`
  mutation SetRolePermissions($role: Role!, $permissions: [String!]!) {
    setRolePermissions(role: $role, permissions: $permissions) { role permissions editable }
  }
`);

// ---- audit ----

export const AuditLogDocument = graphql(`
  query AuditLog($first: Int, $after: String, $last: Int, $before: String, $action: String) {
    auditLog(first: $first, after: $after, last: $last, before: $before, action: $action) {
      totalCount
      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
      nodes { id at actorId actorEmail action targetType targetId ip details }
    }
  }
`);

// ---- guests ----

export const GuestCardFragment = graphql(`
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
    account { guestId balance available held }
    level { id name thresholdMinor cashbackBp maxRedeemBp }
    progress { spendMinor missingMinor next { id name thresholdMinor } }
  }
`);

export const GuestsDocument = graphql(`
  query Guests($query: String, $first: Int, $after: String) {
    guests(query: $query, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        name
        phone
        cardCode
        createdAt
        lastVisitAt
        account { guestId balance available }
        level { id name }
      }
    }
  }
`);

export const GuestDocument = graphql(`
  query Guest($id: ID!) {
    guest(id: $id) { ...GuestCard }
  }
`);

export const GuestMaxRedeemableDocument = graphql(`
  query GuestMaxRedeemable($id: ID!, $totalMinor: Int!) {
    guest(id: $id) {
      id
      maxRedeemable(totalMinor: $totalMinor)
      account { guestId balance available held }
    }
  }
`);

export const GuestLedgerDocument = graphql(`
  query GuestLedger($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    guest(id: $id) {
      id
      ledger(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
        nodes { id kind amount heldDelta balanceAfter checkId holdId reason actorId createdAt }
      }
    }
  }
`);

export const CreateGuestDocument = graphql(`
  mutation CreateGuest($input: CreateGuestInput!) {
    createGuest(input: $input) { ...GuestCard }
  }
`);

export const UpdateGuestDocument = graphql(`
  mutation UpdateGuest($id: ID!, $input: UpdateGuestInput!) {
    updateGuest(id: $id, input: $input) { ...GuestCard }
  }
`);

export const AdjustPointsDocument = graphql(`
  mutation AdjustPoints($guestId: ID!, $points: Int!, $reason: String!, $idempotencyKey: String) {
    adjustPoints(guestId: $guestId, points: $points, reason: $reason, idempotencyKey: $idempotencyKey) {
      guestId
      balance
      available
      held
    }
  }
`);

// ---- checks (cashier) ----

export const ReceiptFieldsFragment = graphql(`
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
    rules { code description points promotionId status }
    balance
    available
    levelBefore { id name }
    levelAfter { id name }
    processedAt
  }
`);

export const ProcessCheckDocument = graphql(`
  mutation ProcessCheck($input: ProcessCheckInput!) {
    processCheck(input: $input) { ...ReceiptFields }
  }
`);

// ---- loyalty configuration ----

export const LevelFieldsFragment = graphql(`
  fragment LevelFields on Level { id name thresholdMinor cashbackBp maxRedeemBp }
`);

export const LevelsDocument = graphql(`
  query Levels {
    levels { ...LevelFields }
  }
`);

export const CreateLevelDocument = graphql(`
  mutation CreateLevel($input: LevelInput!) {
    createLevel(input: $input) { ...LevelFields }
  }
`);

export const UpdateLevelDocument = graphql(`
  mutation UpdateLevel($id: ID!, $input: LevelInput!) {
    updateLevel(id: $id, input: $input) { ...LevelFields }
  }
`);

export const DeleteLevelDocument = graphql(`
  mutation DeleteLevel($id: ID!) {
    deleteLevel(id: $id) { ...LevelFields }
  }
`);

export const LoyaltySettingsDocument = graphql(`
  query LoyaltySettings {
    loyaltySettings { expiryDays spendBasis pointValueMinor holdTtlSeconds utcOffsetMinutes }
  }
`);

export const UpdateLoyaltySettingsDocument = graphql(`
  mutation UpdateLoyaltySettings($input: LoyaltySettingsInput!) {
    updateLoyaltySettings(input: $input) { expiryDays spendBasis pointValueMinor holdTtlSeconds utcOffsetMinutes }
  }
`);

// ---- promotions ----

export const PromotionRuleFieldsFragment = graphql(`
  fragment PromotionRuleFields on PromotionRule {
    __typename
    ... on WelcomeRule { points }
    ... on BirthdayRule { points daysBefore daysAfter }
    ... on MultiplierRule { factorPercent weekdays hours { from to } locationIds }
    ... on ReferralRule { referrerPoints refereePoints }
  }
`);

export const PromotionFieldsFragment = graphql(`
  fragment PromotionFields on Promotion {
    id
    name
    kind
    rule { ...PromotionRuleFields }
    startsOn
    endsOn
    budget
    budgetExhaustedAt
    archived
    createdAt
    granted
    remainingBudget
  }
`);

export const PromotionsDocument = graphql(`
  query Promotions($includeArchived: Boolean!) {
    promotions(includeArchived: $includeArchived) { ...PromotionFields }
  }
`);

export const CreatePromotionDocument = graphql(`
  mutation CreatePromotion($input: PromotionInput!) {
    createPromotion(input: $input) { ...PromotionFields }
  }
`);

export const UpdatePromotionDocument = graphql(`
  mutation UpdatePromotion($id: ID!, $input: PromotionInput!) {
    updatePromotion(id: $id, input: $input) { ...PromotionFields }
  }
`);

export const ArchivePromotionDocument = graphql(`
  mutation ArchivePromotion($id: ID!) {
    archivePromotion(id: $id) { ...PromotionFields }
  }
`);

export const GuestNameDocument = graphql(`
  query GuestName($id: ID!) {
    guest(id: $id) { id name phone }
  }
`);

// ---- subscriptions (one graphql-ws connection at /graphql/ws; see api/live.ts) ----

export const CheckProcessedDocument = graphql(`
  subscription CheckProcessed($locationId: ID!) {
    checkProcessed(locationId: $locationId) { ...ReceiptFields }
  }
`);

export const GuestUpdatedDocument = graphql(`
  subscription GuestUpdated($guestId: ID!) {
    guestUpdated(guestId: $guestId) { guestId balance held available levelId }
  }
`);

export const GuestCountDocument = graphql(`
  query GuestCount {
    guests(first: 1) { totalCount }
  }
`);

// ---- the guest's Mini App (guest token from guestSignIn) ----

export const GuestSignInDocument = graphql(`
  mutation GuestSignIn($tenantId: ID!, $initData: String!) {
    guestSignIn(tenantId: $tenantId, initData: $initData) { token expiresAt created }
  }
`);

export const MyCardFieldsFragment = graphql(`
  fragment MyCardFields on MyCard {
    guest { id name phone email cardCode qrPayload birthday marketingConsent }
    account { balance held available }
    level { id name cashbackBp }
    nextLevel { id name thresholdMinor }
    missingMinor
    spendMinor
    progressPercent
  }
`);

export const MyCardDocument = graphql(`
  query MyCard {
    myCard { ...MyCardFields }
  }
`);

export const MyLedgerDocument = graphql(`
  query MyLedger($last: Int, $before: String) {
    myLedger(last: $last, before: $before) {
      nodes { id kind amount createdAt reason }
      pageInfo { hasPreviousPage startCursor }
    }
  }
`);

export const UpdateMyGuestProfileDocument = graphql(`
  mutation UpdateMyGuestProfile($input: UpdateMyGuestProfileInput!) {
    updateMyGuestProfile(input: $input) { ...MyCardFields }
  }
`);

export const MyCardUpdatedDocument = graphql(`
  subscription MyCardUpdated {
    myCardUpdated { guestId balance held available levelId }
  }
`);

export const MyPromotionsDocument = graphql(`
  query MyPromotions {
    myPromotions {
      id
      name
      kind
      rule { ...PromotionRuleFields }
      startsOn
      endsOn
      windowStartsOn
      windowEndsOn
      granted
    }
  }
`);

// ---- integrations (integrations:manage) ----

export const IntegrationFieldsFragment = graphql(`
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
`);

export const IntegrationsDocument = graphql(`
  query Integrations {
    integrations { ...IntegrationFields }
  }
`);

export const CreateIntegrationDocument = graphql(`
  mutation CreateIntegration($input: CreateIntegrationInput!) {
    createIntegration(input: $input) { secret integration { ...IntegrationFields } }
  }
`);

export const RotateIntegrationSecretDocument = graphql(`
  mutation RotateIntegrationSecret($id: ID!) {
    rotateIntegrationSecret(id: $id) { secret integration { ...IntegrationFields } }
  }
`);

export const SetIikoApiLoginDocument = graphql(`
  mutation SetIikoApiLogin($id: ID!, $apiLogin: String) {
    setIikoApiLogin(id: $id, apiLogin: $apiLogin) { ...IntegrationFields }
  }
`);

export const DisableIntegrationDocument = graphql(`
  mutation DisableIntegration($id: ID!) {
    disableIntegration(id: $id) { ...IntegrationFields }
  }
`);

export const EnableIntegrationDocument = graphql(`
  mutation EnableIntegration($id: ID!) {
    enableIntegration(id: $id) { ...IntegrationFields }
  }
`);

export const InboundEventFieldsFragment = graphql(`
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
`);

export const IntegrationEventsDocument = graphql(`
  query IntegrationEvents($integrationId: ID!, $statuses: [InboundEventStatus!], $first: Int, $after: String, $last: Int, $before: String) {
    integrationEvents(integrationId: $integrationId, statuses: $statuses, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
      nodes { ...InboundEventFields }
    }
  }
`);

export const ReprocessIntegrationEventDocument = graphql(`
  mutation ReprocessIntegrationEvent($id: ID!) {
    reprocessIntegrationEvent(id: $id) { ...InboundEventFields }
  }
`);

// ---- job queue (integrations:manage) ----

export const JobQueueStatsDocument = graphql(`
  query JobQueueStats {
    jobQueueStats { queued running dead oldestQueuedAgeSeconds }
  }
`);

export const DeadJobsDocument = graphql(`
  query DeadJobs($first: Int, $after: String, $last: Int, $before: String) {
    deadJobs(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
      nodes { id kind payload status priority attempts maxAttempts lastError runAt createdAt updatedAt }
    }
  }
`);

export const RedriveJobDocument = graphql(`
  mutation RedriveJob($id: ID!) {
    redriveJob(id: $id) { id kind payload status priority attempts maxAttempts lastError runAt createdAt updatedAt }
  }
`);

// ---- partner API keys (integrations:manage) ----

export const ApiKeyFieldsFragment = graphql(`
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
`);

export const ApiKeysDocument = graphql(`
  query ApiKeys {
    apiKeys { ...ApiKeyFields }
  }
`);

export const CreateApiKeyDocument = graphql(`
  mutation CreateApiKey($name: String!, $scopes: [String!]!) {
    createApiKey(name: $name, scopes: $scopes) { key apiKey { ...ApiKeyFields } }
  }
`);

export const RevokeApiKeyDocument = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { ...ApiKeyFields }
  }
`);

// ---- outbound webhook endpoints (integrations:manage) ----

export const WebhookEndpointFieldsFragment = graphql(`
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
`);

export const WebhookEndpointsDocument = graphql(`
  query WebhookEndpoints {
    webhookEndpoints { ...WebhookEndpointFields }
    webhookEventTypes
  }
`);

export const CreateWebhookEndpointDocument = graphql(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) { secret endpoint { ...WebhookEndpointFields } }
  }
`);

export const RotateWebhookSecretDocument = graphql(`
  mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) { secret endpoint { ...WebhookEndpointFields } }
  }
`);

export const DisableWebhookEndpointDocument = graphql(`
  mutation DisableWebhookEndpoint($id: ID!) {
    disableWebhookEndpoint(id: $id) { ...WebhookEndpointFields }
  }
`);

export const EnableWebhookEndpointDocument = graphql(`
  mutation EnableWebhookEndpoint($id: ID!) {
    enableWebhookEndpoint(id: $id) { ...WebhookEndpointFields }
  }
`);

export const WebhookDeliveryFieldsFragment = graphql(`
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
    attempts { number attemptedAt statusCode latencyMs responseExcerpt error }
  }
`);

export const WebhookDeliveriesDocument = graphql(`
  query WebhookDeliveries($endpointId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
      nodes { ...WebhookDeliveryFields }
    }
  }
`);

export const RedeliverWebhookDocument = graphql(`
  mutation RedeliverWebhook($deliveryId: ID) {
    redeliverWebhook(deliveryId: $deliveryId) { ...WebhookDeliveryFields }
  }
`);

export const SendTestWebhookDocument = graphql(`
  mutation SendTestWebhook($endpointId: ID!) {
    sendTestWebhook(endpointId: $endpointId) { ...WebhookDeliveryFields }
  }
`);

// ---- Mini App: the phone shared through Telegram ----

export const LinkMyPhoneDocument = graphql(`
  mutation LinkMyPhone($contactData: String!) {
    linkMyPhone(contactData: $contactData) { token expiresAt created }
  }
`);

// ---- password reset ----

export const RequestPasswordResetDocument = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

export const ResetPasswordDocument = graphql(`
  mutation ResetPassword($token: String!, $newPassword: String!) {
    resetPassword(token: $token, newPassword: $newPassword)
  }
`);

// ---- notifications (staff: the bell and the centre; guest: the Mini App) ----

export const NotificationFieldsFragment = graphql(`
  fragment NotificationFields on Notification { id kind title body data createdAt readAt }
`);

// Like every connection, oldest first: `last: N` (and `before`) reads the newest N.
export const NotificationsDocument = graphql(`
  query Notifications($last: Int, $before: String, $unreadOnly: Boolean) {
    notifications(last: $last, before: $before, unreadOnly: $unreadOnly) {
      totalCount
      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
      nodes { ...NotificationFields }
    }
  }
`);

export const UnreadNotificationCountDocument = graphql(`
  query UnreadNotificationCount {
    unreadNotificationCount
  }
`);

export const MarkNotificationsReadDocument = graphql(`
  mutation MarkNotificationsRead($ids: [ID!], $all: Boolean) {
    markNotificationsRead(ids: $ids, all: $all)
  }
`);

export const NotificationPreferencesDocument = graphql(`
  query NotificationPreferences {
    notificationPreferences { inApp email telegram }
  }
`);

export const UpdateNotificationPreferencesDocument = graphql(`
  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {
    updateNotificationPreferences(input: $input) { inApp email telegram }
  }
`);

export const NotificationReceivedDocument = graphql(`
  subscription NotificationReceived {
    notificationReceived { ...NotificationFields }
  }
`);

export const IntegrationEventFailedDocument = graphql(`
  subscription IntegrationEventFailed {
    integrationEventFailed { integrationId eventId error }
  }
`);

export const MyNotificationsDocument = graphql(`
  query MyNotifications($last: Int, $before: String) {
    myNotifications(last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
      nodes { ...NotificationFields }
    }
    myUnreadNotificationCount
  }
`);

export const MarkMyNotificationsReadDocument = graphql(`
  mutation MarkMyNotificationsRead($ids: [ID!], $all: Boolean) {
    markMyNotificationsRead(ids: $ids, all: $all)
  }
`);

export const MyNotificationPreferencesDocument = graphql(`
  query MyNotificationPreferences {
    myNotificationPreferences { inApp email telegram }
  }
`);

export const SetMyNotificationLanguageDocument = graphql(`
  mutation SetMyNotificationLanguage($language: Locale!) {
    setMyNotificationLanguage(language: $language)
  }
`);

export const UpdateMyNotificationPreferencesDocument = graphql(`
  mutation UpdateMyNotificationPreferences($input: NotificationPreferencesInput!) {
    updateMyNotificationPreferences(input: $input) { inApp email telegram }
  }
`);

export const MyNotificationReceivedDocument = graphql(`
  subscription MyNotificationReceived {
    myNotificationReceived { ...NotificationFields }
  }
`);
