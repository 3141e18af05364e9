//! The rule registry: every rule, sorted by ID.

mod attachments;
mod callback;
mod credentials;
mod genuine;
mod impersonation;
mod language;
mod limits;
pub use limits::CUT_SHORT_NOTES;
mod links;
mod model;
pub use model::{MODEL_CHANNELS, MODEL_STANDALONE_POINTS};
pub(crate) mod orders;
mod payment;
mod pressure;
mod remote;
mod scenario;
mod sender;

use crate::Rule;

/// Every rule, sorted by ID. IDs are permanent; see `docs/rules.md`.
pub static RULES: &[&dyn Rule] = &[
    &attachments::RiskyAttachmentType,
    &attachments::MacroDocument,
    &attachments::DisguisedAttachment,
    &attachments::AttachmentOnOrderConfirmation,
    &credentials::AsksForPassword,
    &credentials::AsksForOneTimeCode,
    &credentials::AsksForCardDetails,
    &credentials::AsksForBankDetails,
    &credentials::AsksForSsnOrTaxId,
    &credentials::AsksForIdDocument,
    &credentials::AsksIdentityQuestions,
    &credentials::AsksToVerifyAccount,
    &genuine::AuthenticatedSender,
    &genuine::BrandLinksOnly,
    &genuine::BrandOrderNumbers,
    &genuine::RegisteredTextSender,
    &genuine::CodeWithWarning,
    &impersonation::ClaimsBrand,
    &impersonation::ObfuscatedBrandName,
    &impersonation::BrandScareWithCallToAction,
    &impersonation::LookalikeLetters,
    &impersonation::OtherBrandLink,
    &impersonation::BrandMoneyPitch,
    &limits::AnalysisCutShort,
    &language::SpellingMistakes,
    &language::GrammarMistakes,
    &language::GenericGreeting,
    &links::LinkTextDomainMismatch,
    &links::OffBrandLink,
    &links::LookalikeDomain,
    &links::IdnHomographDomain,
    &links::BrandInSubdomainOrPath,
    &links::IpAddressLink,
    &links::ShortenedLink,
    &links::ObfuscatedLink,
    &links::RiskyTldLink,
    &links::LinkUserinfoTrick,
    &links::FreeHostingLink,
    &links::BaitLink,
    &links::LureWithLink,
    &links::GibberishDomainLink,
    &links::LinkActivationTrick,
    &model::ModelSaysScam,
    &orders::MalformedOrderNumber,
    &orders::OrderNotInHistory,
    &payment::GiftCardPayment,
    &payment::ReadOutCardCodes,
    &payment::CryptoPayment,
    &payment::WireOrAppPayment,
    &payment::FeeRequest,
    &payment::UnusualPurchaseRequest,
    &callback::CallbackNumberNotBrand,
    &callback::CallThisNumber,
    &callback::PressToConnect,
    &callback::ObfuscatedPhoneNumber,
    &callback::RobocallSalesPitch,
    &callback::DeviceLockedCallNumber,
    &remote::RemoteAccessRequest,
    &remote::SoftwareInstallRequest,
    &scenario::SecurityBreachLure,
    &scenario::FraudulentChargeLure,
    &scenario::UnfulfilledOrderLure,
    &scenario::LostPackageLure,
    &scenario::OrderConfirmationLure,
    &scenario::AccountLockedLure,
    &scenario::MembershipRenewalLure,
    &scenario::RefundLure,
    &scenario::PrizeLure,
    &scenario::JobOfferLure,
    &scenario::PaymentProblemLure,
    &scenario::TechSupportLure,
    &scenario::MailboxLure,
    &scenario::DatingLure,
    &scenario::WindfallLure,
    &scenario::InvestmentLure,
    &scenario::TechSupportPopUp,
    &sender::DisplayNameImpersonation,
    &sender::LookalikeSenderDomain,
    &sender::ReplyToElsewhere,
    &sender::ReturnPathElsewhere,
    &sender::FreeMailSender,
    &sender::SenderAuthenticationFailed,
    &sender::SenderAuthenticationMissing,
    &sender::UnexpectedTextSender,
    &sender::OtherBrandDisplayName,
    &sender::MalformedSenderAddress,
    &sender::FreeHostingSender,
    &sender::RiskyTldSender,
    &pressure::DeadlinePressure,
    &pressure::SuspensionThreat,
    &pressure::LegalThreat,
    &pressure::SecrecyDemand,
];
