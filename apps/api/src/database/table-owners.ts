/**
 * Which module owns each table and view: the only module whose code may write it. Other
 * modules read another module's data through its exported service or through one of the views
 * its owner defines for that purpose (migration 1764640000000). Checked by
 * apps/api/test/architecture/table-ownership.spec.ts against the migrations, every module's SQL
 * and docs/architecture.md. pg-boss's own schema (`pgboss.*`) belongs to the jobs module.
 */
export const TABLE_OWNERS = {
  identity: {
    tables: ['users', 'api_keys', 'refresh_tokens', 'user_tokens', 'login_throttles', 'login_known_networks', 'request_throttles', 'api_key_rate_limits'],
    views: ['user_directory'],
  },
  audit: { tables: ['audit_events', 'audit_checkpoints'], views: [] },
  mail: { tables: ['email_outbox'], views: [] },
  lawyers: { tables: ['lawyer_profiles'], views: ['listed_lawyers'] },
  partners: {
    tables: ['partner_referral_codes', 'referrals', 'referral_conversions'],
    views: ['referral_funnel', 'referral_conversion_events'],
  },
  marketplace: {
    tables: ['offerings', 'lawyer_availability', 'availability_overrides', 'availability_blackouts', 'directory_listings', 'directory_facets'],
    views: [],
  },
  'consultations-core': { tables: ['legal_sessions', 'session_events'], views: ['session_bookings'] },
  payments: { tables: ['payments', 'refunds', 'stripe_events'], views: [] },
  ledger: {
    tables: ['ledger_transactions', 'ledger_entries', 'ledger_party_daily', 'ledger_party_balances'],
    views: ['party_ledger_daily', 'payee_balances', 'party_ledger_lines'],
  },
  statements: { tables: ['statements', 'statement_lines'], views: [] },
  'stripe-sandbox': { tables: ['stripe_sandbox_objects', 'stripe_sandbox_idempotency'], views: [] },
  notifications: { tables: ['notifications', 'notification_preferences'], views: [] },
  video: {
    tables: [
      'video_rooms',
      'video_participants',
      'video_attendance',
      'video_callbacks',
      'video_signals',
      'recordings',
      'recording_chunks',
    ],
    views: [],
  },
  support: { tables: ['support_tickets', 'support_messages', 'support_ticket_events'], views: [] },
  reviews: {
    tables: [
      'reviews',
      'review_states',
      'review_responses',
      'review_moderation_decisions',
      'review_reports',
      'review_windows',
      'lawyer_ratings',
    ],
    views: ['lawyer_rating_summaries'],
  },
  finance: { tables: ['payouts', 'payout_reversals'], views: [] },
  contracts: {
    tables: [
      'contract_templates',
      'contract_template_versions',
      'contracts',
      'contract_versions',
      'contract_signer_events',
      'contract_signatures',
      'contract_executions',
    ],
    views: [],
  },
  messaging: {
    tables: [
      'e2ee_identities',
      'e2ee_devices',
      'conversations',
      'conversation_epochs',
      'conversation_messages',
      'message_attachments',
      'conversation_reads',
      'session_notes',
    ],
    views: [],
  },
  webhooks: { tables: ['webhook_endpoints', 'webhook_events', 'webhook_deliveries', 'webhook_manual_sends'], views: [] },
} as const satisfies Record<string, { tables: readonly string[]; views: readonly string[] }>;

export type OwningModule = keyof typeof TABLE_OWNERS;
