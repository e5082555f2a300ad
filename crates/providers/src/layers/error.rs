use deepsentinel_core::{ConfigProblem, Error};

/// Why a layer configuration was refused. Names the layer and the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LayerConfigError {
    /// The field must be greater than zero.
    #[error("{layer}.{field} must be greater than zero")]
    Zero {
        /// The layer (`retry`, `breaker`, …).
        layer: &'static str,
        /// The field.
        field: &'static str,
    },
    /// The field is outside its allowed range.
    #[error("{layer}.{field} is out of range: {expected}")]
    OutOfRange {
        /// The layer.
        layer: &'static str,
        /// The field.
        field: &'static str,
        /// What would be accepted.
        expected: &'static str,
    },
    /// A list that needs at least one entry is empty.
    #[error("{layer}.{field} must not be empty")]
    Empty {
        /// The layer.
        layer: &'static str,
        /// The field.
        field: &'static str,
    },
}

impl LayerConfigError {
    /// The offending setting as `layer.field`.
    pub fn path(&self) -> String {
        match self {
            LayerConfigError::Zero { layer, field }
            | LayerConfigError::OutOfRange { layer, field, .. }
            | LayerConfigError::Empty { layer, field } => format!("{layer}.{field}"),
        }
    }
}

impl From<LayerConfigError> for Error {
    fn from(e: LayerConfigError) -> Error {
        Error::Config {
            problems: vec![ConfigProblem::new(e.path(), e.to_string())],
        }
    }
}

/// `Err(Zero)` when `value` is zero.
pub(crate) fn nonzero(
    value: u64,
    layer: &'static str,
    field: &'static str,
) -> Result<(), LayerConfigError> {
    if value == 0 {
        Err(LayerConfigError::Zero { layer, field })
    } else {
        Ok(())
    }
}

/// `Err(Zero)` when `value` is a zero duration.
pub(crate) fn nonzero_duration(
    value: std::time::Duration,
    layer: &'static str,
    field: &'static str,
) -> Result<(), LayerConfigError> {
    if value.is_zero() {
        Err(LayerConfigError::Zero { layer, field })
    } else {
        Ok(())
    }
}
