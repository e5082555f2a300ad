//! Token usage, cost and spending budgets.
//!
//! A [`UsageTracker`] adds up the tokens each provider and model used (from
//! responses, or from the final usage chunk of a stream), prices them with
//! a [`PriceTable`], and checks [`Budget`]s before a request is sent.
//!
//! Budgets are checked *before* a request ([`UsageTracker::check`]), with
//! what has been recorded so far: the request that crosses a limit is let
//! through (its cost is unknown until it answers) and the next one is
//! refused with [`Error::BudgetExceeded`]. Periods are calendar-aligned in
//! UTC (the hour, the day, the month) and every call takes the current time
//! as a parameter, so there is no hidden clock and tests are exact.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use deepsentinel_core::chat::Usage;
use deepsentinel_core::{ChatChunk, ChatResponse, Error};

const HOUR: u64 = 3600;
const DAY: u64 = 24 * HOUR;

/// The price of one model, in US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelPrice {
    /// USD per million prompt (input) tokens.
    pub input_per_million: f64,
    /// USD per million completion (output) tokens.
    pub output_per_million: f64,
}

impl ModelPrice {
    /// A price from USD per million input and output tokens.
    pub fn new(input_per_million: f64, output_per_million: f64) -> ModelPrice {
        ModelPrice {
            input_per_million,
            output_per_million,
        }
    }

    /// What `usage` costs at this price, in USD.
    pub fn cost(&self, usage: &Usage) -> f64 {
        (usage.prompt_tokens as f64 * self.input_per_million
            + usage.completion_tokens as f64 * self.output_per_million)
            / 1_000_000.0
    }
}

/// Prices per model, keyed by an exact model name or by a prefix ending in
/// `*` (`"gpt-4o*"` covers `gpt-4o-2024-08-06`).
///
/// Lookup picks the longest matching key; an exact key beats a prefix key
/// of the same length. A model no key matches has no price: it costs 0 and
/// [`UsageTracker::totals`] flags it as [`UsageTotals::unpriced`].
///
/// [`PriceTable::default`] holds a few current OpenAI and Anthropic models
/// (list prices at the time of writing, for standard, non-batch, non-cached
/// tokens). They go stale: override them with [`PriceTable::set`], or start
/// from [`PriceTable::empty`].
#[derive(Debug, Clone, PartialEq)]
pub struct PriceTable {
    /// Key (with its `*` when it is a prefix) -> price.
    entries: BTreeMap<String, ModelPrice>,
}

impl Default for PriceTable {
    fn default() -> PriceTable {
        let mut t = PriceTable::empty();
        for (key, input, output) in DEFAULT_PRICES {
            t.set(*key, ModelPrice::new(*input, *output));
        }
        t
    }
}

/// Built-in prices, USD per million input / output tokens.
const DEFAULT_PRICES: &[(&str, f64, f64)] = &[
    ("gpt-4o*", 2.50, 10.00),
    ("gpt-4o-mini*", 0.15, 0.60),
    ("gpt-4.1*", 2.00, 8.00),
    ("gpt-4.1-mini*", 0.40, 1.60),
    ("gpt-4.1-nano*", 0.10, 0.40),
    ("o3-mini*", 1.10, 4.40),
    ("claude-3-5-haiku*", 0.80, 4.00),
    ("claude-3-5-sonnet*", 3.00, 15.00),
    ("claude-3-7-sonnet*", 3.00, 15.00),
    ("claude-sonnet-4*", 3.00, 15.00),
    ("claude-opus-4*", 15.00, 75.00),
];

impl PriceTable {
    /// A table with no prices: every model is unpriced.
    pub fn empty() -> PriceTable {
        PriceTable {
            entries: BTreeMap::new(),
        }
    }

    /// Sets the price for `key`, an exact model name or a prefix ending in
    /// `*`, replacing any price the key had.
    pub fn set(&mut self, key: impl Into<String>, price: ModelPrice) -> &mut PriceTable {
        self.entries.insert(key.into(), price);
        self
    }

    /// [`PriceTable::set`] by value, for building a table in one expression.
    pub fn with(mut self, key: impl Into<String>, price: ModelPrice) -> PriceTable {
        self.set(key, price);
        self
    }

    /// The price of `model`: the longest matching key wins, exact before
    /// prefix at equal length. `None` when no key matches.
    pub fn price(&self, model: &str) -> Option<ModelPrice> {
        // (matched length, exact?) orders candidates: longer first, then exact.
        let mut best: Option<((usize, bool), ModelPrice)> = None;
        for (key, price) in &self.entries {
            let rank = match key.strip_suffix('*') {
                Some(prefix) if model.starts_with(prefix) => (prefix.len(), false),
                None if key == model => (key.len(), true),
                _ => continue,
            };
            if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                best = Some((rank, *price));
            }
        }
        best.map(|(_, p)| p)
    }

    /// What `usage` of `model` costs in USD, or `None` if it has no price.
    pub fn cost(&self, model: &str, usage: &Usage) -> Option<f64> {
        self.price(model).map(|p| p.cost(usage))
    }
}

/// A budget's period, calendar-aligned in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Period {
    /// The current clock hour (`hh:00:00` to the next hour).
    Hour,
    /// The current UTC day (midnight to midnight).
    Day,
    /// The current calendar month (the 1st, 00:00 UTC, to the next 1st).
    Month,
    /// Everything ever recorded by the tracker; never resets.
    Total,
}

impl Period {
    /// `hour`, `day`, `month` or `total` (the `period` of
    /// [`Error::BudgetExceeded`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Hour => "hour",
            Period::Day => "day",
            Period::Month => "month",
            Period::Total => "total",
        }
    }

    /// The period containing `now`, as `[start, end)` in Unix seconds;
    /// `end` is `None` for [`Period::Total`]. Times before the Unix epoch
    /// count as the epoch.
    pub fn bounds(self, now: SystemTime) -> (u64, Option<u64>) {
        let secs = unix_secs(now);
        match self {
            Period::Hour => {
                let start = secs - secs % HOUR;
                (start, Some(start + HOUR))
            }
            Period::Day => {
                let start = secs - secs % DAY;
                (start, Some(start + DAY))
            }
            Period::Month => {
                let (y, m, _) = civil_from_days(secs / DAY);
                let start = days_from_civil(y, m, 1) * DAY;
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                (start, Some(days_from_civil(ny, nm, 1) * DAY))
            }
            Period::Total => (0, None),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Days since 1970-01-01 to (year, month 1..=12, day 1..=31), proleptic
/// Gregorian (Howard Hinnant's `civil_from_days`, for non-negative days).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

/// (year >= 1970, month, day) to days since 1970-01-01.
fn days_from_civil(y: u64, m: u64, d: u64) -> u64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).saturating_sub(719_468)
}

/// A spending limit for a period, over all spending or one provider or
/// model.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// The period the limit applies to.
    pub period: Period,
    /// The limit in USD. A budget is used up once spending reaches it
    /// (`spent >= limit_usd`), so a limit of 0 refuses every request.
    pub limit_usd: f64,
    /// What the budget covers: `None` for all spending, else a provider's
    /// configured name or a model name (compared exactly with both).
    pub scope: Option<String>,
}

impl Budget {
    /// A budget over all spending.
    pub fn new(period: Period, limit_usd: f64) -> Budget {
        Budget {
            period,
            limit_usd,
            scope: None,
        }
    }

    /// The same budget restricted to a provider or model.
    pub fn scoped(mut self, scope: impl Into<String>) -> Budget {
        self.scope = Some(scope.into());
        self
    }

    /// Whether a request to `provider`'s `model` counts against this budget.
    pub fn applies_to(&self, provider: &str, model: &str) -> bool {
        self.scope
            .as_deref()
            .is_none_or(|s| s == provider || s == model)
    }

    /// Checks this budget against `tracker`'s recorded spending, before a
    /// request to `provider`'s `model` at `now`.
    ///
    /// # Errors
    /// [`Error::BudgetExceeded`] when the budget applies to the request and
    /// spending in the current period has reached the limit.
    pub fn check(
        &self,
        tracker: &UsageTracker,
        provider: &str,
        model: &str,
        now: SystemTime,
    ) -> Result<(), Error> {
        if !self.applies_to(provider, model) {
            return Ok(());
        }
        let spent = tracker.spent(self.period, self.scope.as_deref(), now);
        if spent >= self.limit_usd {
            return Err(Error::BudgetExceeded {
                period: self.period.as_str().to_owned(),
                scope: self.scope.clone(),
                limit_usd: self.limit_usd,
                spent_usd: spent,
            });
        }
        Ok(())
    }
}

/// What one provider and model used, as [`UsageTracker::totals`] reports.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageTotals {
    /// The provider's configured name.
    pub provider: String,
    /// The model.
    pub model: String,
    /// How many responses (or streams) with usage were recorded.
    pub requests: u64,
    /// Prompt tokens.
    pub prompt_tokens: u64,
    /// Completion tokens.
    pub completion_tokens: u64,
    /// Cost in USD (0 for an unpriced model).
    pub cost_usd: f64,
    /// Whether the price table had no price for the model, so `cost_usd`
    /// understates what was spent.
    pub unpriced: bool,
}

#[derive(Debug, Default)]
struct Entry {
    requests: u64,
    prompt_tokens: u64,
    completion_tokens: u64,
    cost_usd: f64,
    unpriced: bool,
    /// Cost per UTC hour (hours since the epoch). Hours, days and months
    /// all start on an hour boundary, so one map answers every period.
    hours: BTreeMap<u64, f64>,
}

#[derive(Debug, Default)]
struct Ledger {
    entries: HashMap<(String, String), Entry>,
    /// Hour buckets before this hour have been dropped.
    kept_from: u64,
}

impl Ledger {
    /// Drops hour buckets older than the start of the month before the one
    /// containing `hour`: calendar periods never reach further back, and
    /// the map stays bounded (at most ~62 days of hours per model).
    fn prune(&mut self, hour: u64) {
        let (y, m, _) = civil_from_days(hour * HOUR / DAY);
        let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
        let cutoff = days_from_civil(py, pm, 1) * DAY / HOUR;
        if cutoff <= self.kept_from {
            return;
        }
        self.kept_from = cutoff;
        for e in self.entries.values_mut() {
            e.hours = e.hours.split_off(&cutoff);
        }
    }
}

#[derive(Debug)]
struct Shared {
    prices: PriceTable,
    budgets: Vec<Budget>,
    ledger: Mutex<Ledger>,
}

/// Adds up token usage and cost per provider and model, and checks
/// budgets.
///
/// Cheap to clone (clones share the same totals), `Send + Sync`; every
/// method takes `&self`. Each record costs one short lock. Hourly spending
/// is kept for the current and the previous calendar month (enough for
/// every [`Period`]); [`Period::Total`] and [`UsageTracker::totals`] cover
/// everything ever recorded.
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use deepsentinel::{Budget, ModelPrice, Period, PriceTable, UsageTracker};
/// use deepsentinel_core::chat::Usage;
///
/// let prices = PriceTable::empty().with("gpt-4o*", ModelPrice::new(2.5, 10.0));
/// let tracker = UsageTracker::new(prices, vec![Budget::new(Period::Day, 0.01)]);
/// let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// tracker.check("openai", "gpt-4o", now).expect("nothing spent yet");
/// tracker.record("openai", "gpt-4o-2024-08-06", &Usage::new(2000, 1000), now);
/// assert!((tracker.spent(Period::Day, None, now) - 0.015).abs() < 1e-12);
/// assert!(tracker.check("openai", "gpt-4o", now).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct UsageTracker {
    shared: Arc<Shared>,
}

impl Default for UsageTracker {
    /// The default price table and no budgets.
    fn default() -> UsageTracker {
        UsageTracker::new(PriceTable::default(), Vec::new())
    }
}

impl UsageTracker {
    /// A tracker pricing with `prices` and enforcing `budgets` in
    /// [`UsageTracker::check`].
    pub fn new(prices: PriceTable, budgets: Vec<Budget>) -> UsageTracker {
        UsageTracker {
            shared: Arc::new(Shared {
                prices,
                budgets,
                ledger: Mutex::new(Ledger::default()),
            }),
        }
    }

    /// The price table.
    pub fn prices(&self) -> &PriceTable {
        &self.shared.prices
    }

    /// The budgets [`UsageTracker::check`] enforces.
    pub fn budgets(&self) -> &[Budget] {
        &self.shared.budgets
    }

    fn ledger(&self) -> MutexGuard<'_, Ledger> {
        // A panic elsewhere while holding the lock leaves consistent
        // numbers (every update is a few additions), so keep counting.
        self.shared
            .ledger
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Records one response's (or stream's) `usage` of `provider`'s `model`
    /// at time `at`, and returns its cost in USD (`None` if the model has
    /// no price).
    pub fn record(
        &self,
        provider: &str,
        model: &str,
        usage: &Usage,
        at: SystemTime,
    ) -> Option<f64> {
        let cost = self.shared.prices.cost(model, usage);
        let hour = unix_secs(at) / HOUR;
        let mut ledger = self.ledger();
        ledger.prune(hour);
        let key = (provider.to_owned(), model.to_owned());
        let e = ledger.entries.entry(key).or_default();
        e.requests += 1;
        e.prompt_tokens += usage.prompt_tokens;
        e.completion_tokens += usage.completion_tokens;
        e.unpriced |= cost.is_none();
        let c = cost.unwrap_or(0.0);
        e.cost_usd += c;
        *e.hours.entry(hour).or_insert(0.0) += c;
        cost
    }

    /// Records a response's usage under `response.meta.provider` and the
    /// model that answered (`response.model`, or `meta.model` when the
    /// response names none). Returns `false` when the response carries no
    /// usage.
    pub fn record_response(&self, response: &ChatResponse, at: SystemTime) -> bool {
        let Some(usage) = response.usage.value() else {
            return false;
        };
        let model = if response.model.is_empty() {
            &response.meta.model
        } else {
            &response.model
        };
        self.record(&response.meta.provider, model, usage, at);
        true
    }

    /// Records a stream chunk's usage if it has any (the final chunk of a
    /// stream sent with `stream_options.include_usage`); `model` falls back
    /// to the chunk's own when empty. Returns whether usage was recorded.
    pub fn record_chunk(
        &self,
        provider: &str,
        model: &str,
        chunk: &ChatChunk,
        at: SystemTime,
    ) -> bool {
        let Some(usage) = chunk.usage.value() else {
            return false;
        };
        let model = match chunk.model.as_deref() {
            Some(m) if model.is_empty() => m,
            _ => model,
        };
        self.record(provider, model, usage, at);
        true
    }

    /// Totals per provider and model, sorted by provider then model.
    pub fn totals(&self) -> Vec<UsageTotals> {
        let ledger = self.ledger();
        let mut out: Vec<UsageTotals> = ledger
            .entries
            .iter()
            .map(|((provider, model), e)| UsageTotals {
                provider: provider.clone(),
                model: model.clone(),
                requests: e.requests,
                prompt_tokens: e.prompt_tokens,
                completion_tokens: e.completion_tokens,
                cost_usd: e.cost_usd,
                unpriced: e.unpriced,
            })
            .collect();
        out.sort_by(|a, b| (&a.provider, &a.model).cmp(&(&b.provider, &b.model)));
        out
    }

    /// USD spent in the `period` containing `now`, over everything
    /// (`scope` `None`) or one provider or model (compared exactly with
    /// both). Spending recorded later in the same period counts too.
    pub fn spent(&self, period: Period, scope: Option<&str>, now: SystemTime) -> f64 {
        let (start, end) = period.bounds(now);
        let ledger = self.ledger();
        ledger
            .entries
            .iter()
            .filter(|((p, m), _)| scope.is_none_or(|s| s == p || s == m))
            .map(|(_, e)| match end {
                None => e.cost_usd,
                Some(end) => e
                    .hours
                    .range(start / HOUR..end / HOUR)
                    .map(|(_, c)| c)
                    .sum(),
            })
            .sum()
    }

    /// Checks every budget that applies to a request to `provider`'s
    /// `model` at `now`. Call it *before* sending.
    ///
    /// # Errors
    /// [`Error::BudgetExceeded`] for the first budget (in configuration
    /// order) whose period's spending has reached its limit.
    pub fn check(&self, provider: &str, model: &str, now: SystemTime) -> Result<(), Error> {
        self.shared
            .budgets
            .iter()
            .try_for_each(|b| b.check(self, provider, model, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        // 2024-02-29 is day 19_782.
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
        for d in (0..80_000).step_by(7) {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn month_bounds_cross_the_year() {
        // 2024-12-31T23:59:59Z
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_735_689_599);
        let (start, end) = Period::Month.bounds(t);
        assert_eq!(start, 1_733_011_200); // 2024-12-01
        assert_eq!(end, Some(1_735_689_600)); // 2025-01-01
    }

    #[test]
    fn old_hours_are_pruned_but_totals_stay() {
        let tracker = UsageTracker::new(
            PriceTable::empty().with("m", ModelPrice::new(1e6, 0.0)),
            Vec::new(),
        );
        let jan = UNIX_EPOCH + std::time::Duration::from_secs(1_704_067_200); // 2024-01-01
        let apr = UNIX_EPOCH + std::time::Duration::from_secs(1_711_929_600); // 2024-04-01
        tracker.record("p", "m", &Usage::new(1, 0), jan);
        tracker.record("p", "m", &Usage::new(2, 0), apr);
        let ledger = tracker.ledger();
        let e = ledger.entries.values().next().expect("one entry");
        assert_eq!(e.hours.len(), 1);
        assert_eq!(e.cost_usd, 3.0);
    }
}
