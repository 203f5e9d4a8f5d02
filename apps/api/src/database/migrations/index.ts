import { Foundation1764000000000 } from './1764000000000-Foundation';
import { Identity1764100000000 } from './1764100000000-Identity';
import { Audit1764200000000 } from './1764200000000-Audit';
import { MailOutbox1764300000000 } from './1764300000000-MailOutbox';
import { PasswordResetAndVerification1764400000000 } from './1764400000000-PasswordResetAndVerification';
import { LawyersAndPartners1764500000000 } from './1764500000000-LawyersAndPartners';
import { PaidConsultations1764600000000 } from './1764600000000-PaidConsultations';
import { MarketplaceSearch1764610000000 } from './1764610000000-MarketplaceSearch';
import { StripeSandbox1764620000000 } from './1764620000000-StripeSandbox';
import { AccentInsensitiveSearch1764630000000 } from './1764630000000-AccentInsensitiveSearch';
import { ModuleReadViews1764640000000 } from './1764640000000-ModuleReadViews';
import { LoginThrottlePerAddress1764650000000 } from './1764650000000-LoginThrottlePerAddress';
import { Notifications1764660000000 } from './1764660000000-Notifications';
import { RescheduleProposals1764670000000 } from './1764670000000-RescheduleProposals';
import { ConsentAndLicence1764680000000 } from './1764680000000-ConsentAndLicence';
import { Video1764700000000 } from './1764700000000-Video';
import { Reviews1764710000000 } from './1764710000000-Reviews';
import { Support1764720000000 } from './1764720000000-Support';
import { LedgerReporting1764730000000 } from './1764730000000-LedgerReporting';
import { Payouts1764740000000 } from './1764740000000-Payouts';
import { Statements1764750000000 } from './1764750000000-Statements';
import { Contracts1764760000000 } from './1764760000000-Contracts';
import { ApiKeyScopes1764780000001 } from './1764780000001-ApiKeyScopes';
import { Messaging1764770000000 } from './1764770000000-Messaging';
import { Webhooks1764780000000 } from './1764780000000-Webhooks';
import { WebhookHardening1764790000000 } from './1764790000000-WebhookHardening';

/** Every migration, in order. Listed explicitly (not globbed) so bundling and tests load the same set. */
export const MIGRATIONS = [Foundation1764000000000, Identity1764100000000, Audit1764200000000, MailOutbox1764300000000, PasswordResetAndVerification1764400000000, LawyersAndPartners1764500000000, PaidConsultations1764600000000, MarketplaceSearch1764610000000, StripeSandbox1764620000000, AccentInsensitiveSearch1764630000000, ModuleReadViews1764640000000, LoginThrottlePerAddress1764650000000, Notifications1764660000000, RescheduleProposals1764670000000, ConsentAndLicence1764680000000, Video1764700000000, Reviews1764710000000, Support1764720000000, LedgerReporting1764730000000, Payouts1764740000000, Statements1764750000000, Contracts1764760000000, Messaging1764770000000, Webhooks1764780000000, ApiKeyScopes1764780000001, WebhookHardening1764790000000];
