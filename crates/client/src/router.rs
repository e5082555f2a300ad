//! Which provider serves a request: the one it names, else the first
//! route whose model prefix matches, else the default provider.

use std::sync::Arc;

use deepsentinel_core::{ConfigProblem, Error, Provider};

/// Named providers (each usually a resilience stack) and model routes.
#[derive(Clone, Default)]
pub(crate) struct Router {
    providers: Vec<(String, Arc<dyn Provider>)>,
    /// (model prefix, provider name), longest prefix first.
    routes: Vec<(String, String)>,
    default: Option<String>,
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field(
                "providers",
                &self.providers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("routes", &self.routes)
            .field("default", &self.default)
            .finish()
    }
}

impl Router {
    pub(crate) fn add(&mut self, name: String, provider: Arc<dyn Provider>) {
        self.providers.retain(|(n, _)| *n != name);
        self.providers.push((name, provider));
    }

    pub(crate) fn route(&mut self, prefix: String, provider: String) {
        self.routes.push((prefix, provider));
        self.routes.sort_by_key(|r| std::cmp::Reverse(r.0.len()));
    }

    pub(crate) fn set_default(&mut self, name: String) {
        self.default = Some(name);
    }

    /// Makes the first provider added the default when none was named.
    pub(crate) fn ensure_default(&mut self) {
        if self.default.is_none() {
            self.default = self.providers.first().map(|(n, _)| n.clone());
        }
    }

    pub(crate) fn providers(&self) -> &[(String, Arc<dyn Provider>)] {
        &self.providers
    }

    fn get(&self, name: &str) -> Option<&Arc<dyn Provider>> {
        self.providers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p)
    }

    /// Problems: no provider, routes or a default naming unknown providers.
    pub(crate) fn problems(&self) -> Vec<ConfigProblem> {
        let mut out = Vec::new();
        if self.providers.is_empty() {
            out.push(ConfigProblem::new("providers", "no provider is configured"));
        }
        for (prefix, p) in &self.routes {
            if self.get(p).is_none() {
                out.push(ConfigProblem::new(
                    format!("routes.{prefix}"),
                    format!("names provider `{p}`, which is not configured"),
                ));
            }
        }
        if let Some(d) = &self.default {
            if self.get(d).is_none() {
                out.push(ConfigProblem::new(
                    "default_provider",
                    format!("names provider `{d}`, which is not configured"),
                ));
            }
        }
        out
    }

    /// The provider for a call: `named` if given, else by model prefix,
    /// else the default, else the only provider.
    pub(crate) fn pick(
        &self,
        named: Option<&str>,
        model: &str,
    ) -> Result<&Arc<dyn Provider>, Error> {
        if let Some(name) = named {
            return self.get(name).ok_or_else(|| Error::InvalidRequest {
                provider: None,
                reason: format!("provider `{name}` is not configured"),
                param: Some("provider".into()),
            });
        }
        if let Some((_, p)) = self
            .routes
            .iter()
            .find(|(prefix, _)| model.starts_with(prefix.as_str()))
        {
            if let Some(p) = self.get(p) {
                return Ok(p);
            }
        }
        if let Some(p) = self.default.as_deref().and_then(|d| self.get(d)) {
            return Ok(p);
        }
        match self.providers.as_slice() {
            [(_, only)] => Ok(only),
            _ => Err(Error::InvalidRequest {
                provider: None,
                reason: format!("no route for model `{model}` and no default provider"),
                param: Some("model".into()),
            }),
        }
    }
}
