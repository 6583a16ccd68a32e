use super::*;
use trustgate_law::{Library, Source};

fn load(extra: &[(&'static str, &'static str)]) -> Library {
    let mut files: Vec<Source<'static>> = trustgate_packs::law_files()
        .map(|(name, text)| Source { name, text })
        .collect();
    files.extend(extra.iter().map(|&(name, text)| Source { name, text }));
    match Library::load(&files) {
        Ok(lib) => lib,
        Err(e) => panic!("packs do not load: {e:?}"),
    }
}

/// Every `href="#x"` in the page, as `x`.
fn fragment_links(page: &str) -> Vec<&str> {
    page.match_indices("href=\"#")
        .filter_map(|(i, m)| {
            let rest = page.get(i + m.len()..)?;
            rest.find('"').and_then(|end| rest.get(..end))
        })
        .collect()
}

/// The page's visible text with tags dropped and entities decoded, words
/// separated by single spaces.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text columns of a page (the law text, without the cards beside it).
fn text_columns(page: &str) -> String {
    let mut out = String::new();
    for chunk in page.split("<div class=\"text\">").skip(1) {
        let end = chunk.find("<div class=\"cards\">").unwrap_or(chunk.len());
        out.push_str(chunk.get(..end).unwrap_or(""));
        out.push(' ');
    }
    out
}

#[test]
fn every_builtin_pack_renders_for_review() {
    let lib = load(&[]);
    let laws: Vec<_> = lib.laws().collect();
    assert!(laws.len() >= 5, "{}", laws.len());
    for law in &laws {
        let page = render_law(law);
        let name = law.file_name();
        assert!(page.starts_with("<!DOCTYPE html>"), "{name}");
        assert!(page.contains("<html lang=\"en\">"), "{name}");
        assert_eq!(page.matches("<h1").count(), 1, "{name}: one h1");
        assert!(page.contains("<header") && page.contains("<main"), "{name}");
        assert!(!page.to_ascii_lowercase().contains("<script"), "{name}");
        assert!(
            !page.contains("src=") && !page.contains("href=\"http"),
            "{name}"
        );
        assert!(page.contains(&esc(law.hash())), "{name}: hash");
        if law.amends().is_none() {
            assert!(
                !page.contains("class=\"unplaced\""),
                "{name}: every block beside its text"
            );
        } else {
            // An amendment shows what it keeps from the version it amends.
            assert!(page.contains("Unchanged by this amendment"), "{name}");
        }
        for lang in ["language-rule", "language-define", "language-obligation"] {
            assert!(!page.contains(lang), "{name}: {lang} shown as code");
        }

        for r in law.rules() {
            assert_eq!(
                page.matches(&format!("id=\"rule-{}\"", esc(r.id())))
                    .count(),
                1,
                "{name}: anchor for rule {}",
                r.id()
            );
            for t in r.exception_to() {
                assert!(
                    page.contains(&format!("href=\"#rule-{}\"", esc(t))),
                    "{name}: link {} → {t}",
                    r.id()
                );
                assert!(
                    page.contains(&format!("id=\"rule-{}\"", esc(t))),
                    "{name}: {t}"
                );
            }
            if let Some(d) = r.doubt() {
                assert!(page.contains(&esc(d)), "{name}: doubt of {}", r.id());
            }
        }
        for (id, _, quote) in law.definitions() {
            assert!(
                page.contains(&format!("id=\"define-{}\"", esc(id))),
                "{name}: {id}"
            );
            assert!(page.contains(&esc(quote)), "{name}: quote of {id}");
        }
        for o in law.obligations() {
            assert!(
                page.contains(&format!("id=\"obligation-{}\"", esc(o.id()))),
                "{name}: {}",
                o.id()
            );
            assert!(
                page.contains(&esc(o.quote())),
                "{name}: quote of {}",
                o.id()
            );
        }

        // Every in-page link lands on an anchor.
        for target in fragment_links(&page) {
            assert!(
                page.contains(&format!("id=\"{target}\"")),
                "{name}: dangling #{target}"
            );
        }

        // Each quote is on its card, and its words are in the law text beside it.
        let law_text = visible_text(&text_columns(&page)).replace('*', "");
        for r in law.rules().iter().filter(|r| !r.inherited()) {
            assert!(
                page.contains(&esc(r.quote())),
                "{name}: quote of {}",
                r.id()
            );
            for part in r
                .quote()
                .split('…')
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let part = part
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .replace('*', "");
                assert!(
                    law_text.contains(&part),
                    "{name}: `{part}` ({}) not in the text",
                    r.id()
                );
            }
        }

        // Conditions as written in the blocks.
        for line in law.text().lines() {
            for key in ["when: ", "means: "] {
                if let Some(v) = line.strip_prefix(key) {
                    assert!(page.contains(&esc(v.trim())), "{name}: condition `{v}`");
                }
            }
        }
    }
}

#[test]
fn cambridge_2020_cards_show_effects_and_exceptions() {
    let lib = load(&[]);
    let Some(law) = lib.laws().find(|l| {
        l.law() == "cambridge-2.129"
            && l.effective_from()
                .is_some_and(|d| d.to_string() == "2020-02-10")
    }) else {
        panic!("no Cambridge 2020 pack");
    };
    assert_eq!(page_file_name(&law), "cambridge-2.129-2020-02-10.html");
    let page = render_law(&law);
    // Front matter is metadata, not text.
    assert!(!page.contains("effective-from:"));
    assert!(page.contains("from 2020-02-10 until 2025-08-03"));
    // The exception links to the rule it excepts, and back.
    let card = page
        .split("id=\"rule-b-required-by-law\"")
        .nth(1)
        .and_then(|s| s.split("</article>").next())
        .unwrap_or("");
    assert!(
        card.contains("href=\"#rule-b-no-status-inquiry\""),
        "{card}"
    );
    assert!(card.contains("permitted"), "{card}");
    let main = page
        .split("id=\"rule-b-no-status-inquiry\"")
        .nth(1)
        .and_then(|s| s.split("</article>").next())
        .unwrap_or("");
    assert!(
        main.contains("Excepted by") && main.contains("href=\"#rule-b-required-by-law\""),
        "{main}"
    );
    // A medium-reliability rule says so; high-reliability ones do not.
    let th = page
        .split("id=\"rule-c-human-trafficking\"")
        .nth(1)
        .and_then(|s| s.split("</article>").next())
        .unwrap_or("");
    assert!(
        th.contains("Reliability: medium") && th.contains("class=\"doubt\""),
        "{th}"
    );
    assert!(!card.contains("Reliability:"), "{card}");
    // Law headings sit below the page's h1, with ids.
    assert!(page.contains("<h2 id=\"sec-chapter-2-129-welcoming-community-ordinance\">"));
    // The card sits beside the text it follows.
    let row = page
        .split("<div class=\"row\">")
        .find(|r| r.contains("id=\"rule-a-equal-treatment\""))
        .unwrap_or("");
    assert!(
        row.contains("shall have no bearing on an individual"),
        "{row}"
    );
}

const HOSTILE: &str = r#"---
law: test-hostile
jurisdiction: us/ma/cambridge
instrument: ordinance
title: A <b>test</b> & "ordinance"
version: test
effective-from: 2001-01-01
source: Written for a test <i>only</i>.
reliability: low
note: Not a real law.
---

# Section <em>1</em>

> Officials shall not <b>inquire</b> about status, <script>alert(1)</script> except as the law requires.

<div onclick="x()">raw block</div>

See [the source](https://example.com/law) and ![a seal](https://example.com/seal.png) or [the rule](#rule-t-no-inquiry).

```rule
id: t-no-inquiry
cite: 1
quote: Officials shall not <b>inquire</b> about status
acts: inquire-status
then: prohibited
reliability: medium
doubt: A <doubt> & more.
```

```rule
id: t-unless-required
cite: 1
quote: except as the law requires
acts: inquire-status
when: legal-mandate and
  not legal-mandate
exception-to: t-no-inquiry
```
"#;

#[test]
fn raw_html_in_a_pack_is_shown_as_text() {
    let lib = load(&[("test/hostile.md", HOSTILE)]);
    let Some(law) = lib.laws().find(|l| l.law() == "test-hostile") else {
        panic!("the test pack did not load");
    };
    let page = render_law(&law);
    let lower = page.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{page}");
    assert!(
        !lower.contains("<b>") && !lower.contains("<i>") && !lower.contains("<div onclick"),
        "{page}"
    );
    assert!(page.contains("&lt;b&gt;inquire&lt;/b&gt;"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(
        page.contains("&lt;div onclick=\"x()\"&gt;raw block&lt;/div&gt;"),
        "{page}"
    );
    assert!(
        page.contains("A &lt;b&gt;test&lt;/b&gt; &amp; &quot;ordinance&quot;"),
        "{page}"
    );
    assert!(page.contains("A &lt;doubt&gt; &amp; more."), "{page}");
    // Nothing leaves the page: links become text, images their description.
    assert!(
        !page.contains("href=\"https:") && !lower.contains("<img"),
        "{page}"
    );
    assert!(
        page.contains("the source (https://example.com/law)"),
        "{page}"
    );
    assert!(page.contains("[image: a seal]"), "{page}");
    assert!(page.contains("href=\"#rule-t-no-inquiry\""), "{page}");
    // The low-reliability banner, the exception that only lifts, the condition as written.
    assert!(page.contains("class=\"banner rel-low\""), "{page}");
    assert!(page.contains("lifts"), "{page}");
    assert!(
        page.contains("legal-mandate and\nnot legal-mandate"),
        "{page}"
    );
    assert!(page.contains("Reliability: medium"), "{page}");
}

#[test]
fn the_index_links_every_version_in_date_order() {
    let lib = load(&[]);
    let laws: Vec<_> = lib.laws().collect();
    let index = render_index(&laws);
    assert_eq!(index.matches("<h1").count(), 1);
    for l in &laws {
        assert!(
            index.contains(&format!("href=\"{}\"", esc(&page_file_name(l)))),
            "{}",
            l.law()
        );
    }
    let a = index.find("cambridge-2.129-2020-02-10.html");
    let b = index.find("cambridge-2.129-2025-08-04.html");
    assert!(a.is_some() && b.is_some() && a < b, "{a:?} {b:?}");
    assert!(!index.to_ascii_lowercase().contains("<script"));
}

#[test]
fn front_matter_is_stripped_only_at_the_start() {
    assert_eq!(strip_front_matter("---\na: b\n---\n# T\n"), "# T\n");
    assert_eq!(strip_front_matter("# T\n---\n"), "# T\n---\n");
    assert_eq!(strip_front_matter("---\r\na: b\r\n---\r\nx"), "x");
}

#[test]
fn slugs_and_file_names_are_safe() {
    assert_eq!(
        slug("2.129.040 Order <requirements>"),
        "2-129-040-order-requirements"
    );
    assert_eq!(slug("…"), "section");
    assert_eq!(
        esc("<a href=\"x\">'&'</a>"),
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    );
}
