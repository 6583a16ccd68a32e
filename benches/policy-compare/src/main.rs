//! `policy-compare check N`: the three engines on N random scenarios, every
//! field's answer compared; exits 1 at the first disagreement.
//! `policy-compare run ENGINE N`: N decisions of the measured request (for
//! callgrind: run it with N and 2N and take the difference over N).

use policy_compare::{Cedar, Rego, Scenario, Trustgate};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n = |i: usize| -> u64 { args.get(i).and_then(|a| a.parse().ok()).unwrap_or(3000) };
    match args.get(1).map(String::as_str) {
        Some("check") => check(n(2)),
        Some("run") => run(args.get(2).map_or("", String::as_str), n(3)),
        _ => {
            eprintln!(
                "usage: policy-compare check [N] | run trustgate|trustgate-cited|cedar|rego N"
            );
            std::process::exit(2);
        }
    }
}

fn check(n: u64) {
    let (tg, cedar, mut rego) = (Trustgate::new(), Cedar::new(), Rego::new());
    let mut d = tg.decision();
    let mut state = 0x5eed_2129_u64;
    let (mut fields, mut prohibited) = (0u64, 0u64);
    for i in 0..n {
        let s = Scenario::random(&mut state);
        let q = tg.query(&s);
        let (a, b, c) = (
            tg.prohibited(&q, &mut d),
            cedar.prohibited(&s),
            rego.prohibited(&s),
        );
        if a != b || a != c {
            eprintln!(
                "scenario {i} disagrees: {s:?}\n  trustgate {a:?}\n  cedar     {b:?}\n  rego      {c:?}"
            );
            std::process::exit(1);
        }
        fields += a.len() as u64;
        prohibited += a.iter().filter(|p| **p).count() as u64;
    }
    println!(
        "{n} scenarios, {fields} fields: the three engines agree on every one ({prohibited} prohibited)"
    );
}

fn run(engine: &str, n: u64) {
    let s = Scenario::measured();
    let mut sink = 0usize;
    match engine {
        "trustgate" | "trustgate-cited" => {
            let tg = Trustgate::new();
            let q = tg.query(&s);
            let mut d = tg.decision();
            for _ in 0..n {
                sink += if engine == "trustgate" {
                    tg.prohibited(&q, &mut d).len()
                } else {
                    tg.cited(&q, &mut d)
                };
            }
        }
        "cedar" => {
            let cedar = Cedar::new();
            for _ in 0..n {
                sink += cedar.prohibited(&s).len();
            }
        }
        "rego" => {
            let mut rego = Rego::new();
            for _ in 0..n {
                sink += rego.prohibited(&s).len();
            }
        }
        other => {
            eprintln!("unknown engine `{other}`");
            std::process::exit(2);
        }
    }
    println!("{sink}");
}
