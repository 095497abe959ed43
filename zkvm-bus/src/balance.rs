//! The debug balancer: for a set of chip traces that does not balance, names the bus, the
//! message, and the chips and rows on each side.
//!
//! The proof system only reports that *some* bus failed to balance (a non-zero LogUp sum). This
//! module replays every interaction of every chip on the actual trace values, sums the
//! multiplicities per (bus, message), and reports each message whose total is not zero. It is a
//! prover-side diagnostic; the verifier never runs it.

use std::collections::BTreeMap;
use std::fmt;

use p3_air::symbolic::AirLayout;
use p3_air::{Air, BaseAir, RowWindow};
use p3_field::{ExtensionField, PrimeField32};
use p3_lookup::InteractionSymbolicBuilder;
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;

use crate::row::RowEvaluator;

/// One chip's trace, as the balancer needs it.
pub struct ChipTrace<'a, F, A> {
    /// The chip's name, used in reports.
    pub name: &'a str,
    /// The chip's AIR.
    pub air: &'a A,
    /// Its main trace.
    pub main: &'a RowMajorMatrix<F>,
    /// Its preprocessed trace, if it has one.
    pub preprocessed: Option<&'a RowMajorMatrix<F>>,
    /// Its public values.
    pub public_values: &'a [F],
}

/// Where a message was sent or received, and with which multiplicity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The chip.
    pub chip: String,
    /// The row of its trace.
    pub row: usize,
    /// The signed multiplicity on that row (positive: sent; negative: received).
    pub multiplicity: i64,
}

/// A message whose multiplicities over all chips do not sum to zero.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imbalance {
    /// The bus (for a chip-local lookup: `local:CHIP:N`).
    pub bus: String,
    /// The message, as canonical field values.
    pub message: Vec<u32>,
    /// The sum of all multiplicities (positive: sent more often than received).
    pub net: i64,
    /// Every row that sent or received this message.
    pub endpoints: Vec<Endpoint>,
}

/// Every unbalanced message of a set of traces.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImbalanceReport {
    /// The unbalanced messages, by bus then message.
    pub imbalances: Vec<Imbalance>,
}

/// Shows a field element as a small signed integer when it is one.
fn signed<F: PrimeField32>(value: F) -> i64 {
    let v = value.as_canonical_u32();
    if v > F::ORDER_U32 / 2 { i64::from(v) - i64::from(F::ORDER_U32) } else { i64::from(v) }
}

impl fmt::Display for ImbalanceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 4;
        for imbalance in &self.imbalances {
            let (senders, receivers): (Vec<_>, Vec<_>) =
                imbalance.endpoints.iter().partition(|e| e.multiplicity > 0);
            let describe = |side: &[&Endpoint]| {
                if side.is_empty() {
                    return "nobody".to_string();
                }
                let mut text: Vec<String> = side
                    .iter()
                    .take(SHOWN)
                    .map(|e| format!("{} row {} (x{})", e.chip, e.row, e.multiplicity.abs()))
                    .collect();
                if side.len() > SHOWN {
                    text.push(format!("{} more", side.len() - SHOWN));
                }
                text.join(", ")
            };
            writeln!(
                f,
                "bus {}: message {:?} is off by {:+}: sent by {}; received by {}",
                imbalance.bus,
                imbalance.message,
                imbalance.net,
                describe(&senders),
                describe(&receivers)
            )?;
        }
        Ok(())
    }
}

type Tally = BTreeMap<(String, Vec<u32>), Vec<Endpoint>>;

/// Replays every interaction of `chips` and reports the messages that do not balance.
///
/// Returns `Ok(())` when every bus balances (every message's multiplicities sum to zero).
pub fn check_balance<F, EF, A>(chips: &[ChipTrace<'_, F, A>]) -> Result<(), ImbalanceReport>
where
    F: PrimeField32,
    EF: ExtensionField<F>,
    A: Air<InteractionSymbolicBuilder<F, EF>> + BaseAir<F>,
{
    let mut tally: Tally = BTreeMap::new();
    for chip in chips {
        let mut symbolic = InteractionSymbolicBuilder::<F, EF>::new(AirLayout::from_air(chip.air));
        chip.air.eval(&mut symbolic);
        let height = chip.main.height();
        for row in 0..height {
            let next = (row + 1) % height;
            let main_rows = (chip.main.row_slice(row).expect("row"), chip.main.row_slice(next).expect("row"));
            let pre_rows =
                chip.preprocessed.map(|p| (p.row_slice(row).expect("row"), p.row_slice(next).expect("row")));
            let empty: &[F] = &[];
            let evaluator = RowEvaluator {
                main: RowWindow::from_two_rows(&main_rows.0, &main_rows.1),
                preprocessed: match &pre_rows {
                    Some((current, next)) => RowWindow::from_two_rows(current, next),
                    None => RowWindow::from_two_rows(empty, empty),
                },
                public_values: chip.public_values,
                row,
                height,
                violated: 0,
                outputs: Vec::new(),
            };
            for interaction in symbolic.global_interactions() {
                let count = interaction.count.resolve(&evaluator);
                if count.is_zero() {
                    continue;
                }
                let message =
                    interaction.fields.iter().map(|e| e.resolve(&evaluator).as_canonical_u32()).collect();
                tally.entry((interaction.bus_name.clone(), message)).or_default().push(Endpoint {
                    chip: chip.name.to_string(),
                    row,
                    multiplicity: signed(count),
                });
            }
            for (n, local) in symbolic.local_interactions().iter().enumerate() {
                for (fields, count) in &local.tuples {
                    let (count, _) = count.clone().into_parts();
                    let count = count.resolve(&evaluator);
                    if count.is_zero() {
                        continue;
                    }
                    let message = fields.iter().map(|e| e.resolve(&evaluator).as_canonical_u32()).collect();
                    tally.entry((format!("local:{}:{n}", chip.name), message)).or_default().push(Endpoint {
                        chip: chip.name.to_string(),
                        row,
                        multiplicity: signed(count),
                    });
                }
            }
        }
    }
    let imbalances: Vec<Imbalance> = tally
        .into_iter()
        .filter_map(|((bus, message), endpoints)| {
            // Sum in the field, as the argument does, then show the total as a signed integer.
            let net = endpoints.iter().fold(F::ZERO, |acc, e| acc + F::from_i64(e.multiplicity));
            (!net.is_zero()).then(|| Imbalance { bus, message, net: signed(net), endpoints })
        })
        .collect();
    if imbalances.is_empty() { Ok(()) } else { Err(ImbalanceReport { imbalances }) }
}
