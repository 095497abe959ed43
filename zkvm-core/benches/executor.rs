//! Executor throughput on the loop guest: the fast path and the tracing path.
//!
//! `cargo bench -p zkvm-core --bench executor`; reports instructions per second (criterion's
//! "elements" throughput, one element per executed instruction).

#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zkvm_core::{Executor, Program, Tracer};

/// Loop iterations the guest runs per measurement.
const ITERATIONS: &str = "2000000";
/// Segment size of the tracing path (2^20 cycles, a typical segment).
const SEGMENT_CYCLES: u64 = 1 << 20;

fn loop_program() -> Arc<Program> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/elf/loop.elf");
    let elf = std::fs::read(path).expect("examples/elf/loop.elf is committed");
    Arc::new(Program::from_elf(&elf).expect("loop.elf loads"))
}

fn bench_executor(c: &mut Criterion) {
    let program = loop_program();
    let cycles = {
        let mut executor = Executor::new(program.clone(), ITERATIONS.into());
        executor.run().expect("loop guest halts");
        executor.cycles()
    };
    let mut group = c.benchmark_group("executor");
    group.throughput(Throughput::Elements(cycles));
    group.sample_size(10);
    group.bench_function("fast path", |b| {
        b.iter(|| {
            let mut executor = Executor::new(program.clone(), ITERATIONS.into());
            black_box(executor.run().expect("loop guest halts"))
        })
    });
    group.bench_function("tracing path", |b| {
        b.iter(|| {
            let executor = Executor::new(program.clone(), ITERATIONS.into());
            let mut recorded = 0;
            for segment in Tracer::new(executor, SEGMENT_CYCLES) {
                recorded += segment.expect("loop guest traces").cycles.len();
            }
            black_box(recorded)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_executor);
criterion_main!(benches);
