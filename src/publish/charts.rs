//! Charts with plotters, each drawn once into SVG (inlined in the HTML report) and rendered from
//! that SVG into PNG by resvg.
//!
//! One colour per meaning across all charts ([`SUPPLY`], [`DEMAND`], [`SHORTAGE`], [`SURPLUS`],
//! [`WOMEN`], [`MEN`]); units on the axes; a light grid (major lines only); a caption naming the
//! source, and "synthetic data" when the inputs are. Text is measured and rendered with the DejaVu
//! Sans font shipped in `assets/fonts/`, so PNGs render the same on machines without system fonts and
//! Swedish letters come out right; resvg shapes it (kerning, as a browser does with the SVG), where
//! plotters' own bitmap text put glyphs one by one ("Västerbotten s län").

use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};
use std::sync::Once;

/// Supply (FTE).
pub const SUPPLY: RGBColor = RGBColor(0x1f, 0x6f, 0xb2);
/// Demand (FTE).
pub const DEMAND: RGBColor = RGBColor(0xd9, 0x73, 0x0d);
/// A shortage (negative gap).
pub const SHORTAGE: RGBColor = RGBColor(0xc0, 0x39, 0x2b);
/// A surplus (positive gap).
pub const SURPLUS: RGBColor = RGBColor(0x2a, 0x9d, 0x8f);
/// Women.
pub const WOMEN: RGBColor = RGBColor(0x7b, 0x3f, 0x9e);
/// Men.
pub const MEN: RGBColor = RGBColor(0x3a, 0x86, 0x5c);
/// Exits.
pub const EXITS: RGBColor = RGBColor(0x6c, 0x6c, 0x6c);

const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

fn register_font() {
    REGISTER.call_once(|| {
        // The font is compiled in; registering it cannot fail unless the file is not a font.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// The fonts resvg renders with: only the compiled-in DejaVu Sans, as every generic family.
fn render_fonts() -> std::sync::Arc<resvg::usvg::fontdb::Database> {
    static FONTS: std::sync::OnceLock<std::sync::Arc<resvg::usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = resvg::usvg::fontdb::Database::new();
            db.load_font_data(FONT.to_vec());
            let family = db
                .faces()
                .next()
                .and_then(|f| f.families.first().map(|n| n.0.clone()))
                .unwrap_or_else(|| "DejaVu Sans".to_string());
            db.set_sans_serif_family(family.clone());
            db.set_serif_family(family.clone());
            db.set_monospace_family(family);
            std::sync::Arc::new(db)
        })
        .clone()
}

/// Renders an SVG document of `size` pixels into an 8-bit RGB PNG (on white).
fn render_png(svg: &str, size: (u32, u32)) -> Result<Vec<u8>, String> {
    use resvg::tiny_skia;
    let opt = resvg::usvg::Options {
        fontdb: render_fonts(),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &opt).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(size.0, size.1).ok_or("empty chart")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    // Opaque on white, so the premultiplied pixels are the colours themselves.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, size.0, size.1);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(|e| e.to_string())?;
        w.write_image_data(&rgb).map_err(|e| e.to_string())?;
    }
    Ok(png)
}

/// The house grid on a chart's mesh: no minor lines, major lines light grey.
fn light_grid<'m, 'a, 'b, X, Y, XT, YT, DB>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
}

/// A name on an axis without tick marks, kept off the axis line: plotters sets a label off by twice
/// the tick's length, so with no tick the gap is two no-break spaces (which SVG does not collapse).
fn beside_axis(name: &String) -> String {
    format!("{name}\u{a0}\u{a0}")
}

/// A chart that failed to draw.
#[derive(Debug, thiserror::Error)]
#[error("chart {name}: {message}")]
pub struct ChartError {
    /// The chart.
    pub name: String,
    /// What plotters said.
    pub message: String,
}

/// A drawn chart: the wide drawing as SVG text and PNG bytes, and for a report's page a narrow
/// drawing for phones with the title and caption it leaves to the page.
#[derive(Clone, Debug)]
pub struct Drawn {
    /// File stem (`supply_demand_SSK`).
    pub name: String,
    /// The SVG document (the wide drawing, [`SIZE`] or as tall as the chart needs).
    pub svg: String,
    /// The PNG image (the wide drawing).
    pub png: Vec<u8>,
    /// The narrow drawing ([`NARROW_WIDTH`] wide, larger type, legend below the plot, no title or
    /// caption in the picture); `None` for a chart that keeps its wide drawing on a phone.
    pub narrow: Option<String>,
    /// The chart's title (in the wide picture; the page sets it above the narrow one).
    pub title: String,
    /// The chart's caption (likewise).
    pub caption: String,
}

/// Size of every chart, in pixels (PNG at this size; SVG scales).
pub const SIZE: (u32, u32) = (960, 540);

fn err<E: std::fmt::Debug>(name: &str) -> impl Fn(E) -> ChartError + '_ {
    move |e| ChartError {
        name: name.to_string(),
        message: format!("{e:?}"),
    }
}

/// Width of a chart's narrow drawing, in pixels: a phone 360–420 px wide shows it at about three
/// quarters of its size, where the wide drawing would shrink to under two fifths.
pub const NARROW_WIDTH: u32 = 480;

/// Height of one entry of a narrow drawing's legend, in pixels.
const KEY_ROW: u32 = 24;

/// Something that can draw itself on any plotters backend, wide or narrow.
trait Chart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        layout: Layout,
    ) -> Result<(), String>;
    /// The texts: the title and caption go into the wide picture and around the narrow one.
    fn labels(&self) -> &Labels;
    /// The narrow drawing's height, or `None` for a chart that keeps its wide drawing on a phone
    /// (and scrolls in its box there).
    fn narrow_height(&self) -> Option<u32> {
        None
    }
}

/// Which drawing of a chart is being made, and its size.
#[derive(Clone, Copy, Debug)]
struct Layout {
    size: (u32, u32),
    narrow: bool,
}

impl Layout {
    fn wide(size: (u32, u32)) -> Layout {
        Layout {
            size,
            narrow: false,
        }
    }

    /// A text size: three pixels larger in the narrow drawing, so that 14-px labels read at about
    /// 12 px on a phone.
    fn font(self, px: u32) -> u32 {
        if self.narrow { px + 3 } else { px }
    }

    /// How many labels an axis asks for: half as many in the narrow drawing (at least two).
    fn labels(self, n: usize) -> usize {
        if self.narrow { n.div_ceil(2).max(2) } else { n }
    }

    /// How many labels a horizontal value axis asks for: four in the narrow drawing, where
    /// numbers such as "−10 000" side by side would run into each other.
    fn value_labels(self) -> usize {
        if self.narrow { 4 } else { 11 }
    }

    /// The plot's area and the foot below it: the wide drawing keeps 36 px for its caption, the
    /// narrow one room for the legend `key` (an entry a row).
    #[allow(clippy::type_complexity)]
    fn split<DB: DrawingBackend>(
        self,
        root: &DrawingArea<DB, Shift>,
        key: &[(String, Mark)],
    ) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
        let foot = if self.narrow { key_height(key) } else { 36 };
        root.split_vertically(self.size.1.saturating_sub(foot))
    }

    /// A chart builder on `area` with the title in the wide drawing only.
    fn builder<'a, 'b, DB: DrawingBackend>(
        self,
        area: &'a DrawingArea<DB, Shift>,
        title: &str,
        px: u32,
    ) -> ChartBuilder<'a, 'b, DB> {
        let mut b = ChartBuilder::on(area);
        if !self.narrow {
            b.caption(title, ("sans-serif", px));
        }
        b.margin(14);
        if self.narrow {
            // Room for half of the last year's label, in the larger type.
            b.margin_right(26);
        }
        b
    }

    /// The wide drawing's legend box at `pos` in `px`-point type; nothing in the narrow drawing,
    /// whose legend [`Layout::close`] puts below the plot.
    fn legend<'a, DB, CT>(
        self,
        chart: &mut ChartContext<'a, DB, CT>,
        pos: SeriesLabelPosition,
        px: i32,
    ) -> Result<(), String>
    where
        DB: DrawingBackend + 'a,
        CT: CoordTranslate,
    {
        if self.narrow {
            return Ok(());
        }
        legend(chart, pos, px)
    }

    /// Ends a drawing: the wide one with the caption at its foot, the narrow one with its legend
    /// in the foot, an entry a row.
    fn close<DB: DrawingBackend>(
        self,
        (root, foot): (&DrawingArea<DB, Shift>, &DrawingArea<DB, Shift>),
        key: &[(String, Mark)],
        caption_text: &str,
    ) -> Result<(), String> {
        if self.narrow {
            draw_key(foot, key, self)
        } else {
            caption(root, caption_text)
        }
    }
}

/// How a series shows in a legend; one definition serves the wide drawing's legend box
/// (plotters') and the narrow drawing's legend below the plot (hwf's).
#[derive(Clone, Copy, Debug)]
enum Mark {
    /// A line of this colour and width, 24 px long.
    Line(RGBColor, u32),
    /// A filled box of this colour at this opacity, this wide.
    Fill(RGBColor, f64, i32),
    /// A box's outline, 2 px.
    Outline(RGBColor),
    /// A dashed line of this colour and width, 24 px long (two dashes).
    Dashed(RGBColor, u32),
}

impl Mark {
    /// The mark with its left end at `(x, y)` (the middle of its height), as an element.
    fn at(self, (x, y): (i32, i32)) -> MarkAt {
        MarkAt(self, (x, y))
    }
}

/// A [`Mark`] placed on a chart: an element of its own (plotters' legend takes one element type
/// per series), drawn with plotters' own path and rectangle elements.
struct MarkAt(Mark, (i32, i32));

impl<'a> PointCollection<'a, (i32, i32)> for &'a MarkAt {
    type Point = &'a (i32, i32);
    type IntoIter = std::iter::Once<&'a (i32, i32)>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.1)
    }
}

impl<DB: DrawingBackend> Drawable<DB> for MarkAt {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        dim: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let Some((x, y)) = pos.next() else {
            return Ok(());
        };
        let path = |from: i32, to: i32, style: ShapeStyle| {
            let pts = vec![(x + from, y), (x + to, y)];
            (PathElement::new(pts.clone(), style), pts)
        };
        let rect = |w: i32, style: ShapeStyle| {
            let pts = [(x, y - 6), (x + w, y + 6)];
            (Rectangle::new(pts, style), pts)
        };
        match self.0 {
            Mark::Line(c, w) => {
                let (e, pts) = path(0, 24, c.stroke_width(w));
                e.draw(pts.into_iter(), backend, dim)
            }
            Mark::Dashed(c, w) => {
                for (from, to) in [(0, 10), (14, 24)] {
                    let (e, pts) = path(from, to, c.stroke_width(w));
                    e.draw(pts.into_iter(), backend, dim)?;
                }
                Ok(())
            }
            Mark::Fill(c, a, w) => {
                let (e, pts) = rect(w, c.mix(a).filled());
                e.draw(pts.into_iter(), backend, dim)
            }
            Mark::Outline(c) => {
                let (e, pts) = rect(16, c.stroke_width(2));
                e.draw(pts.into_iter(), backend, dim)
            }
        }
    }
}

/// A narrow drawing's legend: each entry on its own row (a phone has no room for a box beside
/// the lines, and plotters keeps a legend inside the plot); entries with no name are left out, as
/// plotters leaves them out of its box.
fn draw_key<DB: DrawingBackend>(
    foot: &DrawingArea<DB, Shift>,
    key: &[(String, Mark)],
    layout: Layout,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("{e:?}");
    let px = layout.font(15);
    for (i, (label, mark)) in key.iter().filter(|k| !k.0.is_empty()).enumerate() {
        let y = 4 + (i as u32 * KEY_ROW + KEY_ROW / 2) as i32;
        foot.draw(&mark.at((16, y))).map_err(e)?;
        foot.draw(&Text::new(
            label.clone(),
            (48, y - px as i32 / 2 - 1),
            ("sans-serif", px).into_font().color(&BLACK),
        ))
        .map_err(e)?;
    }
    Ok(())
}

/// The legend entries of `key` that the narrow drawing lists (those with a name).
fn key_rows(key: &[(String, Mark)]) -> usize {
    key.iter().filter(|k| !k.0.is_empty()).count()
}

/// The height of a narrow drawing's legend below the plot.
fn key_height(key: &[(String, Mark)]) -> u32 {
    key_rows(key) as u32 * KEY_ROW + 10
}

/// The height of a narrow line or bar chart's plot over years, axes included.
const NARROW_PLOT: u32 = 330;

thread_local! {
    /// Set by [`svg_only`]: charts drawn on this thread skip the PNG.
    static SVG_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every chart it draws on this thread drawn as SVG only (`Drawn::png` empty), for
/// reports that write no PNG files.
pub(crate) fn svg_only<T>(f: impl FnOnce() -> T) -> T {
    let before = SVG_ONLY.with(|c| c.replace(true));
    let out = f();
    SVG_ONLY.with(|c| c.set(before));
    out
}

/// Draws a chart as SVG and renders the PNG from it (the SVG alone inside [`svg_only`]).
fn both(name: &str, chart: &impl Chart) -> Result<Drawn, ChartError> {
    both_sized(name, chart, SIZE)
}

/// [`both`] at another size than [`SIZE`].
fn both_sized(name: &str, chart: &impl Chart, size: (u32, u32)) -> Result<Drawn, ChartError> {
    register_font();
    let draw = |layout: Layout| -> Result<String, ChartError> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, layout.size).into_drawing_area();
            chart.draw(&root, layout).map_err(err(name))?;
            root.present().map_err(err(name))?;
        }
        Ok(svg)
    };
    let svg = draw(Layout::wide(size))?;
    let narrow = match chart.narrow_height() {
        Some(h) => Some(draw(Layout {
            size: (NARROW_WIDTH, h),
            narrow: true,
        })?),
        None => None,
    };
    let png = if SVG_ONLY.with(std::cell::Cell::get) {
        Vec::new()
    } else {
        render_png(&svg, size).map_err(err(name))?
    };
    Ok(Drawn {
        name: name.to_string(),
        svg,
        png,
        narrow,
        title: chart.labels().title.clone(),
        caption: chart.labels().caption.clone(),
    })
}

/// Texts a chart needs in the report's language.
#[derive(Clone, Debug)]
pub struct Labels {
    /// Title.
    pub title: String,
    /// Caption (source; "synthetic data" where it applies).
    pub caption: String,
    /// X axis.
    pub x: String,
    /// Y axis.
    pub y: String,
    /// Series names, in the order the chart draws them.
    pub series: Vec<String>,
}

fn caption<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, text: &str) -> Result<(), String> {
    root.draw(&Text::new(
        text.to_string(),
        (12, root.dim_in_pixel().1 as i32 - 22),
        ("sans-serif", 14).into_font().color(&BLACK.mix(0.75)),
    ))
    .map_err(|e| format!("{e:?}"))
}

/// The legend box every chart draws: the series' labels at `pos` in `size`-point type, on a
/// nearly white box with a grey border.
fn legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    pos: SeriesLabelPosition,
    size: i32,
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    CT: CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(pos)
        .label_font(("sans-serif", size))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(|e| format!("{e:?}"))
}

/// Whole numbers with an ordinary space (U+0020) between thousands (`12 000`); Swedish and SI style
/// both group thousands with a space.
pub fn thousands(v: f64) -> String {
    let n = v.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    if n < 0 { format!("−{out}") } else { out }
}

fn nice_max(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    let m = v / mag;
    let step = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    step * mag
}

/// A step of 1, 2, 2.5 or 5 times a power of ten, the smallest at or above `v` (> 0).
fn nice_step(v: f64) -> f64 {
    let mag = 10f64.powf(v.log10().floor());
    let m = v / mag;
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|s| m <= s * (1.0 + 1e-12))
        .unwrap_or(10.0);
    step * mag
}

/// The value axis of a line chart of levels `lo..=hi` (both ≥ 0): from 0 when the data reach
/// down to half their top (a baseline of 0 shows the level honestly there), otherwise from a
/// round value below the lowest point, so that the lines and their bands fill the chart; up to a
/// round value with a little room above the highest point. About five to ten gridlines.
fn level_axis(lo: f64, hi: f64) -> (f64, f64) {
    if hi.is_nan() || hi <= 0.0 {
        return (0.0, 1.0);
    }
    let lo = lo.max(0.0).min(hi);
    let from_zero = lo < 0.5 * hi;
    let span = if from_zero {
        hi
    } else {
        (hi - lo).max(hi * 0.02)
    };
    let step = nice_step(span / 6.0);
    let bottom = if from_zero {
        0.0
    } else {
        ((lo - 0.04 * span) / step).floor() * step
    };
    let top = ((hi + 0.04 * span) / step).ceil() * step;
    (bottom.max(0.0), top)
}

struct SupplyDemand<'a> {
    l: &'a Labels,
    supply: &'a [(i32, f64)],
    demand: &'a [(i32, f64)],
    base_year: i32,
    last_observed: i32,
    x0: i32,
    x1: i32,
    y: (f64, f64),
    fan: Option<&'a Fan>,
}

impl Chart for SupplyDemand<'_> {
    fn labels(&self) -> &Labels {
        self.l
    }

    fn narrow_height(&self) -> Option<u32> {
        Some(NARROW_PLOT + key_height(&self.key()))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        layout: Layout,
    ) -> Result<(), String> {
        let SupplyDemand {
            l,
            supply,
            demand,
            base_year,
            last_observed,
            x0,
            x1,
            y: (ymin, ymax),
            fan,
        } = *self;
        let e = |e: DrawingAreaErrorKind<_>| format!("{e:?}");
        root.fill(&WHITE).map_err(e)?;
        let key = self.key();
        let (area, foot) = layout.split(root, &key);
        let mut chart = layout
            .builder(&area, &l.title, 24)
            .x_label_area_size(44)
            .y_label_area_size(86)
            .build_cartesian_2d(x0..x1, ymin..ymax)
            .map_err(|e| format!("{e:?}"))?;
        light_grid(&mut chart.configure_mesh())
            .x_desc(&l.x)
            .y_desc(&l.y)
            .x_labels(layout.labels(12))
            .y_labels(layout.labels(11))
            .x_label_formatter(&|y| format!("{y}"))
            .y_label_formatter(&|v| thousands(*v))
            .label_style(("sans-serif", layout.font(15)))
            .axis_desc_style(("sans-serif", layout.font(16)))
            .draw()
            .map_err(|e| format!("{e:?}"))?;
        if let Some(fan) = fan {
            for ((band, colour), (label, mark)) in [(&fan.supply, SUPPLY), (&fan.demand, DEMAND)]
                .into_iter()
                .zip(&key[2..])
            {
                let mut pts: Vec<(i32, f64)> = band.iter().map(|b| (b.0, b.1)).collect();
                pts.extend(band.iter().rev().map(|b| (b.0, b.2)));
                let mark = *mark;
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        pts,
                        colour.mix(0.18).filled(),
                    )))
                    .map_err(|e| format!("{e:?}"))?
                    .label(label)
                    .legend(move |p| mark.at(p));
            }
        }
        let observed: Vec<(i32, f64)> = supply
            .iter()
            .copied()
            .filter(|p| p.0 <= last_observed)
            .collect();
        let projected: Vec<(i32, f64)> = supply
            .iter()
            .copied()
            .filter(|p| p.0 >= last_observed)
            .collect();
        let (supply_mark, demand_mark) = (key[0].1, key[1].1);
        chart
            .draw_series(LineSeries::new(observed, SUPPLY.stroke_width(3)))
            .map_err(|e| format!("{e:?}"))?
            .label(&key[0].0)
            .legend(move |p| supply_mark.at(p));
        chart
            .draw_series(DashedLineSeries::new(
                projected,
                8,
                5,
                SUPPLY.stroke_width(3),
            ))
            .map_err(|e| format!("{e:?}"))?;
        chart
            .draw_series(DashedLineSeries::new(
                demand.to_vec(),
                8,
                5,
                DEMAND.stroke_width(3),
            ))
            .map_err(|e| format!("{e:?}"))?
            .label(&key[1].0)
            .legend(move |p| demand_mark.at(p));
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(base_year, ymin), (base_year, ymax)],
                BLACK.mix(0.35),
            )))
            .map_err(|e| format!("{e:?}"))?;
        layout.legend(&mut chart, self.legend_corner(), 15)?;
        layout.close((root, &foot), &key, &l.caption)
    }
}

impl SupplyDemand<'_> {
    /// The legend: supply, demand, then the bands when drawn.
    fn key(&self) -> Vec<(String, Mark)> {
        let mut key = vec![
            (self.l.series[0].clone(), Mark::Line(SUPPLY, 3)),
            (self.l.series[1].clone(), Mark::Line(DEMAND, 3)),
        ];
        if let Some(fan) = self.fan {
            key.push((fan.labels[0].clone(), Mark::Fill(SUPPLY, 0.25, 24)));
            key.push((fan.labels[1].clone(), Mark::Fill(DEMAND, 0.25, 24)));
        }
        key
    }

    /// The corner of the plot whose box (the legend's size, about 45 % of the width and 30 % of
    /// the height) holds the fewest points of the lines and bands, so that the legend covers as
    /// little of them as it can.
    fn legend_corner(&self) -> SeriesLabelPosition {
        let (ymin, ymax) = self.y;
        let (w, h) = (f64::from(self.x1 - self.x0), ymax - ymin);
        let mut points: Vec<(f64, f64)> = self
            .supply
            .iter()
            .chain(self.demand)
            .map(|p| (f64::from(p.0), p.1))
            .collect();
        if let Some(f) = self.fan {
            for b in f.supply.iter().chain(&f.demand) {
                points.push((f64::from(b.0), b.1));
                points.push((f64::from(b.0), b.2));
            }
        }
        let count = |right: bool, top: bool| {
            points
                .iter()
                .filter(|(x, y)| {
                    let fx = (x - f64::from(self.x0)) / w;
                    let fy = (y - ymin) / h;
                    (if right { fx >= 0.55 } else { fx <= 0.45 })
                        && (if top { fy >= 0.7 } else { fy <= 0.3 })
                })
                .count()
        };
        [
            (SeriesLabelPosition::LowerRight, count(true, false)),
            (SeriesLabelPosition::UpperLeft, count(false, true)),
            (SeriesLabelPosition::LowerLeft, count(false, false)),
            (SeriesLabelPosition::UpperRight, count(true, true)),
        ]
        .into_iter()
        .min_by_key(|c| c.1)
        .map_or(SeriesLabelPosition::LowerRight, |c| c.0)
    }
}

/// Supply and demand over time: supply from the first observed year (solid up to the last observed
/// year, dashed where nowcast or projected), demand from the base year (marked by a vertical line).
pub fn supply_demand(
    name: &str,
    l: &Labels,
    supply: &[(i32, f64)],
    demand: &[(i32, f64)],
    base_year: i32,
    last_observed: i32,
    fan: Option<&Fan>,
) -> Result<Drawn, ChartError> {
    let x0 = supply.first().map_or(base_year, |p| p.0);
    let x1 = supply.last().map_or(base_year + 1, |p| p.0).max(x0 + 1);
    // The axis fits the lines and the bands, so that a band is visible.
    let points = supply.iter().chain(demand).map(|p| p.1).chain(
        fan.into_iter()
            .flat_map(|f| f.supply.iter().chain(&f.demand))
            .flat_map(|b| [b.1, b.2]),
    );
    let (lo, hi) = points
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let y = level_axis(lo, hi);
    both(
        name,
        &SupplyDemand {
            l,
            supply,
            demand,
            base_year,
            last_observed,
            x0,
            x1,
            y,
            fan,
        },
    )
}

/// Uncertainty bands behind the supply and demand lines: `(year, low, high)` each, and their
/// legend labels (e.g. "Supply P10–P90").
#[derive(Clone, Debug, PartialEq)]
pub struct Fan {
    /// Supply band.
    pub supply: Vec<(i32, f64, f64)>,
    /// Demand band.
    pub demand: Vec<(i32, f64, f64)>,
    /// Legend labels: supply, demand.
    pub labels: [String; 2],
}

struct RankedBars<'a> {
    l: &'a Labels,
    bars: &'a [(String, f64)],
    names: &'a [String],
    lo: f64,
    hi: f64,
    pad: f64,
    n: i32,
}

impl Chart for RankedBars<'_> {
    fn labels(&self) -> &Labels {
        self.l
    }

    /// 19 px a bar, and the axis below them.
    fn narrow_height(&self) -> Option<u32> {
        Some(self.bars.len() as u32 * 19 + 86)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        layout: Layout,
    ) -> Result<(), String> {
        let RankedBars {
            l,
            bars,
            names,
            lo,
            hi,
            pad,
            n,
        } = *self;
        root.fill(&WHITE).map_err(|e| format!("{e:?}"))?;
        let (area, foot) = layout.split(root, &[]);
        let mut chart = layout
            .builder(&area, &l.title, 24)
            .x_label_area_size(44)
            .y_label_area_size(190)
            .build_cartesian_2d((lo - pad)..(hi + pad), (0..n).into_segmented())
            .map_err(|e| format!("{e:?}"))?;
        light_grid(&mut chart.configure_mesh())
            .x_desc(&l.x)
            .x_labels(layout.value_labels())
            .y_labels(bars.len())
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => {
                    names.get(*i as usize).map_or_else(String::new, beside_axis)
                }
                _ => String::new(),
            })
            .x_label_formatter(&|v| thousands(*v))
            .label_style(("sans-serif", layout.font(14)))
            .axis_desc_style(("sans-serif", layout.font(16)))
            .disable_y_mesh()
            // Labels name the bars; a tick between two bars would name nothing.
            .set_tick_mark_size(LabelAreaPosition::Left, 0)
            .draw()
            .map_err(|e| format!("{e:?}"))?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, v))| {
                let colour = if *v < 0.0 { SHORTAGE } else { SURPLUS };
                let mut r = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(i as i32)),
                        (*v, SegmentValue::Exact(i as i32 + 1)),
                    ],
                    colour.filled(),
                );
                r.set_margin(3, 3, 0, 0);
                r
            }))
            .map_err(|e| format!("{e:?}"))?;
        layout.close((root, &foot), &[], &l.caption)
    }
}

/// Ranked horizontal bars: one per category (county), negative values in the shortage colour.
pub fn ranked_bars(name: &str, l: &Labels, bars: &[(String, f64)]) -> Result<Drawn, ChartError> {
    let mut bars = bars.to_vec();
    bars.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let lo = bars.iter().map(|b| b.1).fold(0.0, f64::min);
    let hi = bars.iter().map(|b| b.1).fold(0.0, f64::max);
    let pad = (hi - lo).max(1.0) * 0.08;
    let n = bars.len() as i32;
    let names: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    both(
        name,
        &RankedBars {
            l,
            bars: &bars,
            names: &names,
            lo,
            hi,
            pad,
            n,
        },
    )
}

struct Pyramid<'a> {
    l: &'a Labels,
    bands: &'a [String],
    base: &'a [(f64, f64)],
    horizon: &'a [(f64, f64)],
    m: f64,
    n: i32,
}

impl Chart for Pyramid<'_> {
    fn labels(&self) -> &Labels {
        self.l
    }

    /// 22 px an age band, the axis and the legend.
    fn narrow_height(&self) -> Option<u32> {
        Some(self.bands.len() as u32 * 22 + 86 + key_height(&self.key()))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        layout: Layout,
    ) -> Result<(), String> {
        let Pyramid {
            l,
            bands,
            base,
            horizon,
            m,
            n,
        } = *self;
        root.fill(&WHITE).map_err(|e| format!("{e:?}"))?;
        let key = self.key();
        let (area, foot) = layout.split(root, &key);
        let mut chart = layout
            .builder(&area, &l.title, 24)
            .x_label_area_size(44)
            .y_label_area_size(70)
            .build_cartesian_2d(-m..m, (0..n).into_segmented())
            .map_err(|e| format!("{e:?}"))?;
        light_grid(&mut chart.configure_mesh())
            .x_desc(&l.x)
            .y_desc(&l.y)
            .x_labels(layout.value_labels())
            .y_labels(bands.len())
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => {
                    bands.get(*i as usize).map_or_else(String::new, beside_axis)
                }
                _ => String::new(),
            })
            .x_label_formatter(&|v| thousands(v.abs()))
            .label_style(("sans-serif", layout.font(14)))
            .axis_desc_style(("sans-serif", layout.font(16)))
            .disable_y_mesh()
            // Labels name the bars; a tick between two bars would name nothing.
            .set_tick_mark_size(LabelAreaPosition::Left, 0)
            .draw()
            .map_err(|e| format!("{e:?}"))?;
        let bar = |i: usize, from: f64, to: f64, style: ShapeStyle| {
            let mut r = Rectangle::new(
                [
                    (from, SegmentValue::Exact(i as i32)),
                    (to, SegmentValue::Exact(i as i32 + 1)),
                ],
                style,
            );
            r.set_margin(2, 2, 0, 0);
            r
        };
        let (m0, m1, m2) = (key[0].1, key[1].1, key[2].1);
        chart
            .draw_series(
                base.iter()
                    .enumerate()
                    .filter(|(_, p)| p.0.is_finite())
                    .map(|(i, p)| bar(i, -p.0, 0.0, MEN.mix(0.75).filled())),
            )
            .map_err(|e| format!("{e:?}"))?
            .label(&key[0].0)
            .legend(move |p| m0.at(p));
        chart
            .draw_series(
                base.iter()
                    .enumerate()
                    .filter(|(_, p)| p.1.is_finite())
                    .map(|(i, p)| bar(i, 0.0, p.1, WOMEN.mix(0.75).filled())),
            )
            .map_err(|e| format!("{e:?}"))?
            .label(&key[1].0)
            .legend(move |p| m1.at(p));
        chart
            .draw_series(horizon.iter().enumerate().flat_map(|(i, p)| {
                [
                    bar(i, -p.0, 0.0, BLACK.stroke_width(2)),
                    bar(i, 0.0, p.1, BLACK.stroke_width(2)),
                ]
            }))
            .map_err(|e| format!("{e:?}"))?
            .label(&key[2].0)
            .legend(move |p| m2.at(p));
        layout.legend(&mut chart, SeriesLabelPosition::UpperRight, 15)?;
        layout.close((root, &foot), &key, &l.caption)
    }
}

impl Pyramid<'_> {
    /// The legend: men and women in the base year (bars), the horizon (outlines).
    fn key(&self) -> Vec<(String, Mark)> {
        vec![
            (self.l.series[0].clone(), Mark::Fill(MEN, 0.75, 16)),
            (self.l.series[1].clone(), Mark::Fill(WOMEN, 0.75, 16)),
            (self.l.series[2].clone(), Mark::Outline(BLACK)),
        ]
    }
}

/// An age pyramid: persons by age band and sex, base year as bars and horizon as outlines.
/// `bands` are labels; `base` and `horizon` are `(men, women)` per band; a `NaN` base bar (withheld
/// by disclosure control) is not drawn.
pub fn pyramid(
    name: &str,
    l: &Labels,
    bands: &[String],
    base: &[(f64, f64)],
    horizon: &[(f64, f64)],
) -> Result<Drawn, ChartError> {
    let m = nice_max(
        base.iter()
            .chain(horizon)
            .map(|p| p.0.max(p.1))
            .fold(0.0, f64::max)
            * 1.05,
    );
    let n = bands.len() as i32;
    both(
        name,
        &Pyramid {
            l,
            bands,
            base,
            horizon,
            m,
            n,
        },
    )
}

struct Flows<'a> {
    l: &'a Labels,
    years: &'a [i32],
    inflows: &'a [[f64; 3]],
    exits: &'a [f64],
    /// The value axis's top: in the wide drawing with room for the legend box, in the narrow one
    /// (legend below the plot) just above the highest bar or line.
    ymax: (f64, f64),
    x0: f64,
    x1: f64,
    origin_colours: [RGBColor; 3],
    corner: SeriesLabelPosition,
}

impl Chart for Flows<'_> {
    fn labels(&self) -> &Labels {
        self.l
    }

    fn narrow_height(&self) -> Option<u32> {
        Some(NARROW_PLOT + key_height(&self.key()))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        layout: Layout,
    ) -> Result<(), String> {
        let Flows {
            l,
            years,
            inflows,
            exits,
            ymax,
            x0,
            x1,
            origin_colours,
            ref corner,
        } = *self;
        root.fill(&WHITE).map_err(|e| format!("{e:?}"))?;
        let key = self.key();
        let (area, foot) = layout.split(root, &key);
        let mut chart = layout
            .builder(&area, &l.title, 24)
            .x_label_area_size(44)
            .y_label_area_size(86)
            .build_cartesian_2d(x0..x1, 0.0..if layout.narrow { ymax.1 } else { ymax.0 })
            .map_err(|e| format!("{e:?}"))?;
        light_grid(&mut chart.configure_mesh())
            .x_desc(&l.x)
            .y_desc(&l.y)
            .x_labels(layout.labels(12))
            .y_labels(layout.labels(11))
            .x_label_formatter(&|y| format!("{y:.0}"))
            .y_label_formatter(&|v| thousands(*v))
            .label_style(("sans-serif", layout.font(15)))
            .axis_desc_style(("sans-serif", layout.font(16)))
            .draw()
            .map_err(|e| format!("{e:?}"))?;
        for o in 0..3 {
            let colour = origin_colours[o];
            let mark = key[o].1;
            chart
                .draw_series(years.iter().zip(inflows).map(|(&y, f)| {
                    let below: f64 = f[..o].iter().sum();
                    Rectangle::new(
                        [(y as f64 - 0.4, below), (y as f64 + 0.4, below + f[o])],
                        colour.filled(),
                    )
                }))
                .map_err(|e| format!("{e:?}"))?
                .label(&key[o].0)
                .legend(move |p| mark.at(p));
        }
        let exit_mark = key[3].1;
        chart
            .draw_series(LineSeries::new(
                years.iter().zip(exits).map(|(&y, &e)| (y as f64, e)),
                EXITS.stroke_width(3),
            ))
            .map_err(|e| format!("{e:?}"))?
            .label(&key[3].0)
            .legend(move |p| exit_mark.at(p));
        layout.legend(&mut chart, corner.clone(), 15)?;
        layout.close((root, &foot), &key, &l.caption)
    }
}

impl Flows<'_> {
    /// The legend: the three origins (stacked bars), then exits (a line).
    fn key(&self) -> Vec<(String, Mark)> {
        let mut key: Vec<(String, Mark)> = (0..3)
            .map(|o| {
                (
                    self.l.series[o].clone(),
                    Mark::Fill(self.origin_colours[o], 1.0, 16),
                )
            })
            .collect();
        key.push((self.l.series[3].clone(), Mark::Line(EXITS, 3)));
        key
    }
}

/// Inflows (stacked by origin) against exits, per year.
pub fn flows(
    name: &str,
    l: &Labels,
    years: &[i32],
    inflows: &[[f64; 3]],
    exits: &[f64],
) -> Result<Drawn, ChartError> {
    // The legend (four rows, about 40 % of the width and 30 % of the height) goes into the upper
    // corner over the half of the years with the lower bars and line, and the value axis leaves
    // room for it there above the highest of them.
    let tops: Vec<f64> = inflows
        .iter()
        .map(|f| f.iter().sum::<f64>())
        .zip(exits.iter().copied().chain(std::iter::repeat(0.0)))
        .map(|(a, b)| a.max(b))
        .collect();
    let half = |right: bool| {
        let mid = tops.len() / 2;
        let part = if right { &tops[mid..] } else { &tops[..mid] };
        part.iter().copied().fold(0.0, f64::max)
    };
    let right = half(true) < half(false);
    let top = tops.iter().copied().fold(0.0, f64::max);
    let ymax = (
        nice_max((top * 1.1).max(half(right) / 0.66)),
        nice_max(top * 1.1),
    );
    let corner = if right {
        SeriesLabelPosition::UpperRight
    } else {
        SeriesLabelPosition::UpperLeft
    };
    let x0 = years.first().copied().unwrap_or(0) as f64 - 0.6;
    let x1 = years.last().copied().unwrap_or(1) as f64 + 0.6;
    let origin_colours = [
        SUPPLY,
        RGBColor(0x6f, 0xa3, 0xd0),
        RGBColor(0xb4, 0xcf, 0xe8),
    ];
    both(
        name,
        &Flows {
            l,
            years,
            inflows,
            exits,
            ymax,
            x0,
            x1,
            origin_colours,
            corner,
        },
    )
}

/// Colours for scenarios side by side (the first is the main scenario, in the supply colour).
pub const SCENARIOS: [RGBColor; 5] = [
    SUPPLY,
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x17, 0xbe, 0xcf),
];

struct Grouped<'a> {
    l: &'a Labels,
    categories: &'a [String],
    series: &'a [Vec<f64>],
    lo: f64,
    hi: f64,
}

impl Chart for Grouped<'_> {
    fn labels(&self) -> &Labels {
        self.l
    }

    /// A category's bars 9 px each and 8 px between categories, the axis and the legend.
    fn narrow_height(&self) -> Option<u32> {
        let k = self.series.len().max(1) as u32;
        Some(self.categories.len() as u32 * (9 * k + 8) + 86 + key_height(&self.key()))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        layout: Layout,
    ) -> Result<(), String> {
        let Grouped {
            l,
            categories,
            series,
            lo,
            hi,
        } = *self;
        let n = categories.len() as i32;
        let k = series.len().max(1) as f64;
        root.fill(&WHITE).map_err(|e| format!("{e:?}"))?;
        let key = self.key();
        let (area, foot) = layout.split(root, &key);
        let mut chart = layout
            .builder(&area, &l.title, 24)
            .x_label_area_size(44)
            .y_label_area_size(220)
            .build_cartesian_2d(lo..hi, 0.0..n as f64)
            .map_err(|e| format!("{e:?}"))?;
        light_grid(&mut chart.configure_mesh())
            .x_desc(&l.x)
            .x_labels(layout.value_labels())
            .y_labels(categories.len() * 2 + 1)
            .y_label_formatter(&|v| {
                let i = (v - 0.5).round();
                if (v - 0.5 - i).abs() < 1e-6 && i >= 0.0 {
                    categories
                        .get(i as usize)
                        .map_or_else(String::new, beside_axis)
                } else {
                    String::new()
                }
            })
            .x_label_formatter(&|v| thousands(*v))
            .label_style(("sans-serif", layout.font(13)))
            .axis_desc_style(("sans-serif", layout.font(16)))
            .disable_y_mesh()
            // Labels name the bars; a tick between two bars would name nothing.
            .set_tick_mark_size(LabelAreaPosition::Left, 0)
            .draw()
            .map_err(|e| format!("{e:?}"))?;
        for (s, values) in series.iter().enumerate() {
            let colour = SCENARIOS[s % SCENARIOS.len()];
            let (label, mark) = key[s].clone();
            let band = 0.8 / k;
            chart
                .draw_series(values.iter().enumerate().map(|(i, v)| {
                    let y0 = i as f64 + 0.1 + band * s as f64;
                    Rectangle::new([(0.0, y0), (*v, y0 + band * 0.9)], colour.filled())
                }))
                .map_err(|e| format!("{e:?}"))?
                .label(label)
                .legend(move |p| mark.at(p));
        }
        layout.legend(&mut chart, SeriesLabelPosition::LowerLeft, 14)?;
        layout.close((root, &foot), &key, &l.caption)
    }
}

impl Grouped<'_> {
    /// The legend: a box of each series' colour (a scenario each).
    fn key(&self) -> Vec<(String, Mark)> {
        (0..self.series.len())
            .map(|s| {
                (
                    self.l.series.get(s).cloned().unwrap_or_default(),
                    Mark::Fill(SCENARIOS[s % SCENARIOS.len()], 1.0, 16),
                )
            })
            .collect()
    }
}

/// Horizontal bars grouped by category, one bar per series (scenarios side by side).
pub fn grouped_bars(
    name: &str,
    l: &Labels,
    categories: &[String],
    series: &[Vec<f64>],
) -> Result<Drawn, ChartError> {
    let lo = series.iter().flatten().copied().fold(0.0, f64::min);
    let hi = series.iter().flatten().copied().fold(0.0, f64::max);
    let pad = (hi - lo).max(1.0) * 0.06;
    both(
        name,
        &Grouped {
            l,
            categories,
            series,
            lo: lo - pad,
            hi: hi + pad,
        },
    )
}

/// One line of a line chart: name, points, colour, dashed or not.
pub type Line = (String, Vec<(i32, f64)>, RGBColor, bool);

struct Lines<'a> {
    l: &'a Labels,
    lines: &'a [Line],
    x0: i32,
    x1: i32,
    ymax: f64,
}

impl Chart for Lines<'_> {
    fn labels(&self) -> &Labels {
        self.l
    }

    fn narrow_height(&self) -> Option<u32> {
        Some(NARROW_PLOT + key_height(&self.key()))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        layout: Layout,
    ) -> Result<(), String> {
        let Lines {
            l,
            lines,
            x0,
            x1,
            ymax,
        } = *self;
        root.fill(&WHITE).map_err(|e| format!("{e:?}"))?;
        let key = self.key();
        let (area, foot) = layout.split(root, &key);
        let mut chart = layout
            .builder(&area, &l.title, 24)
            .x_label_area_size(44)
            .y_label_area_size(86)
            .build_cartesian_2d(x0..x1, 0.0..ymax)
            .map_err(|e| format!("{e:?}"))?;
        light_grid(&mut chart.configure_mesh())
            .x_desc(&l.x)
            .y_desc(&l.y)
            .x_labels(layout.labels(12))
            .y_labels(layout.labels(11))
            .x_label_formatter(&|y| format!("{y}"))
            .y_label_formatter(&|v| thousands(*v))
            .label_style(("sans-serif", layout.font(15)))
            .axis_desc_style(("sans-serif", layout.font(16)))
            .draw()
            .map_err(|e| format!("{e:?}"))?;
        for ((name, pts, colour, dashed), (_, mark)) in lines.iter().zip(&key) {
            let style = colour.stroke_width(3);
            let series = if *dashed {
                chart
                    .draw_series(DashedLineSeries::new(pts.clone(), 8, 5, style))
                    .map_err(|e| format!("{e:?}"))?
            } else {
                chart
                    .draw_series(LineSeries::new(pts.clone(), style))
                    .map_err(|e| format!("{e:?}"))?
            };
            let mark = *mark;
            series.label(name).legend(move |p| mark.at(p));
            chart
                .draw_series(pts.iter().map(|p| Circle::new(*p, 4, colour.filled())))
                .map_err(|e| format!("{e:?}"))?;
        }
        layout.legend(&mut chart, SeriesLabelPosition::LowerRight, 15)?;
        layout.close((root, &foot), &key, &l.caption)
    }
}

impl Lines<'_> {
    /// The legend: a line of each colour.
    fn key(&self) -> Vec<(String, Mark)> {
        self.lines
            .iter()
            .map(|(name, _, colour, _)| (name.clone(), Mark::Line(*colour, 3)))
            .collect()
    }
}

/// A line chart over years (solid or dashed lines with their points marked).
pub fn lines(name: &str, l: &Labels, lines: &[Line]) -> Result<Drawn, ChartError> {
    let x0 = lines
        .iter()
        .flat_map(|x| x.1.iter().map(|p| p.0))
        .min()
        .unwrap_or(0);
    let x1 = lines
        .iter()
        .flat_map(|x| x.1.iter().map(|p| p.0))
        .max()
        .unwrap_or(1)
        .max(x0 + 1);
    let ymax = nice_max(
        lines
            .iter()
            .flat_map(|x| x.1.iter().map(|p| p.1))
            .fold(0.0, f64::max)
            * 1.08,
    );
    both(
        name,
        &Lines {
            l,
            lines,
            x0,
            x1,
            ymax,
        },
    )
}

/// One panel of [`small_multiples`]: its title and lines.
#[derive(Clone, Debug)]
pub struct Panel {
    /// The panel's title (a profession's name).
    pub title: String,
    /// Its lines; a line whose name is in no other panel still gets its legend entry.
    pub lines: Vec<Line>,
}

/// Columns of [`small_multiples`].
const PANEL_COLUMNS: usize = 4;

/// Many small line charts on one common year axis, each with its own value axis fitted to its
/// lines (the point is the difference between them, not the level), in rows of four, one legend
/// for all above them. As wide as every other chart ([`SIZE`]) and with text no smaller than
/// theirs, so that it reads at the same scale in the report.
pub fn small_multiples(name: &str, l: &Labels, panels: &[Panel]) -> Result<Drawn, ChartError> {
    let years = panels
        .iter()
        .flat_map(|p| p.lines.iter().flat_map(|x| x.1.iter().map(|q| q.0)));
    let (x0, x1) = years.fold((i32::MAX, i32::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let (x0, x1) = if x0 > x1 {
        (0, 1)
    } else {
        (x0, x1.max(x0 + 1))
    };
    let rows = panels.len().div_ceil(PANEL_COLUMNS).max(1);
    let size = (SIZE.0, (HEAD + rows as u32 * PANEL_HEIGHT + 40).max(300));
    both_sized(name, &Multiples { l, panels, x0, x1 }, size)
}

/// Columns of [`small_multiples`]' narrow drawing, and the height of a row of its panels.
const NARROW_COLUMNS: usize = 2;
const NARROW_PANEL_HEIGHT: u32 = 190;

/// Height of one row of panels, and of the title and legend above them, in pixels.
const PANEL_HEIGHT: u32 = 210;
const HEAD: u32 = 84;

struct Multiples<'a> {
    l: &'a Labels,
    panels: &'a [Panel],
    x0: i32,
    x1: i32,
}

impl Multiples<'_> {
    /// The legend: every line name once, in the order first met.
    fn key(&self) -> Vec<(String, Mark)> {
        let mut key: Vec<(String, Mark)> = Vec::new();
        for (name, _, colour, dashed) in self.panels.iter().flat_map(|p| &p.lines) {
            if !key.iter().any(|k| k.0 == *name) {
                let mark = if *dashed {
                    Mark::Dashed(*colour, 3)
                } else {
                    Mark::Line(*colour, 3)
                };
                key.push((name.clone(), mark));
            }
        }
        key
    }
}

/// A value range around `lo..hi` with a margin, never empty.
fn fitted_range(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.12).max(hi.abs() * 0.02).max(1.0);
    ((lo - pad).max(0.0), hi + pad)
}

impl Chart for Multiples<'_> {
    fn labels(&self) -> &Labels {
        self.l
    }

    /// Two columns of panels, and the legend below them.
    fn narrow_height(&self) -> Option<u32> {
        let rows = self.panels.len().div_ceil(NARROW_COLUMNS).max(1) as u32;
        Some(rows * NARROW_PANEL_HEIGHT + key_height(&self.key()))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        layout: Layout,
    ) -> Result<(), String> {
        let Multiples { l, panels, x0, x1 } = *self;
        let e = |e: DrawingAreaErrorKind<_>| format!("{e:?}");
        root.fill(&WHITE).map_err(e)?;
        let columns = if layout.narrow {
            NARROW_COLUMNS
        } else {
            PANEL_COLUMNS
        };
        let rows = panels.len().div_ceil(columns).max(1);
        let key = self.key();
        let (grid, foot) = if layout.narrow {
            layout.split(root, &key)
        } else {
            (root.margin(HEAD, 40, 0, 0), root.clone())
        };
        if !layout.narrow {
            self.wide_head(root)?;
        }
        let cells = grid.split_evenly((rows, columns));
        for (panel, cell) in panels.iter().zip(&cells) {
            let (lo, hi) = panel
                .lines
                .iter()
                .flat_map(|x| x.1.iter().map(|q| q.1))
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(v), b.max(v))
                });
            let (y0, y1) = fitted_range(lo, hi);
            let mut chart = ChartBuilder::on(cell)
                .caption(&panel.title, ("sans-serif", layout.font(16)))
                .margin(6)
                .x_label_area_size(24)
                .y_label_area_size(if layout.narrow { 70 } else { 62 })
                .build_cartesian_2d(x0..x1, y0..y1)
                .map_err(|e| format!("{e:?}"))?;
            light_grid(&mut chart.configure_mesh())
                .x_labels(3)
                .y_labels(4)
                .x_label_formatter(&|y| format!("{y}"))
                .y_label_formatter(&|v| thousands(*v))
                .label_style(("sans-serif", layout.font(14)))
                .draw()
                .map_err(|e| format!("{e:?}"))?;
            for (_, pts, colour, dashed) in &panel.lines {
                let style = colour.stroke_width(2);
                if *dashed {
                    chart
                        .draw_series(DashedLineSeries::new(pts.clone(), 5, 3, style))
                        .map_err(|e| format!("{e:?}"))?;
                } else {
                    chart
                        .draw_series(LineSeries::new(pts.clone(), style))
                        .map_err(|e| format!("{e:?}"))?;
                }
            }
        }
        layout.close((root, &foot), &key, &l.caption)
    }
}

impl Multiples<'_> {
    /// The wide drawing's head: the title, then the legend in one row.
    fn wide_head<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let e = |e: DrawingAreaErrorKind<_>| format!("{e:?}");
        root.draw(&Text::new(
            self.l.title.clone(),
            (14, 10),
            ("sans-serif", 24).into_font().color(&BLACK),
        ))
        .map_err(e)?;
        let mut x = 16;
        for (label, mark) in self.key() {
            let y = 56;
            let (Mark::Line(colour, w) | Mark::Dashed(colour, w)) = mark else {
                continue;
            };
            let style = colour.stroke_width(w);
            if matches!(mark, Mark::Dashed(..)) {
                root.draw(&PathElement::new(vec![(x, y), (x + 10, y)], style))
                    .map_err(e)?;
                root.draw(&PathElement::new(vec![(x + 16, y), (x + 26, y)], style))
                    .map_err(e)?;
            } else {
                root.draw(&PathElement::new(vec![(x, y), (x + 26, y)], style))
                    .map_err(e)?;
            }
            root.draw(&Text::new(
                label.clone(),
                (x + 32, y - 8),
                ("sans-serif", 15).into_font().color(&BLACK),
            ))
            .map_err(e)?;
            x += 44 + 8 * label.chars().count() as i32;
        }
        Ok(())
    }
}

/// What a forecast chart draws: the years used, the forecast, its intervals and the hold-out.
#[derive(Clone, Debug, PartialEq)]
pub struct ForecastFan {
    /// The values fitted, by year.
    pub history: Vec<(i32, f64)>,
    /// The point forecast, by year.
    pub mean: Vec<(i32, f64)>,
    /// One band per interval level, widest first.
    pub bands: Vec<Band>,
    /// Observed values of the years forecast (a hold-out), by year.
    pub held_out: Vec<(i32, f64)>,
}

/// One interval band of a forecast chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Its legend label (`80 % interval`).
    pub label: String,
    /// `(year, lo, hi)`.
    pub points: Vec<(i32, f64, f64)>,
}

struct ForecastChart<'a> {
    l: &'a Labels,
    f: &'a ForecastFan,
    x0: i32,
    x1: i32,
    y0: f64,
    y1: f64,
}

impl Chart for ForecastChart<'_> {
    fn labels(&self) -> &Labels {
        self.l
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        _: Layout,
    ) -> Result<(), String> {
        let ForecastChart {
            l,
            f,
            x0,
            x1,
            y0,
            y1,
        } = *self;
        let e = |e: DrawingAreaErrorKind<_>| format!("{e:?}");
        root.fill(&WHITE).map_err(e)?;
        let (area, _) = root.split_vertically(SIZE.1 - 36);
        let mut chart = ChartBuilder::on(&area)
            .caption(&l.title, ("sans-serif", 22))
            .margin(14)
            .x_label_area_size(44)
            .y_label_area_size(86)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(|e| format!("{e:?}"))?;
        let small = y1 - y0 < 20.0;
        light_grid(&mut chart.configure_mesh())
            .x_desc(&l.x)
            .y_desc(&l.y)
            .x_labels(12)
            .x_label_formatter(&|y| format!("{y}"))
            .y_label_formatter(&|v| {
                if small {
                    format!("{v:.1}")
                } else {
                    thousands(*v)
                }
            })
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(|e| format!("{e:?}"))?;
        let k = f.bands.len().max(1) as f64;
        for (
            i,
            Band {
                label,
                points: band,
            },
        ) in f.bands.iter().enumerate()
        {
            // Widest first and lightest; each narrower band darker on top of it.
            let shade = 0.12 + 0.16 * i as f64 / k;
            let mut pts: Vec<(i32, f64)> = band.iter().map(|b| (b.0, b.1)).collect();
            pts.extend(band.iter().rev().map(|b| (b.0, b.2)));
            chart
                .draw_series(std::iter::once(Polygon::new(
                    pts,
                    SUPPLY.mix(shade).filled(),
                )))
                .map_err(|e| format!("{e:?}"))?
                .label(label)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 24, y + 6)], SUPPLY.mix(shade).filled())
                });
        }
        chart
            .draw_series(LineSeries::new(f.history.clone(), BLACK.stroke_width(2)))
            .map_err(|e| format!("{e:?}"))?
            .label(&l.series[0])
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLACK.stroke_width(2)));
        chart
            .draw_series(f.history.iter().map(|p| Circle::new(*p, 3, BLACK.filled())))
            .map_err(|e| format!("{e:?}"))?;
        let mut mean: Vec<(i32, f64)> = f.history.last().copied().into_iter().collect();
        mean.extend(f.mean.iter().copied());
        chart
            .draw_series(DashedLineSeries::new(mean, 8, 5, SUPPLY.stroke_width(3)))
            .map_err(|e| format!("{e:?}"))?
            .label(&l.series[1])
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], SUPPLY.stroke_width(3)));
        if !f.held_out.is_empty() {
            chart
                .draw_series(
                    f.held_out
                        .iter()
                        .map(|p| Circle::new(*p, 5, DEMAND.filled())),
                )
                .map_err(|e| format!("{e:?}"))?
                .label(&l.series[2])
                .legend(|(x, y)| Circle::new((x + 12, y), 5, DEMAND.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft, 15)?;
        caption(root, &l.caption)
    }
}

/// A forecast with its intervals: the years used (black), the point forecast (dashed), one band
/// per level and the hold-out's observed values (orange dots). The value axis fits the data and
/// the bands (5 % margin), so a narrow band stays visible; `l.series` names the history, the
/// forecast and the hold-out.
pub fn forecast_fan(name: &str, l: &Labels, f: &ForecastFan) -> Result<Drawn, ChartError> {
    let years = f
        .history
        .iter()
        .chain(&f.mean)
        .chain(&f.held_out)
        .map(|p| p.0);
    let x0 = years.clone().min().unwrap_or(0);
    let x1 = years.max().unwrap_or(1).max(x0 + 1);
    let values = f
        .history
        .iter()
        .chain(&f.mean)
        .chain(&f.held_out)
        .map(|p| p.1)
        .chain(
            f.bands
                .iter()
                .flat_map(|b| b.points.iter().flat_map(|p| [p.1, p.2])),
        )
        .filter(|v| v.is_finite());
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    };
    let pad = ((hi - lo) * 0.05).max(hi.abs().max(1.0) * 1e-6);
    both(
        name,
        &ForecastChart {
            l,
            f,
            x0,
            x1,
            y0: lo - pad,
            y1: hi + pad,
        },
    )
}

/// One row of an [`answer_grid`]: a label and, per column, the shares of the answers (shortage,
/// balance, surplus), `None` where nobody answered.
pub struct GridRow {
    /// Row label (a county's name).
    pub label: String,
    /// Per column.
    pub cells: Vec<Option<[f64; 3]>>,
}

struct AnswerGrid<'a> {
    l: &'a Labels,
    columns: &'a [String],
    rows: &'a [GridRow],
}

/// The colour of a cell: shortage red, balance grey, surplus teal, mixed by the answers' shares.
fn answer_colour(s: &[f64; 3]) -> RGBColor {
    let grey = RGBColor(0xbd, 0xbd, 0xbd);
    let mix = |i: usize| -> u8 {
        let ch = |c: RGBColor| [c.0, c.1, c.2][i] as f64;
        (s[0] * ch(SHORTAGE) + s[1] * ch(grey) + s[2] * ch(SURPLUS))
            .round()
            .clamp(0.0, 255.0) as u8
    };
    RGBColor(mix(0), mix(1), mix(2))
}

impl Chart for AnswerGrid<'_> {
    fn labels(&self) -> &Labels {
        self.l
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        _: Layout,
    ) -> Result<(), String> {
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("{e:?}");
        root.fill(&WHITE).map_err(e)?;
        root.draw(&Text::new(
            self.l.title.clone(),
            (12, 8),
            ("sans-serif", 22).into_font().color(&BLACK),
        ))
        .map_err(e)?;
        let (left, top) = (150i32, 62i32);
        let legend_h = 30i32;
        let bottom = SIZE.1 as i32 - 40 - legend_h;
        let nc = self.columns.len().max(1) as i32;
        let nr = self.rows.len().max(1) as i32;
        let cw = (SIZE.0 as i32 - left - 12) / nc;
        let rh = ((bottom - top) / nr).max(1);
        let small = ("sans-serif", 13).into_font().color(&BLACK.mix(0.85));
        for (j, col) in self.columns.iter().enumerate() {
            let x = left + j as i32 * cw + cw / 2 - 4 * col.chars().count() as i32;
            root.draw(&Text::new(col.clone(), (x, top - 18), small.clone()))
                .map_err(e)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let y = top + i as i32 * rh;
            root.draw(&Text::new(
                row.label.clone(),
                (12, y + rh / 2 - 7),
                small.clone(),
            ))
            .map_err(e)?;
            for (j, cell) in row.cells.iter().enumerate() {
                let x = left + j as i32 * cw;
                let r = [(x + 1, y + 1), (x + cw - 1, y + rh - 1)];
                match cell {
                    Some(s) if s[0].is_finite() => {
                        root.draw(&Rectangle::new(r, answer_colour(s).filled()))
                            .map_err(e)?;
                    }
                    _ => {
                        root.draw(&Rectangle::new(r, BLACK.mix(0.25).stroke_width(1)))
                            .map_err(e)?;
                    }
                }
            }
        }
        // The key: three answers and "no answer" (the labels are the series' names).
        let y = bottom + 10;
        let mut x = 12;
        let keys: [Option<[f64; 3]>; 4] = [
            Some([1.0, 0.0, 0.0]),
            Some([0.0, 1.0, 0.0]),
            Some([0.0, 0.0, 1.0]),
            None,
        ];
        for (k, name) in keys.iter().zip(&self.l.series) {
            let r = [(x, y), (x + 18, y + 14)];
            match k {
                Some(s) => root.draw(&Rectangle::new(r, answer_colour(s).filled())),
                None => root.draw(&Rectangle::new(r, BLACK.mix(0.25).stroke_width(1))),
            }
            .map_err(e)?;
            root.draw(&Text::new(
                name.clone(),
                (x + 24, y),
                ("sans-serif", 14).into_font().color(&BLACK),
            ))
            .map_err(e)?;
            x += 24 + 9 * name.chars().count() as i32 + 24;
        }
        caption(root, &self.l.caption)
    }
}

/// A grid of answers, rows (counties) × columns (professions), each cell coloured by the shares of
/// shortage, balance and surplus among the answers (an outlined empty cell: no answer). `l.series`
/// names the key: shortage, balance, surplus, no answer.
pub fn answer_grid(
    name: &str,
    l: &Labels,
    columns: &[String],
    rows: &[GridRow],
) -> Result<Drawn, ChartError> {
    both(name, &AnswerGrid { l, columns, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(title: &str) -> Labels {
        Labels {
            title: title.into(),
            caption: String::new(),
            x: String::new(),
            y: String::new(),
            series: vec![],
        }
    }

    fn bars() -> Vec<(String, f64)> {
        ["Västerbottens län", "Gävleborgs län", "Kalmar län"]
            .iter()
            .zip([-120.0, 40.0, 15.0])
            .map(|(n, v)| (n.to_string(), v))
            .collect()
    }

    /// The PNG's pixels as grey levels, with its size.
    fn grey(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        let g = buf[..info.buffer_size()]
            .chunks_exact(3)
            .map(|p| ((p[0] as u32 + p[1] as u32 + p[2] as u32) / 3) as u8)
            .collect();
        (info.width, info.height, g)
    }

    /// Dark pixels in rows `y0..y1`.
    fn dark_in_rows(g: &(u32, u32, Vec<u8>), y0: u32, y1: u32) -> usize {
        let (w, _, px) = g;
        (y0 * w..y1 * w).filter(|&i| px[i as usize] < 96).count()
    }

    /// Every text of an SVG from plotters: (y, font size, text).
    fn texts(svg: &str) -> Vec<(f64, f64, String)> {
        let attr = |tag: &str, name: &str| -> f64 {
            let from = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            let len = tag[from..].find('"').unwrap();
            tag[from..from + len].parse().unwrap()
        };
        svg.split("<text")
            .skip(1)
            .map(|t| {
                let end = t.find('>').unwrap();
                let body = &t[end + 1..t.find("</text>").unwrap()];
                (
                    attr(&t[..end], "y"),
                    attr(&t[..end], "font-size"),
                    body.trim().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn a_narrow_drawing_leaves_title_and_caption_to_the_page_and_puts_the_legend_below() {
        let l = Labels {
            title: "Titel T".into(),
            caption: "Källa K".into(),
            x: "År".into(),
            y: "Heltidsekvivalenter".into(),
            series: vec!["Tillgång S".into(), "Efterfrågan D".into()],
        };
        let supply: Vec<(i32, f64)> = (2010..=2040).map(|y| (y, f64::from(y) - 1500.0)).collect();
        let demand: Vec<(i32, f64)> = (2023..=2040).map(|y| (y, f64::from(y) - 1480.0)).collect();
        let d = supply_demand("sd", &l, &supply, &demand, 2023, 2021, None).unwrap();
        let narrow = d.narrow.as_deref().unwrap();
        assert!(narrow.starts_with("<svg width=\"480\" height=\"388\""));
        // The page sets title and caption around the narrow drawing; the wide one keeps them.
        for text in ["Titel T", "Källa K"] {
            assert!(!narrow.contains(text) && d.svg.contains(text));
        }
        assert_eq!(
            (d.title.as_str(), d.caption.as_str()),
            ("Titel T", "Källa K")
        );
        let (wide, narrow) = (texts(&d.svg), texts(narrow));
        let years = |t: &[(f64, f64, String)]| -> Vec<f64> {
            t.iter()
                .filter(|x| x.2.len() == 4 && x.2.parse::<i32>().is_ok())
                .map(|x| x.0)
                .collect()
        };
        // Half the year labels (7 → 4), and the legend's entries below them, a row each.
        assert_eq!((years(&wide).len(), years(&narrow).len()), (7, 4));
        let lowest_year = years(&narrow).into_iter().fold(0.0, f64::max);
        let key: Vec<f64> = narrow
            .iter()
            .filter(|x| x.2.ends_with(" S") || x.2.ends_with(" D"))
            .map(|x| x.0)
            .collect();
        assert_eq!(key.len(), 2);
        assert!(key[0] > lowest_year && key[1] - key[0] == f64::from(KEY_ROW));
        // On a 380-px phone no text is under 10 px; the wide drawing there would be under 5.
        let smallest = |t: &[(f64, f64, String)], w: f64| {
            t.iter()
                .map(|x| x.1 * 380.0 / w)
                .fold(f64::INFINITY, f64::min)
        };
        assert!(
            smallest(&narrow, 480.0) >= 10.0,
            "{}",
            smallest(&narrow, 480.0)
        );
        assert!(smallest(&wide, 960.0) < 5.0);
    }

    #[test]
    fn a_narrow_drawing_grows_with_its_bars_and_panels() {
        let many: Vec<(String, f64)> = (0..21)
            .map(|i| (format!("län {i}"), i as f64 - 10.0))
            .collect();
        let d = ranked_bars("r", &labels("t"), &many).unwrap();
        assert!(
            d.narrow
                .unwrap()
                .starts_with("<svg width=\"480\" height=\"485\"")
        );
        let line = |name: &str| {
            (
                name.to_string(),
                vec![(2015, 1.0), (2020, 2.0)],
                SUPPLY,
                false,
            )
        };
        let panel = |t: &str| Panel {
            title: t.into(),
            lines: vec![line("registrerat")],
        };
        let d = small_multiples("m", &labels("t"), &[panel("a"), panel("b"), panel("c")]).unwrap();
        // Three panels in two columns: two rows of 190 px, and one legend entry below.
        let h = 2 * NARROW_PANEL_HEIGHT + KEY_ROW + 10;
        assert!(
            d.narrow
                .unwrap()
                .starts_with(&format!("<svg width=\"480\" height=\"{h}\""))
        );
        // The survey grid and the forecast fan keep their wide drawing only.
        let g = answer_grid("g", &labels("t"), &["SSK".into()], &[]).unwrap();
        assert!(g.narrow.is_none());
    }

    #[test]
    fn the_png_is_the_svg_rendered_with_the_compiled_in_font() {
        // Only the title differs, so the dark pixels in the title's band are its letters: the
        // renderer found the font (with no font, resvg leaves text out without an error).
        let with = ranked_bars("t", &labels("Västerbottens län"), &bars()).unwrap();
        let without = ranked_bars("t", &labels(""), &bars()).unwrap();
        let (a, b) = (grey(&with.png), grey(&without.png));
        assert_eq!((a.0, a.1), SIZE);
        assert!(
            dark_in_rows(&a, 14, 44) > 200,
            "{}",
            dark_in_rows(&a, 14, 44)
        );
        assert_eq!(dark_in_rows(&b, 14, 44), 0);
        // Everything below the title is the same drawing.
        let w = SIZE.0 as usize;
        assert_eq!(a.2[60 * w..], b.2[60 * w..]);
    }

    #[test]
    fn the_flows_legend_sits_over_the_lower_half_of_the_years() {
        let l = Labels {
            series: ["a", "b", "c", "exits"].map(String::from).to_vec(),
            ..labels("x")
        };
        let years: Vec<i32> = (2024..2034).collect();
        // The x of the legend's first label ("a", the only text exactly "a").
        let legend_x = |inflows: &[[f64; 3]]| -> f64 {
            let d = flows("f", &l, &years, inflows, &[100.0; 10]).unwrap();
            let at = d.svg.find(">\na\n</text>").unwrap();
            let tag = &d.svg[d.svg[..at].rfind("<text").unwrap()..at];
            let x = &tag[tag.find("x=\"").unwrap() + 3..];
            x[..x.find('"').unwrap()].parse().unwrap()
        };
        let early: Vec<[f64; 3]> = (0..10)
            .map(|i| [if i < 3 { 4000.0 } else { 1000.0 }, 100.0, 50.0])
            .collect();
        let late: Vec<[f64; 3]> = early.iter().rev().copied().collect();
        assert!(legend_x(&early) > SIZE.0 as f64 / 2.0);
        assert!(legend_x(&late) < SIZE.0 as f64 / 2.0);
    }

    #[test]
    fn bar_charts_have_no_tick_without_a_label_and_a_light_grid() {
        let d = ranked_bars("t", &labels("x"), &bars()).unwrap();
        // plotters draws a tick as a two-point polyline; on the names' axis a tick between two
        // bars (or above the first) names nothing, so there are none: no short horizontal ones.
        let short_horizontal = d
            .svg
            .split("points=\"")
            .skip(1)
            .filter(|l| {
                let pts: Vec<f64> = l[..l.find('"').unwrap()]
                    .split([',', ' '])
                    .filter(|t| !t.is_empty())
                    .map(|t| t.parse().unwrap())
                    .collect();
                pts.len() == 4 && pts[1] == pts[3] && (pts[2] - pts[0]).abs() < 12.0
            })
            .count();
        assert_eq!(short_horizontal, 0);
        // Every name is drawn once.
        for (n, _) in bars() {
            assert_eq!(
                d.svg.matches(&format!("\n{n}\u{a0}\u{a0}\n")).count(),
                1,
                "{n}"
            );
        }
        // The grid: major lines at 8 % black; no minor lines (plotters' default draws them at
        // 10 % black and the major ones at 20 %).
        assert!(d.svg.contains("<line opacity=\"0.08\""));
        assert!(!d.svg.contains("<line opacity=\"0.1\""));
        assert!(!d.svg.contains("<line opacity=\"0.2\""));
    }
}
