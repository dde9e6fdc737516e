//! Charts drawn on the server as SVG with plotters: no script, no external asset. Bars of money, counts or shares,
//! and a line of a count per day.

use plotters::prelude::*;

/// A horizontal bar chart of labelled amounts (in minor units), largest first, as an SVG document.
pub fn bars(rows: &[(String, i64)], width: u32) -> Result<String, String> {
    let rows: Vec<(String, f64)> = rows.iter().map(|(l, v)| (l.clone(), *v as f64 / 100.0)).collect();
    horizontal(&rows, width, 1.0, &axis_dollars)
}

/// A horizontal bar chart of labelled counts (people, seats), largest first.
pub fn counts(rows: &[(String, u64)], width: u32) -> Result<String, String> {
    let rows: Vec<(String, f64)> = rows.iter().map(|(l, v)| (l.clone(), *v as f64)).collect();
    horizontal(&rows, width, 4.0, &|v, _| format!("{v:.0}"))
}

/// A horizontal bar chart of labelled shares (0–1), shown as percentages on a 0–100% axis.
pub fn shares(rows: &[(String, f64)], width: u32) -> Result<String, String> {
    let rows: Vec<(String, f64)> = rows.iter().map(|(l, v)| (l.clone(), v * 100.0)).collect();
    horizontal(&rows, width, 100.0, &|v, _| format!("{v:.0}%"))
}

/// The first twelve rows as bars, the first at the top, on an axis from 0 to at least `floor`.
fn horizontal(
    rows: &[(String, f64)],
    width: u32,
    floor: f64,
    axis: &dyn Fn(f64, f64) -> String,
) -> Result<String, String> {
    // The y axis counts upwards, so the first row goes last to be drawn at the top.
    let rows: Vec<(String, f64)> = rows.iter().take(12).rev().map(|(l, v)| (shorten(l), *v)).collect();
    let height = 40 + 28 * rows.len().max(1) as u32;
    let max = rows.iter().map(|r| r.1).fold(floor, f64::max);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let n = rows.len().max(1) as i32;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(190)
            .build_cartesian_2d(0f64..max * 1.08, (0..n).into_segmented())
            .map_err(|e| e.to_string())?;
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(5)
            .x_label_formatter(&|v| axis(*v, max))
            .y_label_formatter(&|seg| match seg {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    labels.get(*i as usize).cloned().unwrap_or_default()
                }
                SegmentValue::Last => String::new(),
            })
            .y_labels(rows.len().max(1))
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, (_, v))| {
                let i = i as i32;
                let mut bar = Rectangle::new(
                    [(0.0, SegmentValue::Exact(i)), (*v, SegmentValue::Exact(i + 1))],
                    RGBColor(31, 94, 140).filled(),
                );
                bar.set_margin(4, 4, 0, 0);
                bar
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// A line of a count per day (such as people active), days without a point drawn at zero, as an SVG document.
pub fn daily(
    points: &[(chrono::NaiveDate, u64)],
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    width: u32,
) -> Result<String, String> {
    let days = (to - from).num_days().max(1) as i32;
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(4) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, 260)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(64)
            .build_cartesian_2d(0..days, 0f64..max * 1.1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(6)
            .y_labels(5)
            .x_label_formatter(&|d| (from + chrono::Duration::days(i64::from(*d))).format("%b %-d").to_string())
            .y_label_formatter(&|v| format!("{v:.0}"))
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(|e| e.to_string())?;
        let by_day: std::collections::HashMap<chrono::NaiveDate, u64> = points.iter().copied().collect();
        let line = (0..=days).map(|d| {
            let day = from + chrono::Duration::days(i64::from(d));
            (d, by_day.get(&day).copied().unwrap_or(0) as f64)
        });
        chart.draw_series(LineSeries::new(line, RGBColor(31, 94, 140).stroke_width(2))).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// An axis label in whole dollars: `$1,500` on small scales, `$250k` or `$1.5M` on large ones.
fn axis_dollars(v: f64, max: f64) -> String {
    if max >= 1_000_000.0 {
        format!("${:.1}M", v / 1_000_000.0)
    } else if max >= 100_000.0 {
        format!("${:.0}k", v / 1000.0)
    } else {
        let whole = v.round() as i64;
        steward_core::money::Money::new(whole * 100, steward_core::money::Currency::usd())
            .to_string()
            .trim_end_matches(".00")
            .to_owned()
    }
}

/// Long labels are cut to fit; plotters escapes the text it writes into the SVG.
fn shorten(s: &str) -> String {
    if s.chars().count() > 28 {
        s.chars().take(27).chain(['…']).collect()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn axis_labels_suit_the_scale() {
        assert_eq!(super::axis_dollars(1500.0, 2600.0), "$1,500");
        assert_eq!(super::axis_dollars(250_000.0, 400_000.0), "$250k");
        assert_eq!(super::axis_dollars(1_500_000.0, 4_000_000.0), "$1.5M");
    }

    #[test]
    fn counts_and_shares_have_their_own_axes() {
        let svg = super::counts(&[("Fraction Forest (Alder)".into(), 298)], 640).unwrap();
        assert!(svg.contains("<rect") && svg.contains("Fraction Forest") && !svg.contains('$'));
        let svg = super::shares(&[("Alder".into(), 0.25), ("District".into(), 0.9)], 640).unwrap();
        assert!(svg.contains("100%") || svg.contains("80%"), "a percentage axis");
    }

    #[test]
    fn draws_a_daily_line() {
        let d = |n| chrono::NaiveDate::from_ymd_opt(2026, 10, n).unwrap();
        let svg = super::daily(&[(d(2), 120), (d(3), 80)], d(1), d(7), 640).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<polyline"), "{svg}");
        assert!(svg.contains("Oct 1"), "days are labelled");
    }

    #[test]
    fn draws_bars_with_escaped_labels() {
        let svg = super::bars(&[("Math <script>".into(), 1_500_000), ("Reading".into(), 500_000)], 640).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<rect"));
        assert!(!svg.contains("<script>"), "labels are escaped");
        assert!(svg.contains("Math &lt;script&gt;"), "escaped once, not twice");
        assert!(svg.contains("Reading"));
    }
}
