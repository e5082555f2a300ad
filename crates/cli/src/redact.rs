//! `deepsentinel redact` and `deepsentinel policy check`.
//!
//! `redact` reads one file or stdin whole, scans it, and writes it with
//! its sensitive values rewritten. Without `--policy` every finding is
//! rewritten with `--operator` (default `replace`); with policies, they
//! decide (a block writes nothing, lists the violations and exits 3), and
//! `--operator`, when given, replaces their operators. Exit codes: 0 text
//! written, 2 an error, 3 blocked.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use deepsentinel_core::{Category, EntityType};
use deepsentinel_detect::Scanner;
use deepsentinel_policy::{
    Action, Anonymizer, CompliancePolicy, Guard, GuardError, Keys, OperatorSpec, PolicySet, Vault,
};

/// Environment variable holding the HMAC key for `hash` (hex or base64).
const HMAC_ENV: &str = "DEEPSENTINEL_HMAC_KEY";
/// Environment variable holding the AES-256 key for `encrypt` (hex or base64).
const AES_ENV: &str = "DEEPSENTINEL_AES_KEY";

/// `redact` arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct RedactArgs {
    /// The file to rewrite; stdin when absent or `-`.
    #[arg(value_name = "PATH|-")]
    path: Option<PathBuf>,

    /// Operator for every rewritten value: replace, redact, mask, hash,
    /// encrypt or pseudonymize. hash reads its key from
    /// DEEPSENTINEL_HMAC_KEY (a random one for this run if unset); encrypt
    /// needs DEEPSENTINEL_AES_KEY (32 bytes, hex or base64).
    #[arg(long, value_name = "OP")]
    operator: Option<String>,

    /// A policy file (TOML/YAML) or preset (default, production, staging,
    /// development, hipaa, pci-dss, gdpr). Repeat to compose: the most
    /// restrictive decision wins.
    #[arg(long, value_name = "FILE|PRESET")]
    policy: Vec<String>,

    /// Scanner configuration file (TOML, or YAML for .yaml/.yml).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Write here instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

/// `policy` subcommands.
#[derive(clap::Subcommand, Debug)]
pub(crate) enum PolicyCommand {
    /// Validate a policy file (or name a preset) and print its effective
    /// table. Exit 0 when valid, 2 with every problem listed otherwise.
    Check {
        /// A policy file (TOML/YAML) or a preset name.
        #[arg(value_name = "FILE|PRESET")]
        policy: String,
        /// Print the policy as TOML (a template to edit) instead of a table.
        #[arg(long)]
        toml: bool,
    },
}

/// Runs `redact`.
pub(crate) fn redact(args: RedactArgs) -> ExitCode {
    match run_redact(args) {
        Ok(code) => code,
        Err(e) => crate::report_error(&e),
    }
}

fn keys(operator: Option<&OperatorSpec>, policies: &[CompliancePolicy]) -> Result<Keys> {
    let mut uses_hash = matches!(operator, Some(OperatorSpec::Hash { .. }));
    let mut uses_enc = matches!(operator, Some(OperatorSpec::Encrypt));
    if operator.is_none() {
        for p in policies {
            for op in p.operators.values() {
                uses_hash |= matches!(op, OperatorSpec::Hash { .. });
                uses_enc |= matches!(op, OperatorSpec::Encrypt);
            }
        }
    }
    let mut keys = Keys::ephemeral().context("cannot generate a key")?;
    match std::env::var(HMAC_ENV) {
        Ok(v) => {
            let k = Keys::decode_key("HMAC", &v).with_context(|| format!("${HMAC_ENV}"))?;
            keys = keys
                .with_hmac_key(&k)
                .with_context(|| format!("${HMAC_ENV}"))?;
        }
        Err(_) if uses_hash => eprintln!(
            "deepsentinel: note: ${HMAC_ENV} is not set; hashes use a random key and \
             match only within this run"
        ),
        Err(_) => {}
    }
    match std::env::var(AES_ENV) {
        Ok(v) => {
            let k = Keys::decode_key("AES", &v).with_context(|| format!("${AES_ENV}"))?;
            keys = keys
                .with_aes_key(&k)
                .with_context(|| format!("${AES_ENV}"))?;
        }
        Err(_) if uses_enc => bail!(
            "the encrypt operator needs ${AES_ENV} (32 bytes, hex or base64): \
             without it nobody could decrypt the output"
        ),
        Err(_) => {}
    }
    Ok(keys)
}

/// A policy that rewrites every finding with `op`.
fn rewrite_everything(op: &OperatorSpec) -> CompliancePolicy {
    let mut p =
        CompliancePolicy::preset("staging").unwrap_or_else(|_| CompliancePolicy::default_policy());
    p.name = "redact-all".into();
    p.categories = Category::ALL.to_vec();
    p.actions.default = if op.is_reversible() {
        Action::Anonymize
    } else {
        Action::Redact
    };
    p.actions.by_category.clear();
    p.actions.by_type.clear();
    p.thresholds.anonymize = 0.0;
    p.count_test_values = true;
    p
}

fn run_redact(args: RedactArgs) -> Result<ExitCode> {
    let mut problems = Vec::new();
    let operator = match args.operator.as_deref() {
        None => None,
        Some(name) => match OperatorSpec::parse(name) {
            Some(op) => Some(op),
            None => {
                problems.push(format!(
                    "--operator {name}: unknown (use replace, redact, mask, hash, encrypt or pseudonymize)"
                ));
                None
            }
        },
    };
    let mut policies = Vec::new();
    for spec in &args.policy {
        match CompliancePolicy::load(spec) {
            Ok(p) => policies.push(p),
            Err(e) => problems.push(format!("--policy {spec}: {e}")),
        }
    }
    let config = crate::args::load_config(args.config.as_deref(), &mut problems);
    if !problems.is_empty() {
        bail!("{}", problems.join("\n  "));
    }
    let explicit = operator.clone();
    let operator_for_keys = operator.clone();
    let mut policies = if policies.is_empty() {
        vec![rewrite_everything(
            operator.as_ref().unwrap_or(&OperatorSpec::Replace),
        )]
    } else {
        policies
    };
    if let Some(op) = &explicit {
        for p in &mut policies {
            for t in EntityType::BUILTIN {
                if p.covers_type(t)
                    && matches!(p.actions.for_type(t), Action::Redact | Action::Anonymize)
                {
                    p.operators.insert(t.clone(), op.clone());
                }
            }
        }
    }
    let keys = keys(operator_for_keys.as_ref(), &policies)?;
    let set = PolicySet::new(policies).context("invalid policy")?;
    let mut builder = Scanner::builder();
    if let Some(c) = config {
        builder.config(c);
    }
    let scanner = builder.build().context("invalid configuration")?;
    let guard = Guard::new(scanner, set, Anonymizer::new(keys));

    let (name, bytes) = match &args.path {
        Some(p) if p.as_os_str() != "-" => (
            p.display().to_string(),
            std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?,
        ),
        _ => {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .context("cannot read stdin")?;
            ("<stdin>".to_string(), buf)
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => bail!(
            "{name}: not UTF-8 text (invalid byte at offset {}); nothing was written",
            e.utf8_error().valid_up_to()
        ),
    };
    let mut vault = Vault::new();
    let protected = match guard.protect(&text, &mut vault) {
        Ok(p) => p,
        Err(GuardError::Blocked(b)) => {
            eprintln!(
                "deepsentinel: {name}: blocked (risk {:.2}, {:?}); nothing was written",
                b.risk.score, b.risk.level
            );
            for v in &b.violations {
                eprintln!("  - {v}");
            }
            return Ok(ExitCode::from(3));
        }
        Err(e) => return Err(e).context(name),
    };
    let out = protected.text.as_bytes();
    match &args.output {
        Some(path) => {
            std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(out)?;
            stdout.flush()?;
        }
    }
    let rewritten = protected.decision.plan().map_or(0, |p| p.items.len());
    if rewritten > 0 || !protected.findings.is_empty() {
        eprintln!(
            "deepsentinel: {name}: {} finding(s), {rewritten} rewritten, decision {}",
            protected.findings.len(),
            protected.decision.action()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `policy …`.
pub(crate) fn policy(cmd: PolicyCommand) -> ExitCode {
    match cmd {
        PolicyCommand::Check { policy, toml } => match check(&policy, toml) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => crate::report_error(&e),
        },
    }
}

fn check(spec: &str, as_toml: bool) -> Result<()> {
    let p = CompliancePolicy::load(spec)?;
    let mut out = std::io::stdout().lock();
    if as_toml {
        write!(out, "{}", p.to_toml()?)?;
        return Ok(());
    }
    let th = &p.thresholds;
    writeln!(out, "policy `{}` is valid", p.name)?;
    writeln!(
        out,
        "thresholds: max_risk_score {}, block {}, anonymize {}",
        th.max_risk_score, th.block, th.anonymize
    )?;
    writeln!(
        out,
        "block_on_violation {}, anonymize_sensitive_data {}, log_violations {}, \
         anonymize_audit_logs {}, count_test_values {}",
        p.block_on_violation,
        p.anonymize_sensitive_data,
        p.log_violations,
        p.anonymize_audit_logs,
        p.count_test_values
    )?;
    if !p.allow_list.values.is_empty() || !p.allow_list.patterns.is_empty() {
        writeln!(
            out,
            "allow-list: {} value(s), {} pattern(s)",
            p.allow_list.values.len(),
            p.allow_list.patterns.len()
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<24} {:<10} {:<10} {:<38} {:>6}",
        "TYPE", "CATEGORY", "ACTION", "OPERATOR", "WEIGHT"
    )?;
    for row in p.table() {
        writeln!(
            out,
            "{:<24} {:<10} {:<10} {:<38} {:>6.2}",
            row.entity_type.as_str(),
            row.category.as_str(),
            row.action.as_str(),
            row.operator
                .map(|o| o.to_string())
                .unwrap_or_else(|| "-".into()),
            row.weight
        )?;
    }
    let disabled: Vec<&str> = EntityType::BUILTIN
        .iter()
        .filter(|t| !p.covers_type(t))
        .map(EntityType::as_str)
        .collect();
    if !disabled.is_empty() {
        writeln!(out, "\nnot covered: {}", disabled.join(", "))?;
    }
    Ok(())
}
