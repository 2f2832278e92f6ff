//! How long loading (parse, check, resolve) and Rust generation take for the bundled spec and for
//! synthetic specs 10 and 100 times its size.
//!
//! The synthetic specs repeat the bundled spec's enums, records and endpoints under new names,
//! ids and paths (`MemberCopy3`, `create_user_copy3`, `/cgi-bin/user/manage/create/copy3`), with
//! every type reference of a copy pointing at the same copy's types, so each copy is as much work
//! as the original. Throughput is in endpoints: criterion's "thrpt" line (endpoints per second)
//! should stay flat from 1x to 100x if the cost is linear.
//!
//! Run with `cargo bench -p wecard-codegen --bench generate`.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark whose input is broken can only stop"
)]

use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group,
    criterion_main,
};
use serde_yaml::Value;
use wecard_codegen::Model;
use wecard_codegen::emit::rust::{Options, generate};

/// One spec under test: its label, its text, its loaded model, and how long one load and one
/// generation took (to size the measurement).
struct Input {
    label: String,
    text: String,
    model: Model,
    load_once: Duration,
    generate_once: Duration,
}

impl Input {
    fn new(label: String, text: String) -> Self {
        let started = Instant::now();
        let model = load(&label, &text);
        let load_once = started.elapsed();
        let started = Instant::now();
        let rust = generate(&model, &Options::default())
            .unwrap_or_else(|error| panic!("the {label} spec does not generate: {error}"));
        let generate_once = started.elapsed();
        eprintln!(
            "spec {label}: {} endpoints, {} records, {} enums, {} KiB of YAML, {} KiB of Rust; \
             once: load {load_once:.2?}, generate {generate_once:.2?}",
            model.endpoints().len(),
            model.records().len(),
            model.enums().len(),
            text.len() / 1024,
            rust.len() / 1024,
        );
        Self {
            label,
            text,
            model,
            load_once,
            generate_once,
        }
    }

    fn endpoints(&self) -> u64 {
        self.model.endpoints().len() as u64
    }
}

fn bundled_spec() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/wecard.yaml");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

fn load(label: &str, text: &str) -> Model {
    wecard_codegen::load_str(format!("{label}.yaml"), text)
        .unwrap_or_else(|diagnostics| panic!("the {label} spec does not load:\n{diagnostics}"))
}

/// The bundled spec with its enums, records and endpoints repeated `factor` times in all; the
/// original is copy 0 and keeps its names.
fn multiplied(bundled: &str, factor: usize) -> String {
    let mut spec: Value = serde_yaml::from_str(bundled).expect("the bundled spec is YAML");
    let type_names: Vec<String> = ["enums", "records"]
        .iter()
        .flat_map(|section| items(&spec, section))
        .map(|item| string_at(&item, "name"))
        .collect();
    for section in ["enums", "records", "endpoints"] {
        let originals = items(&spec, section);
        let mut all = originals.clone();
        for copy in 1..factor {
            let renames: HashMap<&str, String> = type_names
                .iter()
                .map(|name| (name.as_str(), format!("{name}Copy{copy}")))
                .collect();
            for original in &originals {
                let mut item = original.clone();
                rename_types(&mut item, &renames);
                if section == "endpoints" {
                    let id = string_at(&item, "id");
                    let path = string_at(&item, "path");
                    set(&mut item, "id", format!("{id}_copy{copy}"));
                    set(&mut item, "path", format!("{path}/copy{copy}"));
                } else {
                    let name = string_at(&item, "name");
                    set(&mut item, "name", renames[name.as_str()].clone());
                }
                all.push(item);
            }
        }
        spec[section] = Value::Sequence(all);
    }
    serde_yaml::to_string(&spec).expect("a YAML value serialises")
}

fn items(spec: &Value, section: &str) -> Vec<Value> {
    spec[section]
        .as_sequence()
        .unwrap_or_else(|| panic!("the bundled spec has no `{section}` list"))
        .clone()
}

fn string_at(item: &Value, key: &str) -> String {
    item[key]
        .as_str()
        .unwrap_or_else(|| panic!("an item has no string `{key}`: {item:?}"))
        .to_owned()
}

fn set(item: &mut Value, key: &str, value: String) {
    item[key] = Value::String(value);
}

/// Rewrites every type expression (the string value of a `type` key, at any depth) so that the
/// names in `renames` point at their copies: `list<Member>` becomes `list<MemberCopy3>`.
fn rename_types(value: &mut Value, renames: &HashMap<&str, String>) {
    match value {
        Value::Mapping(mapping) => {
            for (key, child) in mapping.iter_mut() {
                if key.as_str() == Some("type")
                    && let Value::String(expr) = child
                {
                    *expr = rename_words(expr, renames);
                } else {
                    rename_types(child, renames);
                }
            }
        }
        Value::Sequence(sequence) => {
            for child in sequence {
                rename_types(child, renames);
            }
        }
        _ => {}
    }
}

fn rename_words(expr: &str, renames: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(expr.len() + 8);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(
            renames
                .get(word.as_str())
                .map_or(word.as_str(), String::as_str),
        );
        word.clear();
    };
    for c in expr.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Multiplication factor of each input: the bundled spec as written, then the synthetic specs.
/// `1x-synthetic` is the bundled spec passed through the same YAML round trip as `10x` and `100x`
/// (no comments, another layout), so the per-endpoint comparison is like for like.
const FACTORS: [(&str, usize); 4] = [("1x", 1), ("1x-synthetic", 1), ("10x", 10), ("100x", 100)];

fn inputs() -> Vec<Input> {
    let bundled = bundled_spec();
    let inputs: Vec<Input> = FACTORS
        .iter()
        .map(|&(label, factor)| {
            let text = if label == "1x" {
                bundled.clone()
            } else {
                multiplied(&bundled, factor)
            };
            Input::new(label.to_owned(), text)
        })
        .collect();
    let base = inputs[0].endpoints();
    for (input, (_, factor)) in inputs.iter().zip(FACTORS) {
        assert_eq!(
            input.endpoints(),
            base * factor as u64,
            "the {} spec should have {factor} times the endpoints",
            input.label
        );
    }
    inputs
}

/// Sizes the measurement from one run taking `once`: small inputs get criterion's usual linear
/// sampling; slow ones flat sampling with just enough time for 20 samples, or 10 (the fewest
/// criterion allows) past 200 ms, so the whole run takes a couple of minutes.
fn tune(group: &mut BenchmarkGroup<'_, WallTime>, once: Duration) {
    let minimum = Duration::from_secs(3);
    if once < Duration::from_millis(10) {
        group.sample_size(20);
        group.sampling_mode(SamplingMode::Auto);
        group.measurement_time(minimum);
    } else {
        let samples = if once > Duration::from_millis(200) {
            10
        } else {
            20
        };
        group.sample_size(samples);
        group.sampling_mode(SamplingMode::Flat);
        group.measurement_time(minimum.max(once.mul_f64(samples as f64 * 1.3)));
    }
}

fn benches(c: &mut Criterion) {
    let inputs = inputs();

    let mut group = c.benchmark_group("load");
    group.warm_up_time(Duration::from_secs(1));
    for input in &inputs {
        tune(&mut group, input.load_once);
        group.throughput(Throughput::Elements(input.endpoints()));
        group.bench_with_input(
            BenchmarkId::from_parameter(&input.label),
            &input.text,
            |b, text| b.iter(|| wecard_codegen::load_str("spec.yaml", black_box(text))),
        );
    }
    group.finish();

    let options = Options::default();
    let mut group = c.benchmark_group("generate_rust");
    group.warm_up_time(Duration::from_secs(1));
    for input in &inputs {
        tune(&mut group, input.generate_once);
        group.throughput(Throughput::Elements(input.endpoints()));
        group.bench_with_input(
            BenchmarkId::from_parameter(&input.label),
            &input.model,
            |b, model| b.iter(|| generate(black_box(model), &options)),
        );
    }
    group.finish();
}

criterion_group!(generate_benches, benches);
criterion_main!(generate_benches);
