//! Scenarios: the stories the advisory lists (and the common others). A scenario alone is
//! weak, because real companies write about orders and security too; it sets the advice.

use crate::helpers::phrase_rule;
use crate::{ALL, family, rule};

family! {
    /// The advisory's scenarios (SCN).
    name: "scenario", prefix: "SCN", title: "Scam scenarios", rank: 1,
}

rule! {
    /// Talks about a security breach, unauthorised access or suspicious sign-in.
    ///
    /// **Why:** "potential security breach" is the first lure in the advisory. Fear makes
    /// people call or click without checking.
    ///
    /// **Example:** `We detected suspicious activity on your account.`
    ///
    /// **Known false positives:** real security notices (which never ask you to call a number
    /// or give details); the points are low for that reason.
    pub struct SecurityBreachLure;
    id: "SCN001", name: "security-breach-lure", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Security breach or suspicious sign-in story",
    explain: "The message talks about a security problem with your account. This is the first lure the advisory lists: a fake \"security breach\" makes you anxious so that you call or click without thinking.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "security scare"),
}

rule! {
    /// Talks about a fraudulent, unauthorised or unexpected charge or purchase.
    ///
    /// **Why:** "fraudulent charge(s)" is an advisory lure: a fake charge makes you call a
    /// fake support line to "cancel" it.
    ///
    /// **Example:** `A charge of $1,499.00 for an iPhone 15 was placed on your account. If you
    /// did not authorize this, call...`
    ///
    /// **Known false positives:** real fraud alerts from banks (they do not ask for codes or
    /// card numbers).
    pub struct FraudulentChargeLure;
    id: "SCN002", name: "fraudulent-charge-lure", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Fraudulent or unexpected charge story",
    explain: "The message talks about a charge or purchase you did not make. Fake \"fraudulent charge\" alerts are a common way to get you to call a fake support line.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "charge scare"),
}

rule! {
    /// Says an order could not be fulfilled, processed or shipped.
    ///
    /// **Why:** "unfulfilled order" is an advisory lure.
    ///
    /// **Example:** `Your order could not be processed. Update your details within 24 hours.`
    ///
    /// **Known false positives:** real order problems (which Your Orders also shows).
    pub struct UnfulfilledOrderLure;
    id: "SCN003", name: "unfulfilled-order-lure", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Unfulfilled or cancelled order story",
    explain: "The message says an order could not be completed. \"Unfulfilled order\" is one of the lures the advisory lists.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "order problem"),
}

rule! {
    /// Says a package is lost, held, delayed or could not be delivered.
    ///
    /// **Why:** "lost package" is an advisory lure, and fake delivery problems are the most
    /// common text-message scam.
    ///
    /// **Example:** `USPS: your package is on hold due to an incomplete address.`
    ///
    /// **Known false positives:** real carrier delay notices.
    pub struct LostPackageLure;
    id: "SCN004", name: "lost-package-lure", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Lost, held or undeliverable package story",
    explain: "The message says a package is lost, held or could not be delivered. Fake delivery problems are used to get you to click a link or pay a small fee.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "delivery problem"),
}

rule! {
    /// Looks like an order confirmation, receipt or invoice.
    ///
    /// **Why:** fake order confirmations are the most reported Amazon impersonation; the
    /// advisory says to check Your Orders for a matching order.
    ///
    /// **Example:** `Order Confirmation: Apple MacBook Pro, $1,299.00`.
    ///
    /// **Known false positives:** every real order confirmation. The points are low; other
    /// checks (sender, links, numbers) decide.
    pub struct OrderConfirmationLure;
    id: "SCN005", name: "order-confirmation-lure", severity: Info,
    points: 5, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Order confirmation, receipt or invoice",
    explain: "The message looks like an order confirmation or invoice. Fake order confirmations for things you did not buy are the most reported {brand} scam. Check Your Orders in the {brand} app instead.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "order confirmation"),
}

rule! {
    /// Says the account is locked, suspended or restricted, or an order is on hold.
    ///
    /// **Why:** "Your Amazon Account Is Locked - Order Is On Hold" is quoted in the advisory.
    ///
    /// **Example:** `Your account has been locked and your order is on hold.`
    ///
    /// **Known false positives:** real account notices, which never come with a number to
    /// call or a form for card details.
    pub struct AccountLockedLure;
    id: "SCN006", name: "account-locked-lure", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Account locked or order on hold story",
    explain: "The message says your account is locked or an order is on hold. \"Your account is locked - order is on hold\" is a lure the advisory names word for word.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "account lock"),
}

rule! {
    /// Talks about a membership or subscription renewal, charge or expiry.
    ///
    /// **Why:** fake Prime renewals ("your Prime membership will be renewed for $399") are a
    /// common robocall and email lure.
    ///
    /// **Example:** `Your Prime membership will auto-renew for $139.`
    ///
    /// **Known false positives:** real renewal reminders.
    pub struct MembershipRenewalLure;
    id: "SCN007", name: "membership-renewal-lure", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Membership renewal or subscription charge story",
    explain: "The message is about a membership renewal or subscription charge. Fake Prime renewals are used to get you to call and \"cancel\".",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "renewal"),
}

rule! {
    /// Offers a refund, reimbursement or compensation.
    ///
    /// **Why:** fake refunds are used to get remote access and bank logins, or to claim an
    /// "over-refund" that must be paid back.
    ///
    /// **Example:** `You are eligible for a refund of $299. Call us to process it.`
    ///
    /// **Known false positives:** real refund notices.
    pub struct RefundLure;
    id: "SCN008", name: "refund-lure", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Refund or compensation offer",
    explain: "The message offers a refund. Scammers use fake refunds to get into your bank account or to claim you were \"over-refunded\" and must pay money back.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "refund offer"),
}

rule! {
    /// Says you won a prize, a gift or a reward.
    ///
    /// **Why:** prizes you never entered for are bait for fees and card details.
    ///
    /// **Example:** `Congratulations! You have been selected to receive a free gift card.`
    ///
    /// **Known false positives:** real contest notices you entered.
    pub struct PrizeLure;
    id: "SCN009", name: "prize-lure", severity: Low,
    points: 15, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Prize, gift or reward you did not enter for",
    explain: "The message says you won a prize or a gift. Real companies do not give prizes to random people who then have to click, call or pay.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "prize"),
}

rule! {
    /// Offers a job or easy money.
    ///
    /// **Why:** fake Amazon job offers collect personal data and fees, or recruit money
    /// mules.
    ///
    /// **Example:** `Amazon is hiring: work from home, earn $300 a day.`
    ///
    /// **Known false positives:** real recruiting mail.
    pub struct JobOfferLure;
    id: "SCN010", name: "job-offer-lure", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Job offer or easy money",
    explain: "The message offers a job or easy money. Fake job offers that use {brand}'s name are a known scam.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "job offer"),
}

rule! {
    /// Asks to update payment information, or says a payment failed.
    ///
    /// **Why:** the advisory: "requests to update payment information that are not linked
    /// to an Amazon order you placed" — if Your Orders does not ask, it is not Amazon.
    ///
    /// **Example:** `Your payment method was declined. Update your billing information.`
    ///
    /// **Known false positives:** real payment reminders (Your Orders shows them too).
    pub struct PaymentProblemLure;
    id: "SCN011", name: "payment-problem-lure", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Payment problem or request to update payment details",
    explain: "The message asks you to update or fix your payment information. The advisory says: if Your Orders does not ask you to update your payment method, the message is not from {brand}.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "payment problem"),
}

rule! {
    /// Says your computer or phone is infected or hacked, or offers technical support.
    ///
    /// **Why:** tech-support stories lead to remote access, the advisory's worst outcome.
    ///
    /// **Example:** `Your computer has been infected. Call Amazon technical support.`
    ///
    /// **Known false positives:** real support conversations you started.
    pub struct TechSupportLure;
    id: "SCN012", name: "tech-support-lure", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Infected device or tech-support story",
    explain: "The message says your computer or phone has a problem that \"support\" will fix. This is how remote-access scams start.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "tech-support story"),
}

rule! {
    /// Says your mailbox is full, your password expires, or your email account will be
    /// closed unless you confirm or "keep the same password".
    ///
    /// **Why:** the most common lure for stealing email passwords; with the email account a
    /// thief resets the person's other accounts, Amazon included.
    ///
    /// **Example:** `Your mailbox storage is full. Confirm ownership to keep the same
    /// password.`
    ///
    /// **Known false positives:** a real storage warning from your own provider (which does
    /// not ask you to confirm a password through a link).
    pub struct MailboxLure;
    id: "SCN013", name: "mailbox-lure", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Mailbox full, password expiring or email closing story",
    explain: "The message says your mailbox is full, your password expires or your email will be closed. These are the most common lures for stealing email passwords, and with your email a thief can reset your other accounts.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "mailbox scare"),
}

rule! {
    /// Offers dates, "singles near you", private messages from strangers or explicit
    /// photos.
    ///
    /// **Why:** romance and dating bait leads to paid "dating sites" that take card details,
    /// and to romance scams, which cost victims more than any other scam the FTC counts.
    ///
    /// **Example:** `Lonely women near you want to meet. See their photos.`
    ///
    /// **Known false positives:** a dating service you joined; ordinary mail rarely uses
    /// these words.
    pub struct DatingLure;
    id: "SCN014", name: "dating-lure", severity: Low,
    points: 20, channels: ALL, status: Stable("0.1.0"), summary: "Dating, singles or explicit-photo bait",
    explain: "The message offers dates, singles or explicit photos. Such bait leads to paid sites that take card details, and to romance scams.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "dating bait"),
}

rule! {
    /// Promises a windfall from a stranger: an inheritance, a donation, unclaimed funds, a
    /// business or investment proposal, "money waiting for you".
    ///
    /// **Why:** the advance-fee fraud: the money never exists, and the fees, "taxes" and
    /// bank details it asks for along the way are the point.
    ///
    /// **Example:** `I have decided to donate $2,500,000.00 to you. Reply with your details.`
    ///
    /// **Known false positives:** real business proposals from people you know.
    pub struct WindfallLure;
    id: "SCN015", name: "windfall-lure", severity: Low,
    points: 20, channels: ALL, status: Stable("0.1.0"), summary: "Inheritance, donation or business-deal windfall from a stranger",
    explain: "The message promises money from a stranger: an inheritance, a donation, unclaimed funds or a business deal. That money does not exist; the fees and bank details asked for along the way are the scam.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "windfall"),
}

rule! {
    /// Promises crypto or investment riches: an airdrop to claim, staking rewards, a
    /// Bitcoin balance, a trading robot, guaranteed returns, casino bonuses.
    ///
    /// **Why:** investment scams are the costliest fraud the FTC counts; "claim your
    /// tokens" pages drain the wallet that connects to them.
    ///
    /// **Example:** `Claim 2,600 UNI now: your airdrop expires today.`
    ///
    /// **Known false positives:** news from an exchange you use (its own sender domain
    /// then checks out).
    pub struct InvestmentLure;
    id: "SCN016", name: "investment-lure", severity: Low,
    points: 15, channels: ALL, status: Stable("0.1.0"), summary: "Crypto, trading or casino riches",
    explain: "The message promises crypto, trading or casino riches. Investment scams cost people more than any other fraud, and \"claim your tokens\" pages empty the wallet you connect.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "investment bait"),
}

rule! {
    /// A screen (a browser pop-up, a "lock screen", a fake crash report) says your computer
    /// or phone is locked, blocked or crashed: the tech-support pop-up story. With a number
    /// to call it is also red flag PHN006.
    ///
    /// **Why:** the pop-up is how most remote-access scams start: a number reaches a fake
    /// "Amazon", "Microsoft" or "Apple" support line whose agent asks to connect to the
    /// computer and then for payment. The advice for it says how to close such a page.
    ///
    /// **Example:** `Access to this PC has been blocked for security reasons. Do not
    /// restart your computer.`
    ///
    /// **Known false positives:** a genuine "your device is locked" notice from Find My or
    /// a company's own lock screen; the points are low.
    pub struct TechSupportPopUp;
    id: "SCN017", name: "tech-support-pop-up", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "A screen says your device is locked or crashed",
    explain: "The screen says your computer or phone is locked, blocked or crashed, and tells you to call a number. This is the tech-support pop-up: Windows, Apple, browsers and {brand} never put a phone number in a warning, and the people at that number want to connect to your computer and take your money.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "pop-up story"),
}
