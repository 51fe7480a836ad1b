# abuse.sieve - file the complaints abuse-milter tagged into one folder
# per category (X-Abuse-Category), for the abuse mailbox's Sieve script
# (Dovecot Pigeonhole, Cyrus). The categories are the shipped ones
# (/etc/abuse-milter/abuse-milter.d/categories/*.conf); rename the
# folders as your desk reads them. A category the desk adds falls
# through to "Abuse/Other". Mail the milter did not see (no header)
# stays in the INBOX.
require ["fileinto", "mailbox"];

# the milter deletes incoming X-Abuse-* headers before it adds its own,
# so the value is the milter's, not the sender's
if header :is "X-Abuse-Category" "urgent" {
    fileinto :create "Abuse/Urgent";
} elsif header :is "X-Abuse-Category" "law-enforcement" {
    fileinto :create "Abuse/Law-Enforcement";
} elsif header :is "X-Abuse-Category" "dmca" {
    fileinto :create "Abuse/DMCA";
} elsif header :is "X-Abuse-Category" "abuse" {
    fileinto :create "Abuse/Attacks";
} elsif header :is "X-Abuse-Category" "spam" {
    fileinto :create "Abuse/Spam";
} elsif header :is "X-Abuse-Category" "block-request" {
    fileinto :create "Abuse/Block-Requests";
} elsif header :is "X-Abuse-Category" "auto" {
    fileinto :create "Abuse/Automated";
} elsif exists "X-Abuse-Category" {
    fileinto :create "Abuse/Other";
}
