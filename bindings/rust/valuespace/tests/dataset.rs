//! Datasets: the shipped FULCRA file, the skip report, strict errors and the generic reader.
use std::path::PathBuf;

use valuespace::dataset::{Count, Dataset, Field, Format, Options, SkipReason, ITEMS, TYPES};
use valuespace::{ErrorKind, Space};

fn fulcra_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../examples/data/fulcra/trustworthy_data.jsonl")
}

#[test]
fn the_fulcra_file_loads_with_its_counts() {
    let ds = Dataset::load_fulcra(fulcra_file(), false).unwrap();
    assert_eq!(ds.len(), 1718);
    assert_eq!(ds.line_count(), 1718);
    assert!(ds.name().ends_with("trustworthy_data.jsonl"));

    // Sources in order of first appearance with their sizes, counted independently with
    //   python3 -c "import json,collections; c=collections.Counter(json.loads(l).get('response_source','')
    //               for l in open('examples/data/fulcra/trustworthy_data.jsonl')); print(c)"
    let sources = [
        ("meta-llama/Llama-2-7b-chat-hf", 296),
        ("gemini", 432),
        ("baichuan-inc/Baichuan2-7B-Chat", 297),
        ("PKU-Alignment/alpaca-7b-reproduced", 370),
        ("gpt-35-turbo", 323),
    ];
    assert_eq!(ds.source_count(), 5);
    for (j, (name, n)) in sources.iter().enumerate() {
        assert_eq!(ds.source_name(j), Some(*name));
        assert_eq!(ds.source_record_count(j), *n);
    }
    let idx = ds.source_indices().unwrap();
    assert_eq!(idx.len(), 1718);
    assert_eq!(idx.iter().filter(|&&j| j == 1).count(), 432);
    assert_eq!(ds.source_index(0), Some(idx[0]));

    // Label sets: 10 types over schwartz10, 54 items over fulcra's "item" level.
    assert_eq!(ds.label_set_count(), 2);
    assert_eq!(ds.label_space(TYPES).unwrap().name(), "schwartz10");
    assert_eq!(ds.label_space(ITEMS).unwrap().name(), "fulcra");
    assert_eq!(ds.label_dimension_count(TYPES), 10);
    assert_eq!(ds.label_dimension_count(ITEMS), 54);

    // Records labelled +1 per item (Python, a record counted once per item; same script idea):
    // "be responsible" 930, "be honest" 710; -1 over all items: 477.
    let space = ds.label_space(ITEMS).unwrap();
    let level = ds.label_level(ITEMS).unwrap();
    let pos = ds.label_counts(ITEMS, Count::Positive).unwrap();
    let neg = ds.label_counts(ITEMS, Count::Negative).unwrap();
    let zero = ds.label_counts(ITEMS, Count::Zero).unwrap();
    let first = space.level_dimensions(level).next().unwrap().index();
    let at = |name: &str| space.find_in_level(level, name).unwrap() - first;
    assert_eq!(pos[at("be responsible")], 930);
    assert_eq!(pos[at("be honest")], 710);
    assert_eq!(neg.iter().sum::<usize>(), 477);
    for k in 0..54 {
        assert_eq!(pos[k] + neg[k] + zero[k], 1718);
    }
    assert_eq!(ds.label_counts(TYPES, Count::Missing).unwrap(), vec![0; 10]);

    let m = ds.label_matrix(ITEMS).unwrap();
    assert_eq!(m.len(), 1718 * 54);
    assert_eq!(&m[54..108], ds.labels(1, ITEMS).unwrap().as_slice());
    assert!(m.iter().all(|&v| v == 1.0 || v == 0.0 || v == -1.0));

    let responses = ds.strings(Field::Response).unwrap();
    assert_eq!(responses.len(), 1718);
    assert_eq!(Some(responses[7]), ds.response(7));
    assert!(ds
        .text(0)
        .unwrap()
        .starts_with("Human: Why do you think vandalism"));
    assert!(ds
        .prompt(0)
        .unwrap()
        .starts_with("Why do you think vandalism"));
    assert_eq!(ds.line(0), 1);
    assert_eq!(ds.id(1718), None);

    // The lenient read reports what it skipped, e.g. the unknown item "be respectful" on line 150.
    assert!(ds.skip_count(SkipReason::UNKNOWN_LABEL) > 0);
    let skips = ds.skips();
    assert_eq!(skips.len(), ds.skip_total());
    let first_unknown = skips
        .iter()
        .find(|s| s.reason == SkipReason::UNKNOWN_LABEL)
        .unwrap();
    assert_eq!((first_unknown.line, first_unknown.column), (150, 577));
    assert_eq!(first_unknown.token, "be respectful: +1");
    let lines = ds.skip_lines(SkipReason::UNKNOWN_LABEL).unwrap();
    assert_eq!(lines[0], 150);
    assert_eq!(SkipReason::UNKNOWN_LABEL.name(), "unknown_label");
    assert_eq!(SkipReason::all().count(), 12);
}

#[test]
fn a_strict_read_names_the_place() {
    let err = Dataset::load_fulcra(fulcra_file(), true).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(
        err.message()
            .contains("trustworthy_data.jsonl:150:577: unknown label 'be respectful: +1'"),
        "{}",
        err
    );
    let err = Dataset::read_fulcra("{\"dialogue\": 1}\n", Some("mem.jsonl"), true).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Parse);
    assert!(err.message().starts_with("mem.jsonl:1:"), "{}", err);
    let missing = Dataset::load_fulcra("/nonexistent/x.jsonl", false).unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
}

#[test]
fn the_generic_reader_reads_csv_with_missing_labels() {
    let space = Space::builtin("schwartz10").unwrap();
    let mut opts = Options::new(&space, 0);
    opts.format = Format::Csv;
    opts.group_field = Some("model");
    let csv = "id,text,model,power,benevolence,colour\n\
               a,\"hello, world\",m1,1,-1,red\n\
               b,bye,m2,,0.5,blue\n";
    let ds = Dataset::read(csv, Some("t.csv"), &opts).unwrap();
    assert_eq!(ds.len(), 2);
    assert_eq!(ds.id(0), Some("a"));
    assert_eq!(ds.text(0), Some("hello, world"));
    assert_eq!(ds.source(1), Some("m2"));
    assert_eq!(ds.label_set_count(), 1);
    let power = space.find_in_level(0, "power").unwrap();
    let benevolence = space.find_in_level(0, "benevolence").unwrap();
    let l0 = ds.labels(0, 0).unwrap();
    let l1 = ds.labels(1, 0).unwrap();
    assert_eq!((l0[power], l0[benevolence]), (1.0, -1.0));
    assert!(l1[power].is_nan());
    assert_eq!(l1[benevolence], 0.5);
    assert_eq!(ds.label_counts(0, Count::Missing).unwrap()[power], 1);
    // "colour" is no dimension: reported once as an ignored field.
    assert_eq!(ds.skip_count(SkipReason::IGNORED_FIELD), 1);
    assert_eq!(ds.skip(0).unwrap().token, "colour");

    opts.strict = true;
    let bad = "id,text,power\na,x,high\n";
    let err = Dataset::read(bad, Some("bad.csv"), &opts).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Parse);
    assert!(err.message().starts_with("bad.csv:2:"), "{}", err);
}
