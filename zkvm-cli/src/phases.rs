//! Progress lines for the phases of proving, read from the proof system's `tracing` spans.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Instant;

use tracing::Subscriber;
use tracing::span::{Attributes, Id};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};

/// The proof system's spans that start a phase, and how the phase is announced.
const PHASES: [(&str, &str); 4] = [
    ("compute quotient", "computing the quotient polynomials"),
    ("FRI prover", "opening: FRI"),
    ("commit phase", "FRI commit phase (folding)"),
    ("query phase", "FRI query phase"),
];

/// Prints one line on stderr the first time each phase starts.
struct PhaseReporter {
    started: Instant,
    announced: Mutex<HashSet<&'static str>>,
}

impl<S: Subscriber> Layer<S> for PhaseReporter {
    fn on_new_span(&self, attributes: &Attributes<'_>, _id: &Id, _context: Context<'_, S>) {
        let name = attributes.metadata().name();
        let Some(&(span, description)) = PHASES.iter().find(|(span, _)| *span == name) else {
            return;
        };
        let first = self.announced.lock().map(|mut seen| seen.insert(span)).unwrap_or(false);
        if first {
            eprintln!("zkvm:   {description} (at {:.2} s)", self.started.elapsed().as_secs_f64());
        }
    }
}

/// Runs `work` with phase reporting on. The reporter is installed process-wide, because the
/// proof system creates some spans on its worker threads; the CLI runs one command per process.
pub(crate) fn with_phase_reports<T>(work: impl FnOnce() -> T) -> T {
    let reporter = PhaseReporter { started: Instant::now(), announced: Mutex::new(HashSet::new()) };
    // If a subscriber is already installed, proving simply runs without phase lines.
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(reporter));
    work()
}
