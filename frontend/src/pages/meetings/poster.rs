//! Pictures for the class's WeChat group, drawn in the browser: a WeChat group takes a picture,
//! not an SVG, and the phone's or PC's own fonts draw the Chinese text (the server has none).
//! The class QR code is the server's SVG (same origin, so the canvas stays readable), drawn
//! without smoothing so its modules stay sharp.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement};

/// A poster's width in pixels: a phone screen's at 2× (WeChat shows pictures at screen width).
const WIDTH: f64 = 750.0;
const MARGIN: f64 = 50.0;
const QR_SIDE: f64 = 420.0;
/// The fonts a phone or PC has for Chinese, then whatever sans-serif there is.
const FONTS: &str = "\"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\", \"Noto Sans CJK SC\", sans-serif";
const ACCENT: &str = "#b83b2e";

/// What the poster says (already in the reader's language).
pub struct Poster {
    pub title: String,
    pub theme: String,
    pub class_name: String,
    /// "时间：…", "地点：…".
    pub lines: Vec<String>,
    pub hint: String,
}

/// The server's QR code picture at `src`, decoded.
async fn qr_image(src: &str) -> Result<HtmlImageElement, JsValue> {
    let image = HtmlImageElement::new()?;
    image.set_src(src);
    JsFuture::from(image.decode()).await?;
    Ok(image)
}

fn canvas(width: f64, height: f64) -> Result<(HtmlCanvasElement, CanvasRenderingContext2d), JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.unchecked_into();
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    let context: CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or("no 2d context")?.unchecked_into();
    // PNG keeps transparency, which WeChat shows black in its dark mode: white underneath.
    context.set_fill_style_str("#fff");
    context.fill_rect(0.0, 0.0, width, height);
    Ok((canvas, context))
}

/// `text` cut into lines no wider than `width` in the context's font. Chinese has no spaces to
/// break at, so it breaks between any two characters (a Latin word may be cut: rare here).
fn wrap(context: &CanvasRenderingContext2d, text: &str, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        let longer = format!("{line}{c}");
        if !line.is_empty() && context.measure_text(&longer).map(|m| m.width()).unwrap_or(0.0) > width {
            lines.push(std::mem::take(&mut line));
            line.push(c);
        } else {
            line = longer;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// One block of text in `font`, centred or from the margin; the y below it.
fn block(context: &CanvasRenderingContext2d, text: &str, font: &str, line_height: f64, centred: bool, y: f64) -> f64 {
    context.set_font(&format!("{font} {FONTS}"));
    context.set_text_align(if centred { "center" } else { "left" });
    let x = if centred { WIDTH / 2.0 } else { MARGIN };
    let mut y = y;
    for line in wrap(context, text, WIDTH - 2.0 * MARGIN) {
        y += line_height;
        let _ = context.fill_text(&line, x, y);
    }
    y
}

/// The theme, class, time and place from `y` down; the y below them. Run once on a scratch
/// canvas to measure the poster's height, then on the poster.
fn texts(context: &CanvasRenderingContext2d, poster: &Poster, y: f64) -> f64 {
    context.set_fill_style_str("#222");
    let mut y = block(context, &poster.theme, "bold 44px", 58.0, true, y);
    context.set_fill_style_str("#555");
    y = block(context, &poster.class_name, "30px", 44.0, true, y) + 20.0;
    context.set_fill_style_str("#222");
    for line in &poster.lines {
        y = block(context, line, "30px", 44.0, false, y);
    }
    y
}

/// The poster as a PNG data URL: a coloured band with the title, the theme, the class, the time
/// and place, the class QR code and how to use it.
pub async fn poster(poster: &Poster, qr_src: &str) -> Result<String, JsValue> {
    let qr = qr_image(qr_src).await?;
    let (_, scratch) = canvas(WIDTH, 10.0)?;
    let height = texts(&scratch, poster, 140.0) + 40.0 + QR_SIDE + 160.0;
    let (canvas, context) = canvas(WIDTH, height)?;
    context.set_fill_style_str(ACCENT);
    context.fill_rect(0.0, 0.0, WIDTH, 110.0);
    context.set_fill_style_str("#fff");
    block(&context, &poster.title, "bold 46px", 70.0, true, 0.0);
    let y = texts(&context, poster, 140.0) + 40.0;
    context.set_image_smoothing_enabled(false);
    context.draw_image_with_html_image_element_and_dw_and_dh(&qr, (WIDTH - QR_SIDE) / 2.0, y, QR_SIDE, QR_SIDE)?;
    context.set_fill_style_str("#555");
    block(&context, &poster.hint, "26px", 38.0, true, y + QR_SIDE + 10.0);
    canvas.to_data_url_with_type("image/png")
}

/// The class QR code alone as a PNG data URL, `side` pixels square.
pub async fn qr_png(qr_src: &str, side: f64) -> Result<String, JsValue> {
    let qr = qr_image(qr_src).await?;
    let (canvas, context) = canvas(side, side)?;
    context.set_image_smoothing_enabled(false);
    context.draw_image_with_html_image_element_and_dw_and_dh(&qr, 0.0, 0.0, side, side)?;
    canvas.to_data_url_with_type("image/png")
}
