//! Structured signals (placeholder until the detectors land; same API).

/// Which detector found something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Detector {
    /// A contact handle.
    ContactHandle,
}

impl Detector {
    /// The signal name rules refer to.
    pub fn name(self) -> &'static str {
        "contact_handle"
    }
}

/// A finding: byte range into the scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detection {
    /// Which detector.
    pub detector: Detector,
    /// Start byte.
    pub start: usize,
    /// End byte.
    pub end: usize,
}

/// All detectors.
#[derive(Debug, Default)]
pub struct Detectors {}

impl Detectors {
    /// Compile the detectors.
    pub fn new() -> Detectors {
        Detectors {}
    }

    /// Findings in the folded text.
    pub fn detect_folded(&self, _folded: &str, _channel_ends: &[usize], _out: &mut Vec<Detection>) {
    }

    /// Findings in the original text.
    pub fn detect_original(&self, _original: &str, _out: &mut Vec<Detection>) {}
}
