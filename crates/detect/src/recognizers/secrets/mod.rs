//! SECRET: credentials, API keys, tokens and private keys, each finding
//! with a `subtype` (`aws_access_key_id`, `github_pat_classic`, `jwt`,
//! `private_key_rsa`, `database_url_password`, `generic_password`, …).
//!
//! Everything is anchored on literals (no regex shapes): provider prefixes
//! (`ghp_`, `xoxb-`, `AKIA`, `sk-`, …), `-----BEGIN `, `eyJ`, `://` and
//! credential words (`password`, `secret`, `token`, `bearer`, …). The
//! handler checks the exact case and the left boundary, then parses the
//! token at or after the anchor.
//!
//! Decisions:
//! * GitHub classic tokens carry a CRC32 checksum; a token whose checksum
//!   fails is made up (docs, tests), so it scores 0.4, under the default
//!   threshold, and is only reported with a lower `min_score`.
//! * `sk_test_`/`rk_test_` Stripe keys are reported with the test-value flag.
//! * Placeholders, template/env references, masks, documented example keys
//!   (`AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`),
//!   public keys, Stripe publishable keys, hashes and ids are never reported.

use deepsentinel_core::EntityType;

use crate::context::Kw;
use crate::engine::{Anchor, Ctx, Hit, Module, Out};

mod assign;
mod jwt;
mod pem;
mod tokens;
mod url;
mod util;

/// What an anchor leads to.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Simple(usize),
    AwsKeyId,
    GithubClassic,
    GithubFine,
    Slack,
    SlackWebhook,
    Stripe,
    Sk,
    SendGrid,
    TwilioSk,
    Telegram,
    Pem,
    Jwt,
    Url,
    CurlUser,
    PasswordFlag,
    DashP,
    ToolPassword,
    Keyword,
    AzureAdSecret,
    DiscordWebhook,
    /// A credential word that only marks a place to look near (see
    /// [`assign::near_keywords`]).
    Mark,
}

pub(crate) struct Secrets {
    anchors: Vec<(String, Kind)>,
    /// Per anchor: whether it is a credential word (the `Secret` and
    /// `Password` keyword classes) that [`assign::near_keywords`] looks
    /// after.
    credential_word: Vec<bool>,
}

impl Secrets {
    pub(crate) fn new() -> Secrets {
        let mut a: Vec<(String, Kind)> = Vec::new();
        for (i, s) in tokens::SIMPLE.iter().enumerate() {
            a.push((s.prefix.to_string(), Kind::Simple(i)));
        }
        for p in [
            "AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "AROA", "APKA",
            "ASCA",
        ] {
            a.push((p.to_string(), Kind::AwsKeyId));
        }
        for p in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
            a.push((p.to_string(), Kind::GithubClassic));
        }
        a.push(("github_pat_".to_string(), Kind::GithubFine));
        for p in [
            "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxe-", "xoxe.", "xoxs-",
        ] {
            a.push((p.to_string(), Kind::Slack));
        }
        for p in [
            "hooks.slack.com/services/",
            "hooks.slack.com/workflows/",
            "hooks.slack.com/triggers/",
        ] {
            a.push((p.to_string(), Kind::SlackWebhook));
        }
        for p in ["sk_live_", "rk_live_", "sk_test_", "rk_test_"] {
            a.push((p.to_string(), Kind::Stripe));
        }
        a.push(("sk-".to_string(), Kind::Sk));
        a.push(("SG.".to_string(), Kind::SendGrid));
        a.push(("SK".to_string(), Kind::TwilioSk));
        a.push(("api.telegram.org/bot".to_string(), Kind::Telegram));
        a.push(("-----BEGIN ".to_string(), Kind::Pem));
        a.push(("eyJ".to_string(), Kind::Jwt));
        a.push(("://".to_string(), Kind::Url));
        for flag in ["-u ", "--user ", "--user=", "--proxy-user "] {
            a.push((flag.to_string(), Kind::CurlUser));
        }
        for flag in [
            "--password ",
            "--http-password ",
            "--ftp-password ",
            "--proxy-password ",
            "--passwd ",
            "sshpass -p ",
        ] {
            a.push((flag.to_string(), Kind::PasswordFlag));
        }
        a.push(("-p".to_string(), Kind::DashP));
        a.push(("-a ".to_string(), Kind::ToolPassword));
        a.push(("-P ".to_string(), Kind::ToolPassword));
        for w in [
            "password",
            "passwd",
            "pwd",
            "passphrase",
            "pass",
            "secret",
            "token",
            "apikey",
            "api_key",
            "api-key",
            "accesskey",
            "access_key",
            "auth",
            "credential",
            "bearer",
            "passing",
            "key is",
            "private_key",
            "privatekey",
            "signing_key",
            "signingkey",
        ] {
            a.push((w.to_string(), Kind::Keyword));
        }
        for w in assign::FOREIGN_PASSWORD_WORDS {
            a.push((w.to_string(), Kind::Keyword));
        }
        a.push(("Q~".to_string(), Kind::AzureAdSecret));
        a.push((
            "discord.com/api/webhooks/".to_string(),
            Kind::DiscordWebhook,
        ));
        a.push((
            "discordapp.com/api/webhooks/".to_string(),
            Kind::DiscordWebhook,
        ));
        // Credential words with no parser of their own still mark places
        // to look near.
        let words: Vec<&str> = [Kw::Secret, Kw::Password]
            .iter()
            .flat_map(|k| k.words().iter().copied())
            .collect();
        for w in &words {
            if !a.iter().any(|(lit, _)| lit.eq_ignore_ascii_case(w)) {
                a.push((w.to_string(), Kind::Mark));
            }
        }
        let credential_word = a
            .iter()
            .map(|(lit, _)| words.iter().any(|w| lit.eq_ignore_ascii_case(w)))
            .collect();
        Secrets {
            anchors: a,
            credential_word,
        }
    }
}

impl Module for Secrets {
    fn name(&self) -> &'static str {
        "secrets"
    }

    fn types(&self) -> &'static [EntityType] {
        &[EntityType::Secret]
    }

    fn anchors(&self) -> Vec<Anchor> {
        self.anchors
            .iter()
            .enumerate()
            .map(|(i, (lit, _))| Anchor::new(i as u32, lit.clone()))
            .collect()
    }

    fn finish(&self, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let hits = ctx
            .my_anchors()
            .filter(|(id, _)| {
                self.credential_word
                    .get(*id as usize)
                    .copied()
                    .unwrap_or(false)
            })
            .map(|(_, hit)| hit);
        assign::near_keywords(ctx, out, hits);
    }

    fn on_anchor(&self, anchor: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let Some((lit, kind)) = self.anchors.get(anchor as usize) else {
            return;
        };
        let s = hit.start;
        match *kind {
            Kind::Simple(i) => {
                if let Some(sp) = tokens::SIMPLE.get(i) {
                    tokens::simple(sp, s, ctx, out);
                }
            }
            Kind::AwsKeyId => tokens::aws_key_id(s, ctx, out),
            Kind::GithubClassic => tokens::github_classic(s, ctx, out),
            Kind::GithubFine => tokens::github_fine(s, ctx, out),
            Kind::Slack => tokens::slack(s, ctx, out),
            Kind::SlackWebhook => tokens::slack_webhook(s, lit.len(), ctx, out),
            Kind::Stripe => tokens::stripe(s, ctx, out),
            Kind::Sk => tokens::sk(s, ctx, out),
            Kind::SendGrid => tokens::sendgrid(s, ctx, out),
            Kind::TwilioSk => tokens::twilio_sk(s, ctx, out),
            Kind::Telegram => tokens::telegram(s, lit.len(), ctx, out),
            Kind::Pem => pem::pem(s, ctx, out),
            Kind::Jwt => jwt::jwt(s, ctx, out),
            Kind::Url => url::url_credentials(s, ctx, out),
            Kind::CurlUser => url::curl_user(s, hit.end, ctx, out),
            Kind::PasswordFlag => url::password_flag(s, hit.end, ctx, out),
            Kind::DashP => url::dash_p(s, hit.end, ctx, out),
            Kind::ToolPassword => url::tool_password(s, hit.end, ctx, out),
            Kind::Keyword => assign::keyword(s, hit.end, ctx, out),
            Kind::AzureAdSecret => tokens::azure_ad_secret(s, ctx, out),
            Kind::DiscordWebhook => tokens::discord_webhook(s, lit.len(), ctx, out),
            Kind::Mark => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Scanner;

    /// Every prefix of texts full of anchors, with multi-byte characters
    /// glued to them, scans without panicking.
    #[test]
    fn truncations_do_not_panic() {
        let texts = [
            "é-----BEGIN RSA PRIVATE KEY-----\\nMIIé\\n-----END RSA PRIVATE KEY-----ü",
            "password=\"é日本\" token: 'ü' Bearer é key is ö postgres://a:é@ü",
            "ghp_ééé sk-ant-日本 xoxb-1é AKIAé eyJé.é.é SG.é SK日 AccountKey=é hooks.slack.com/services/é",
            "os.environ.get(\"PASSWORD\", \"é\") api.telegram.org/bot1234567:é sk_live_é",
        ];
        let s = Scanner::new();
        for t in texts {
            for (i, _) in t.char_indices() {
                let _ = s.scan(t.get(..i).unwrap_or(""));
                let _ = s.scan(t.get(i..).unwrap_or(""));
            }
        }
    }
}
