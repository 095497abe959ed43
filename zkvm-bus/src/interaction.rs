//! Sending, receiving and providing messages from a chip's AIR.
//!
//! These are the only way a chip speaks on a bus. Multiplicities follow one convention:
//! a send counts `+k`, a receive `-k`, so every bus must sum to zero over all chips.

use p3_lookup::{Count, InteractionBuilder};

use crate::message::Message;
use crate::registry::BusKind;

/// Sends `message` on its bus, `selector` times.
///
/// `selector` must be constrained by the chip to be 0 or 1 on every row (the lookup argument's
/// height bound counts it as at most 1 per row).
pub fn send<AB, M>(builder: &mut AB, message: M, selector: impl Into<AB::Expr>)
where
    AB: InteractionBuilder,
    M: Message<AB::Expr>,
{
    builder.push_interaction(M::BUS.name, message.into_fields(), Count::bounded(selector.into(), 1));
}

/// Receives `message` from its bus, `selector` times.
///
/// `selector` must be constrained by the chip to be 0 or 1 on every row.
pub fn receive<AB, M>(builder: &mut AB, message: M, selector: impl Into<AB::Expr>)
where
    AB: InteractionBuilder,
    M: Message<AB::Expr>,
{
    builder.push_interaction(M::BUS.name, message.into_fields(), Count::bounded(-selector.into(), 1));
}

/// Provides a row of a lookup table: answers `multiplicity` queries for `message`.
///
/// Only for [`BusKind::Lookup`] buses. The multiplicity is a free column of the table (it is
/// the number of queries, which the prover knows); its size is bounded by the lookup
/// argument's height check over all query sides, so the table side adds no weight.
pub fn provide<AB, M>(builder: &mut AB, message: M, multiplicity: impl Into<AB::Expr>)
where
    AB: InteractionBuilder,
    M: Message<AB::Expr>,
{
    debug_assert_eq!(M::BUS.kind, BusKind::Lookup, "only lookup buses have tables: {}", M::BUS.name);
    builder.push_interaction(M::BUS.name, message.into_fields(), Count::provided(-multiplicity.into()));
}
