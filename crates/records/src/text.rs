//! The one rule for what text a record may hold: no control character (C0,
//! DEL, C1) and no bidirectional override, in any field; a text of several
//! lines may hold line feeds and tabs (CR LF is read as a line feed first).
//! The store applies it to every field it takes (`trustgate_store`'s
//! `text.rs`); a complaint's fields are checked here, at their JSON paths.

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first character `s` may not hold, with its position (counting from
/// 0, in characters). `block`: line feeds and tabs are allowed.
pub fn forbidden(s: &str, block: bool) -> Option<(usize, char)> {
    s.chars().enumerate().find(|&(_, c)| {
        let allowed_in_block = block && (c == '\n' || c == '\t');
        (c.is_control() && !allowed_in_block) || is_bidi_control(c)
    })
}
