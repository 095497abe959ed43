//! The final proof on the command line: `zkvm prove` aggregates the segment proofs with the
//! recursion tree of the config's `[recursion]` section into one final proof, and `zkvm verify`
//! checks it against the ELF, the config and (with `--input`) the input.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use zkvm_core::prover::{StatementTables, enclosing_shape, execution_shapes};
use zkvm_core::{Executor, Program};
use zkvm_plugins::Config;
use zkvm_recursion::node::{
    AggregationEvent, AggregationParameters, FinalFileError, FinalKey, FinalProofFile, FinalVerifyError,
    SegmentChild, Topology, check_final_claims, decode_final_proof, encode_final_proof, prove_run,
    verify_run_with_key,
};

use crate::Failure;
use crate::prove::{EXIT_INVALID, Prepared, prove_segments, statement_tables, write_atomically};

/// Layers the tree has for `segments` segment proofs at `arity` (the leaves count as one; the
/// final node, which re-proves the root, is not counted).
fn layers_needed(segments: usize, arity: usize) -> usize {
    Topology { arity }.layer_sizes(segments).len()
}

/// Refuses a run whose tree would not have the config's `recursion.layers`, when it is set.
fn check_layers(config: &Config, segments: usize, arity: usize) -> Result<(), Failure> {
    match config.recursion.layers {
        Some(layers) if layers != layers_needed(segments, arity) => Err(Failure::usage(format!(
            "recursion.layers = {layers}, but {segments} segment(s) at arity {arity} aggregate in {} layer(s); \
             remove `layers` or change the arity or the segment size",
            layers_needed(segments, arity)
        ))),
        _ => Ok(()),
    }
}

/// Proves the prepared run's segments, aggregates them into the final proof and writes it to
/// `output` (through `OUTPUT.partial`, so no partial file is left looking like a proof).
pub(crate) fn prove_final(prepared: &Prepared, max_cycles: u64, output: &Path) -> Result<u8, Failure> {
    let parameters = &prepared.aggregation;
    let segments = usize::try_from(prepared.segments).unwrap_or(usize::MAX);
    check_layers(&prepared.config, segments, parameters.topology.arity)?;
    // One recursive verifier circuit per segment shape: every segment is padded to the run's
    // shape (the tallest height of each table over its segments), measured first.
    let measuring = Instant::now();
    eprintln!("zkvm: measuring the table heights of {segments} segment(s)");
    let executor =
        Executor::new(prepared.program.clone(), prepared.input.clone()).with_max_cycles(max_cycles);
    let shapes = execution_shapes(&prepared.tables, executor, &prepared.options)
        .map_err(|e| Failure::usage(format!("measuring the segments failed: {e}; no proof was written")))?;
    let shape = enclosing_shape(&shapes);
    let padded = shapes.iter().filter(|s| **s != shape).count();
    eprintln!(
        "zkvm: run shape measured in {:.2} s; {padded} of {} segment(s) padded to it",
        measuring.elapsed().as_secs_f64(),
        shapes.len()
    );
    let started = Instant::now();
    let mut children = Vec::with_capacity(segments);
    prove_segments(prepared, max_cycles, Some(&shape), |record| {
        let public_values = record.public_values()?;
        children.push(SegmentChild { proof: record.proof, public_values });
        Ok(())
    })?;
    let segment_seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "zkvm: aggregating {segments} segment proof(s), {} per node, then the final node",
        parameters.topology.arity
    );
    let aggregating = Instant::now();
    let proof = crate::phases::with_phase_reports(|| {
        prove_run(&prepared.tables, &children, parameters, |event| match event {
            AggregationEvent::CircuitsBuilt { elapsed } => {
                eprintln!("zkvm: node circuits and their keys built in {:.2} s", elapsed.as_secs_f64())
            }
            AggregationEvent::NodeProven { layer, index, proven, elapsed } => eprintln!(
                "zkvm:   layer {} node {}/{proven} proven in {:.2} s",
                layer + 1,
                index + 1,
                elapsed.as_secs_f64()
            ),
            AggregationEvent::LayerProven(report) => eprintln!(
                "zkvm: aggregation layer {}: {} node(s) proven in {:.2} s",
                report.layer + 1,
                report.nodes,
                report.elapsed.as_secs_f64()
            ),
            AggregationEvent::FinalProven { elapsed } => {
                eprintln!("zkvm: final node proven in {:.2} s", elapsed.as_secs_f64())
            }
        })
    })
    .map_err(|e| Failure::usage(format!("aggregation failed: {e}; no proof was written")))?;
    drop(children);
    let file = FinalProofFile { statement: prepared.statement.clone(), proof };
    let bytes = encode_final_proof(&file, parameters)
        .map_err(|e| Failure::usage(format!("cannot encode the final proof: {e}")))?;
    write_atomically(output, |writer| writer.write_all(&bytes).map_err(|e| e.to_string()))?;
    eprintln!(
        "zkvm: segments proven in {segment_seconds:.2} s, aggregated in {:.2} s; final proof of {} bytes \
         (exit code {}) written to {}",
        aggregating.elapsed().as_secs_f64(),
        bytes.len(),
        file.proof.exit_code,
        output.display()
    );
    Ok(0)
}

/// A final proof that verified.
pub(crate) struct VerifiedFinal {
    /// The exit code it attests.
    pub(crate) exit_code: u32,
    /// Number of segments the run was proven in.
    pub(crate) segments: usize,
    /// The input and public output it is about.
    pub(crate) statement: zkvm_core::prover::BundleStatement,
}

/// Verifies the final-proof file `bytes` against `program` (loaded from `elf`), the config's
/// chipset and parameters, and, when `input` is given, that file's bytes as the input.
pub(crate) fn verify_final(
    bytes: &[u8],
    program: &Program,
    elf: &Path,
    config: &Config,
    parameters: &AggregationParameters,
    input: Option<&Path>,
) -> Result<VerifiedFinal, Failure> {
    let invalid =
        |reason: String| Failure { status: EXIT_INVALID, message: format!("invalid proof: {reason}") };
    let file = decode_final_proof(bytes, parameters).map_err(|e: FinalFileError| invalid(e.to_string()))?;
    if let Some(path) = input
        && crate::run::read_file(path, "input file")? != file.statement.input
    {
        return Err(invalid(format!("its input is not the contents of {}", path.display())));
    }
    let segments = file.proof.segments;
    check_layers(config, segments, parameters.topology.arity)
        .map_err(|e| invalid(format!("{segments} segment(s): {}", e.message)))?;
    let precompiles = crate::settings::precompiles(config)?;
    let tables: StatementTables = statement_tables(elf, program, &file.statement)?
        .with_precompiles(precompiles)
        .map_err(|e| Failure::usage(format!("a precompile's constraints are malformed: {e}")))?;
    let (input_length, output_length) = (file.statement.input.len(), file.statement.output.len());
    let refused = |e: FinalVerifyError| invalid(e.to_string());
    check_final_claims(&file.proof, output_length).map_err(refused)?;
    // The key is the verifier's own work: the node circuits for the proof's segment shape and
    // the final circuit (tens of seconds at the default parameters, whatever the segment count).
    eprintln!(
        "zkvm: building the verifying key for segment shape {:?} (the node circuits and the final circuit)",
        file.proof.segment_shape
    );
    let building = Instant::now();
    let key = FinalKey::new(&tables, &file.proof.segment_shape, parameters).map_err(refused)?;
    eprintln!("zkvm: key built in {:.2} s; checking the proof", building.elapsed().as_secs_f64());
    let verified = verify_run_with_key(
        &tables,
        program.entry,
        input_length,
        output_length,
        &file.proof,
        parameters,
        &key,
    )
    .map_err(refused)?;
    Ok(VerifiedFinal {
        exit_code: verified.exit_code,
        segments: verified.segments,
        statement: file.statement,
    })
}
