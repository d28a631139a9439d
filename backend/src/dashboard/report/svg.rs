//! The report's charts as inline SVG, drawn on the server: the same markup serves the web page
//! and `jiafang report --format html`, needs no script, and prints sharp. Each chart is at most
//! [`MAX_HEIGHT`] units high at [`WIDTH`] wide, which at the A4 content width (174 mm) stays
//! under half the printable height (the print CSS caps it as well).

use super::esc;

/// The viewBox width.
pub const WIDTH: i64 = 640;
/// The tallest a chart draws: 470 × 174 / 640 ≈ 128 mm, under half of A4's 261 mm.
pub const MAX_HEIGHT: i64 = 470;
const LABEL: i64 = 150;
/// Rows a bar chart shows; more would be too small to read (the tables list them all).
const MAX_ROWS: usize = 28;
const COLORS: [&str; 3] = ["#2f6fb3", "#6aa84f", "#e69138"];

fn open(testid: &str, title: &str, height: i64) -> String {
    format!(
        "<figure class=\"chart\" data-testid=\"{testid}\"><figcaption>{}</figcaption>\
         <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         aria-label=\"{}\" font-size=\"12\" font-family=\"sans-serif\">",
        esc(title),
        esc(title)
    )
}

/// Horizontal bars, one a row: a label, a bar scaled to the largest value and the value's text.
pub fn hbars(testid: &str, title: &str, rows: &[(String, i64, String)]) -> String {
    if rows.is_empty() {
        return format!(
            "<figure class=\"chart\" data-testid=\"{testid}\"><figcaption>{}</figcaption><p>暂无数据</p></figure>",
            esc(title)
        );
    }
    let caption = if rows.len() > MAX_ROWS { format!("{title}（前{MAX_ROWS}项）") } else { title.to_string() };
    let rows = &rows[..rows.len().min(MAX_ROWS)];
    let step = ((MAX_HEIGHT - 10) / rows.len() as i64).min(24);
    let height = step * rows.len() as i64 + 10;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let room = WIDTH - LABEL - 90;
    let mut svg = open(testid, &caption, height);
    for (i, (label, value, text)) in rows.iter().enumerate() {
        let y = 5 + step * i as i64;
        let w = room * value / max;
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{LABEL}\" y=\"{}\" width=\"{w}\" \
             height=\"{}\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            LABEL - 6,
            y + step * 2 / 3,
            esc(label),
            y + 2,
            step - 4,
            COLORS[0],
            LABEL + w + 4,
            y + step * 2 / 3,
            esc(text)
        ));
    }
    svg.push_str("</svg></figure>");
    svg
}

/// Vertical bars stacked by series, one a column (days), with a legend.
pub fn stacked(testid: &str, title: &str, columns: &[(String, Vec<i64>)], series: &[&str]) -> String {
    if columns.is_empty() {
        return hbars(testid, title, &[]);
    }
    let (height, top, bottom) = (300, 24, 40);
    let plot = height - top - bottom;
    let max = columns.iter().map(|c| c.1.iter().sum::<i64>()).max().unwrap_or(0).max(1);
    let slot = ((WIDTH - 40) as f64 / columns.len() as f64).max(1.0);
    let mut svg = open(testid, title, height);
    for (i, name) in series.iter().enumerate() {
        let x = 40 + i as i64 * 110;
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"15\">{}</text>",
            COLORS[i % COLORS.len()],
            x + 16,
            esc(name)
        ));
    }
    svg.push_str(&format!("<text x=\"0\" y=\"{}\">{max}</text>", top + 10));
    let every = (columns.len() / 8).max(1);
    for (i, (label, values)) in columns.iter().enumerate() {
        let x = 40.0 + slot * i as f64;
        let mut y = (top + plot) as f64;
        for (k, v) in values.iter().enumerate() {
            let h = plot as f64 * *v as f64 / max as f64;
            y -= h;
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"/>",
                (slot * 0.8).max(1.0),
                COLORS[k % COLORS.len()]
            ));
        }
        if i % every == 0 {
            svg.push_str(&format!("<text x=\"{x:.1}\" y=\"{}\" font-size=\"10\">{}</text>", height - 24, esc(label)));
        }
    }
    svg.push_str("</svg></figure>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn height(svg: &str) -> i64 {
        let pattern = format!("viewBox=\"0 0 {WIDTH} ");
        let at = svg.find(&pattern).expect("a viewBox") + pattern.len();
        svg[at..].split('"').next().and_then(|h| h.parse().ok()).expect("a height")
    }

    #[test]
    fn no_chart_is_taller_than_half_a_page() {
        for n in [1, 8, 14, 40, 200] {
            let rows: Vec<(String, i64, String)> = (0..n).map(|i| (format!("r{i}"), i, i.to_string())).collect();
            assert!(height(&hbars("t", "t", &rows)) <= MAX_HEIGHT, "{n} rows");
        }
        let days: Vec<(String, Vec<i64>)> = (0..60).map(|i| (format!("d{i}"), vec![i, 1, 2])).collect();
        assert!(height(&stacked("t", "t", &days, &["a", "b", "c"])) <= MAX_HEIGHT);
    }

    #[test]
    fn labels_are_escaped() {
        let svg = hbars("t", "<x>", &[("<b>".into(), 1, "&".into())]);
        assert!(!svg.contains("<b>") && svg.contains("&lt;b&gt;") && svg.contains("&amp;"));
    }
}
