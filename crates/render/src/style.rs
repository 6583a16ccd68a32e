//! The pages' one stylesheet, inlined in each page. Colours are chosen for at
//! least 4.5:1 contrast on their backgrounds; every effect carries a mark and a
//! word as well as a colour.

pub(crate) const CSS: &str = r#":root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --line: #c6c6c6;
  --link: #0b57a4; --prohibited: #b3261e; --permitted: #1e6b2e; --required: #0b57a4; --lifts: #6d4c00;
  --define: #5a3d8a; --warn-bg: #fff4ce; --warn-ink: #5c3b00; --warn-line: #8a5a00;
  --low-bg: #fde7e9; --low-ink: #7a1a1f; --low-line: #a4262c; }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.top, main, .foot { max-width: 92rem; margin: 0 auto; padding: 0 1rem; }
.top { padding-top: 1rem; padding-bottom: .5rem; border-bottom: 2px solid var(--ink); }
.eyebrow { margin: 0; font-size: .85rem; color: var(--muted); }
h1 { font-size: clamp(1.35rem, 1rem + 2vw, 2rem); line-height: 1.25; margin: .25rem 0 .75rem; }
h2, h3, h4, h5, h6 { line-height: 1.3; scroll-margin-top: 1rem; }
main > h2 { font-size: 1.45rem; margin: 2rem 0 .5rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
main > h3 { font-size: 1.2rem; margin: 1.75rem 0 .25rem; }
main > h4 { font-size: 1.05rem; margin: 1.25rem 0 .25rem; }
a { color: var(--link); text-decoration-thickness: 1px; text-underline-offset: 2px; }
a:hover { text-decoration-thickness: 2px; }
a:focus-visible, summary:focus-visible, main:focus-visible {
  outline: 3px solid var(--link); outline-offset: 2px; border-radius: 2px; }
main:focus:not(:focus-visible) { outline: none; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
code { overflow-wrap: anywhere; }
.skip { position: absolute; left: -999rem; top: 0; background: #fff; padding: .5rem 1rem; z-index: 1; }
.skip:focus { left: 1rem; }
.banner { border: 2px solid var(--warn-line); background: var(--warn-bg); color: var(--ink);
  border-radius: 6px; padding: .5rem 1rem; margin: .75rem 0; }
.banner p { margin: 0; }
.banner.rel-low { border-color: var(--low-line); background: var(--low-bg); }
.meta { margin: .5rem 0; display: grid; gap: .35rem; }
.meta div { display: grid; grid-template-columns: 1fr; }
.meta dt { font-weight: 700; font-size: .85rem; color: var(--muted); }
.meta dd { margin: 0; }
@media (min-width: 40em) { .meta div { grid-template-columns: 9rem minmax(0, 1fr); gap: 1rem; } }
.hash { overflow-wrap: anywhere; word-break: break-all; }
.legend { font-size: .9rem; color: var(--muted); }
.legend-law { font-family: Georgia, "Times New Roman", serif; color: var(--ink); border-left: 4px solid #5b6770; padding-left: .35rem; }
.legend-note { border-left: 3px dotted #767676; padding-left: .35rem; color: var(--ink); }
.badge { display: inline-block; border: 1px solid var(--warn-line); background: var(--warn-bg); color: var(--warn-ink);
  border-radius: 4px; padding: 0 .4rem; font-weight: 700; }
.badge.rel-low, .flag.rel-low { border-color: var(--low-line); background: var(--low-bg); color: var(--low-ink); }
.contents { margin: .75rem 0; }
.contents summary { cursor: pointer; font-weight: 700; }
.contents ul { columns: 22rem auto; column-gap: 2rem; padding-left: 1.25rem; font-size: .9rem; }
.contents li { break-inside: avoid; margin-bottom: .2rem; }
.flag { font-size: .8rem; border: 1px solid var(--warn-line); background: var(--warn-bg); color: var(--warn-ink);
  border-radius: 3px; padding: 0 .3rem; }
.eff { font-weight: 700; white-space: nowrap; }
.eff-prohibited { --accent: var(--prohibited); }
.eff-permitted { --accent: var(--permitted); }
.eff-required { --accent: var(--required); }
.eff-lifts { --accent: var(--lifts); }
.eff-none { --accent: var(--muted); }
.eff { color: var(--accent); }
.row { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem 2rem; padding: .5rem 0; }
@media (min-width: 62em) { .row { grid-template-columns: minmax(0, 7fr) minmax(0, 5fr); }
  .row > .text { position: sticky; top: .5rem; align-self: start; } }
.text { max-width: 46rem; }
.text blockquote { font-family: Georgia, "Times New Roman", serif; font-size: 1.06rem; line-height: 1.6;
  margin: .5rem 0; padding: .1rem 0 .1rem 1rem; border-left: 4px solid #5b6770; }
.text > p, .text > ul, .text > ol, .text > table { font-size: .95rem; color: #333; border-left: 3px dotted #767676;
  padding-left: .75rem; margin-left: 0; }
.text > ul, .text > ol { padding-left: 2rem; }
.text pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f3f3f3; padding: .5rem; border-radius: 4px; }
.text table { border-collapse: collapse; display: block; overflow-x: auto; }
.text th, .text td { border: 1px solid var(--line); padding: .2rem .4rem; }
.cards { display: flex; flex-direction: column; gap: .75rem; min-width: 0; }
.card { border: 1px solid var(--line); border-left: 6px solid var(--accent, var(--muted)); border-radius: 6px;
  background: #fafafa; padding: .6rem .9rem; font-size: .92rem; scroll-margin-top: 1rem; min-width: 0; }
.card.kind-define { --accent: var(--define); border-left-style: dotted; }
.card.kind-obligation { --accent: var(--required); border-left-style: double; border-left-width: 7px; }
.card.eff-lifts { border-left-style: dashed; }
.card.eff-permitted { border-left-style: double; border-left-width: 7px; }
.card:target { box-shadow: 0 0 0 3px var(--link); background: #fff; }
.card-head { margin: 0 0 .35rem; display: flex; flex-wrap: wrap; gap: .25rem .6rem; align-items: baseline; }
.kind { font-size: .75rem; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.self { font-weight: 700; }
.cite { color: var(--muted); }
.effect { margin: 0 0 .4rem; font-weight: 700; color: var(--accent); text-transform: uppercase; letter-spacing: .03em; }
.mark { display: inline-block; min-width: 1.5em; text-align: center; border-radius: 3px; background: var(--accent);
  color: #fff; margin-right: .2rem; }
.card dl { margin: 0; }
.card dt { font-size: .75rem; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin-top: .4rem; }
.card dd { margin: .1rem 0 0; }
.cond { white-space: pre-wrap; overflow-wrap: anywhere; background: #eef0f2; color: var(--ink); margin: 0;
  padding: .3rem .5rem; border-radius: 4px; }
.quote { font-family: Georgia, "Times New Roman", serif; margin: 0; padding-left: .6rem; border-left: 3px solid #5b6770; }
.doubt { background: var(--warn-bg); border: 1px solid var(--warn-line); border-left: 5px solid var(--warn-line);
  border-radius: 4px; padding: .4rem .6rem; margin-top: .6rem; }
.doubt p { margin: 0; }
.rel { margin: .5rem 0 0; }
.warn { color: var(--low-ink); font-weight: 700; }
.muted { color: var(--muted); }
.unplaced { margin-top: 2rem; }
.foot { margin-top: 2rem; padding-top: .5rem; padding-bottom: 2rem; border-top: 1px solid var(--line); font-size: .85rem; color: var(--muted); }
.law { border-bottom: 1px solid var(--line); padding-bottom: .5rem; }
.law-meta { color: var(--muted); margin-top: -.25rem; }
.versions li { margin-bottom: .4rem; }
.dates { color: var(--muted); }
@media (max-width: 30em) { .top, main, .foot { padding-left: .6rem; padding-right: .6rem; }
  .card { padding: .5rem .6rem; } .text blockquote { padding-left: .6rem; } }
@media print { .skip, .contents { display: none; } .card { break-inside: avoid; } a { color: inherit; } }
"#;
